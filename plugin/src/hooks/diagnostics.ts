/**
 * The `sf doctor` hook: runs verify's checks against the default target org and reports each as a doctor
 * diagnostic (`[@sf-anzenna/plugin-anzenna] <check id>: …`), with the first action of anything that did not
 * pass as a suggestion and the whole result as plugin data. Registered in package.json under
 * `oclif.hooks` as `sf-doctor-@sf-anzenna/plugin-anzenna`. Then `sf anzenna status` (read-only, no wait): the
 * vendor's connection as one more diagnostic, `status.connection` (pass when connected, warn when the vendor
 * never logged in, fail when its latest attempt failed).
 */
import { ConfigAggregator, Lifecycle, Messages, Org, OrgConfigProperties } from '@salesforce/core';
import { findMetadataSource } from '../project/source.js';
import { runStatus, type StatusResult } from '../status/run-status.js';
import { resolveVerifyOptions } from '../verify/options.js';
import type { VerifyOptions } from '../verify/context.js';
import { runVerify } from '../verify/run-verify.js';

/** The part of plugin-info's SfDoctor this hook uses (plugin-info is not a dependency of this plugin). */
export type DoctorLike = {
  addPluginData(pluginName: string, data: Record<string, unknown>): void;
  addSuggestion(suggestion: string): void;
};

export const PLUGIN_NAME = '@sf-anzenna/plugin-anzenna';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(PLUGIN_NAME, 'anzenna.verify');
const statusMessages = Messages.loadMessages(PLUGIN_NAME, 'anzenna.status');

type DoctorStatus = 'pass' | 'fail' | 'warn' | 'unknown';

const emit = (testName: string, status: DoctorStatus): Promise<void> =>
  Lifecycle.getInstance().emit('Doctor:diagnostic', { testName: `[${PLUGIN_NAME}] ${testName}`, status });

const STATE_STATUS: Record<StatusResult['connection']['state'], DoctorStatus> = { connected: 'pass', never: 'warn', failing: 'fail' };

/** The vendor's connection (sf anzenna status) as one diagnostic, its facts as plugin data. */
async function statusDiagnostic(org: Org, options: VerifyOptions, doctor: DoctorLike): Promise<Record<string, unknown>> {
  try {
    const status = await runStatus(org, { appName: options.appName, label: options.label, integrationUser: options.integrationUser, waitMinutes: 0, pollMs: 0 });
    const state = status.connection.state;
    await emit(`status.connection: ${state}`, STATE_STATUS[state]);
    if (state !== 'connected') doctor.addSuggestion(statusMessages.getMessage(`doctor.status.${state}`, [status.username]));
    return { state, lastLoginAt: status.connection.lastLoginAt, recentFailures: status.connection.recentFailures, certificateDaysLeft: status.certificate.daysLeft };
  } catch (error) {
    await emit('status.connection: unknown', 'warn');
    doctor.addSuggestion(`status.connection: ${(error as Error).message}`);
    return { state: 'unknown' };
  }
}

export const hook = async (options: { doctor: DoctorLike }): Promise<void> => {
  const { doctor } = options;
  const config = await ConfigAggregator.create();
  const target = config.getPropertyValue<string>(OrgConfigProperties.TARGET_ORG);
  if (!target) {
    await emit(messages.getMessage('doctor.targetOrg'), 'warn');
    doctor.addSuggestion(messages.getMessage('doctor.noTargetOrg'));
    return;
  }
  let org: Org;
  try {
    org = await Org.create({ aliasOrUsername: target });
    await org.getConnection().query('SELECT Id FROM Organization');
  } catch (error) {
    await emit(messages.getMessage('doctor.targetOrg'), 'fail');
    doctor.addSuggestion(messages.getMessage('doctor.unreachable', [target, (error as Error).message, target]));
    return;
  }
  // Advice names the target org as configured (an alias stays an alias).
  const verifyOptions = resolveVerifyOptions({}, await findMetadataSource(), process.cwd(), target);
  const result = await runVerify(org, verifyOptions);
  const data = {
    targetOrg: target,
    verdict: result.verdict,
    summary: result.summary,
    checks: result.checks.map((c) => ({ id: c.id, status: c.status, message: c.message })),
  };
  for (const c of result.checks) {
    if (c.status === 'skip') continue;
    // eslint-disable-next-line no-await-in-loop
    await emit(`${c.id}: ${c.title}`, c.status);
    if ((c.status === 'fail' || c.status === 'warn') && c.actions?.length) doctor.addSuggestion(`${c.id}: ${c.message} ${c.actions[0]}`);
  }
  doctor.addPluginData(PLUGIN_NAME, { ...data, status: await statusDiagnostic(org, verifyOptions, doctor) });
};

export default hook;
