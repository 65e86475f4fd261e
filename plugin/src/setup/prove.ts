/**
 * Prove: the consumer key as the org has it now, then a real JWT bearer login as the integration user and
 * the event logs read through it (auth/ and logs/, shared with verify). Without our key (the vendor holds
 * it), the event logs are read as the admin and the live login is the vendor's.
 */
import { Connection as JsforceConnection } from '@jsforce/jsforce-node';
import { Messages, type Connection } from '@salesforce/core';
import { isIpRestrictedLogin, isMyDomainPair, jwtLogin, myDomainPair, type JwtLoginResult } from '../auth/jwt-login.js';
import { checkEventLogs, type EventLogReport } from '../logs/event-log-check.js';
import { formatIpRange, getText, loginIpRangesOf, parseMetadataXml } from '../metadata/index.js';
import { readComponentXml } from '../org/metadata-read.js';
import type { CheckLog } from './check-log.js';
import { consumerKeyOf } from './desired.js';
import type { SetupOptions, SetupUi } from './options.js';
import type { Preflight } from './preflight.js';
import { selectedVendors } from './result.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.setup');

export type Proof = { consumerKey: string; login?: JwtLoginResult; eventLogs?: EventLogReport; tokenUrl: string; audience: string };

type Context = { conn: Connection; options: SetupOptions; ui: SetupUi; log: CheckLog };

/** The key shown to the vendor: read back after the app was deployed, else the existing app's, else the one rendered. */
export async function settleConsumerKey(ctx: Context, globalSettingsName: string, rendered: string, existing: string | undefined, deployedApp: boolean): Promise<string> {
  if (!deployedApp) {
    if (existing) ctx.log.pass('consumerKey', messages.getMessage('check.consumerKey.existing'));
    return existing ?? rendered;
  }
  // A failed read-back must not undo a finished setup: it only means the key shown is the one deployed.
  const orgKey = consumerKeyOf(await readComponentXml(ctx.conn, 'ExtlClntAppGlobalOauthSettings', globalSettingsName).catch(() => undefined));
  if (!orgKey) {
    ctx.log.warn('consumerKey', messages.getMessage('warning.consumerKeyNotReadBack'));
    return rendered;
  }
  if (orgKey !== rendered) {
    ctx.log.warn('consumerKey', messages.getMessage('warning.consumerKeyKeptByOrg'));
    return orgKey;
  }
  ctx.log.pass('consumerKey', messages.getMessage('check.consumerKey.matches'));
  return rendered;
}

function recordEventLogs(log: CheckLog, eventLogs: EventLogReport): void {
  log.pass('eventLogs.query', messages.getMessage('check.eventLogs.query', [eventLogs.types.filter((t) => t.files > 0).length, eventLogs.types.length]));
  for (const note of eventLogs.notes) log.warn('eventLogs.note', note);
  const s = eventLogs.sample;
  if (s) {
    log.checks.push({
      id: 'eventLogs.download',
      status: s.headerMatches ? 'pass' : 'warn',
      message: messages.getMessage(s.headerMatches ? 'check.eventLogs.download.matches' : 'check.eventLogs.download.differs', [s.eventType, s.logDate, s.length]),
    });
  }
}

async function loginAndRead(ctx: Context, pre: Preflight, consumerKey: string): Promise<{ login: JwtLoginResult; eventLogs: EventLogReport }> {
  const { ui, log, options } = ctx;
  ui.step(messages.getMessage('step.jwtLogin', [pre.username]));
  const loginOptions: Parameters<typeof jwtLogin>[0] = {
    consumerKey,
    username: pre.username,
    privateKey: pre.keys.privateKey as NonNullable<Preflight['keys']['privateKey']>,
    myDomainUrl: pre.facts.myDomainUrl,
    isSandbox: pre.facts.isSandbox,
    waitMs: options.waitMinutes * 60_000,
    onRetry: (m) => ui.status(m),
    sleep: options.sleep,
  };
  const login = await jwtLogin(loginOptions);
  ui.done();
  log.pass('jwt.login', messages.getMessage('check.jwtLogin', [pre.username, login.tokenUrl, login.audience]));
  ui.step(messages.getMessage('step.eventLogsAsUser'));
  const asUser = new JsforceConnection({ instanceUrl: login.instanceUrl, accessToken: login.accessToken, version: ctx.conn.getApiVersion() });
  // A session the org ends right after the login: the same JWT login once more (we hold the key).
  const relogin = async (): Promise<void> => void (asUser.accessToken = (await jwtLogin(loginOptions)).accessToken);
  const eventLogs = await checkEventLogs(asUser, pre.username, undefined, relogin);
  ui.done();
  return { login, eventLogs };
}

const VENDOR_NAMES = { anzenna: 'Anzenna', elastic: 'Elastic' } as const;

/**
 * One check per vendor chosen: does the login prove the hand-off as that vendor's client uses it? Elastic's
 * input uses one URL as token host and audience, and Anzenna is given "your Salesforce URL": both are proved
 * only by a login over the My Domain pair. A login that succeeded over another pair proves nothing for them.
 */
export function recordVendorProofs(log: CheckLog, options: Pick<SetupOptions, 'vendor'>, myDomainUrl: string, login: JwtLoginResult | undefined, skipped: string): void {
  const pair = myDomainPair(myDomainUrl);
  for (const vendor of selectedVendors(options.vendor)) {
    const id = `vendor.${vendor}`;
    const name = VENDOR_NAMES[vendor];
    if (!login) log.skip(id, messages.getMessage('info.vendorProofSkipped', [name, skipped]));
    else if (isMyDomainPair(login, myDomainUrl)) log.pass(id, messages.getMessage('info.vendorProved', [name, pair.audience, pair.tokenUrl]));
    else {
      const attempt = login.attempts.find((a) => isMyDomainPair(a, myDomainUrl));
      const answer = attempt ? `${attempt.outcome}${attempt.description ? ` ${attempt.description}` : ''}` : messages.getMessage('value.notTried');
      log.warn(id, messages.getMessage('warning.vendorNotProved', [login.tokenUrl, login.audience, name, pair.audience, answer]));
    }
  }
}

/**
 * Some orgs are reported not to show an ECA's certificate at all (issue #8, UNVERIFIED). Setup then cannot
 * compare it, so the live JWT login is the proof; without our key, the vendor's own login is.
 */
function noteHiddenCertificate(log: CheckLog, pre: Preflight, login: JwtLoginResult | undefined): void {
  const xml = pre.ours.get('globalSettings');
  if (!xml || getText(parseMetadataXml(xml, 'global OAuth settings (org)'), 'certificate')?.trim()) return;
  if (login) log.pass('certificate.org', messages.getMessage('info.certificateHiddenProved'));
  else if (!pre.keys.privateKey) log.warn('certificate.org', messages.getMessage('warning.certificateHidden'));
}

export async function prove(ctx: Context, pre: Preflight, consumerKey: string): Promise<Proof> {
  const { ui, log, options } = ctx;
  const myDomain = pre.facts.myDomainUrl;
  const base = { consumerKey, ...myDomainPair(myDomain) };
  const skipped = (reason: string): void => {
    log.skip('jwt.login', reason);
    recordVendorProofs(log, options, myDomain, undefined, reason);
  };
  if (options.dryRun) {
    skipped(messages.getMessage('skip.proofDryRun'));
    return base;
  }
  if (pre.keys.privateKey && !consumerKey) {
    skipped(messages.getMessage('skip.proofNoConsumerKey'));
    return base;
  }
  if (pre.keys.privateKey) {
    const proved = await loginAndRead(ctx, pre, consumerKey).catch((error: unknown) => {
      // This machine is outside the profile's login IP ranges: the login cannot be proved from here, which is not a
      // failure. Salesforce's text also covers login hours: with no ranges at all, that refusal is a real failure.
      const orgProfile = pre.ours.get('profile');
      const orgRanges = orgProfile ? loginIpRangesOf(parseMetadataXml(orgProfile, 'the integration profile (org)')) : [];
      if (!isIpRestrictedLogin(error) || (options.allowedIpRanges.length === 0 && orgRanges.length === 0)) throw error;
      ui.done();
      const ranges = (options.allowedIpRanges.length > 0 ? options.allowedIpRanges : orgRanges).map(formatIpRange).join(', ');
      skipped(messages.getMessage('info.proofOutsideIpRanges', [pre.username, ranges]));
      return undefined;
    });
    if (proved) {
      const { login, eventLogs } = proved;
      recordVendorProofs(log, options, myDomain, login, '');
      noteHiddenCertificate(log, pre, login);
      recordEventLogs(log, eventLogs);
      return { ...base, login, eventLogs, tokenUrl: login.tokenUrl, audience: login.audience };
    }
  } else {
    skipped(messages.getMessage('skip.proofVendorHoldsKey'));
    noteHiddenCertificate(log, pre, undefined);
  }
  ui.step(messages.getMessage('step.eventLogsAsAdmin'));
  const eventLogs = await checkEventLogs(ctx.conn, pre.admin.username);
  ui.done();
  recordEventLogs(log, eventLogs);
  return { ...base, eventLogs };
}
