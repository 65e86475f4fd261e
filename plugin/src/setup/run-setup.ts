/**
 * `sf anzenna setup` as an orchestration of small steps: preflight (every read, nothing written), the
 * desired state, the plan (pure, plan/plan.ts), the production confirmation, apply, the proof, the result.
 */
import { join } from 'node:path';
import type { Connection, Org } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { planChanges, type Action } from '../plan/plan.js';
import { withMetadataErrors } from '../project/metadata-errors.js';
import { sweepStale, createStaging, type Staging } from '../local/staging.js';
import { acquireLock, type Lock } from '../local/lock.js';
import { applyPlan, type Applied } from './apply.js';
import { CheckLog } from './check-log.js';
import { buildDesired } from './desired.js';
import type { SetupOptions, SetupUi } from './options.js';
import { prepareKeys, readOrg, type Preflight } from './preflight.js';
import { withFinalConsumerKey } from './final-key.js';
import { prove, settleConsumerKey, type Proof } from './prove.js';
import { vendorBlocks, type SetupChange, type SetupResult } from './result.js';

export type { SetupOptions, SetupUi } from './options.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.setup');

/** In a production org, show the plan and ask, unless told not to. */
async function confirmProduction(pre: Preflight, plan: readonly Action[], options: SetupOptions, ui: SetupUi): Promise<void> {
  if (pre.facts.isSandbox || plan.length === 0 || options.dryRun) return;
  if (!(await ui.confirm(plan))) throw messages.createError('error.SetupNotConfirmed');
}

async function preflight(conn: Connection, adminUsername: string, options: SetupOptions, ui: SetupUi, log: CheckLog): Promise<Preflight> {
  ui.step(messages.getMessage('step.preflight'));
  const keys = await prepareKeys(options, log);
  const org = await readOrg(conn, adminUsername, options, log);
  ui.done();
  return { keys, ...org };
}

function eventLogLines(proof: Proof): SetupResult['eventLogs'] {
  const logs = proof.eventLogs;
  if (!logs) return undefined;
  const s = logs.sample;
  return {
    types: logs.types.map((t) => ({ eventType: t.eventType, files: t.files, newestLogDate: t.newestLogDate, intervals: t.intervals })),
    sampleFile: s && { id: s.id, eventType: s.eventType, logDate: s.logDate, bytes: s.length, headerMatches: s.headerMatches },
  };
}

function buildResult(pre: Preflight, options: SetupOptions, plan: Action[], applied: Applied, proof: Proof, log: CheckLog, apiVersion: string): SetupResult {
  const { keys, facts } = pre;
  return {
    appName: options.appName,
    consumerKey: proof.consumerKey,
    instanceUrl: facts.myDomainUrl,
    username: pre.username,
    adminEmail: pre.adminEmail,
    tokenUrl: proof.tokenUrl,
    audience: proof.audience,
    privateKeyPath: keys.privateKeyPath,
    certificatePath: keys.certificatePath,
    certificateExpiresAt: keys.info.notAfter,
    certificateSha256: keys.info.sha256Fingerprint,
    keyMode: keys.mode,
    orgId: facts.orgId,
    edition: facts.edition,
    isSandbox: facts.isSandbox,
    dryRun: options.dryRun,
    metadataSource: options.metadataSource,
    changed: applied.changes.length > 0 && !options.dryRun,
    changes: applied.changes,
    plan,
    checks: log.checks,
    eventLogs: eventLogLines(proof),
    vendor: vendorBlocks({
      vendor: options.vendor,
      consumerKey: proof.consumerKey,
      myDomainUrl: facts.myDomainUrl,
      adminEmail: pre.adminEmail,
      username: pre.username,
      apiVersion,
      privateKeyPath: keys.privateKeyPath,
    }),
  };
}

/**
 * A dry run hands over only what is real: the consumer key of an app that exists, a key pair that is on
 * disk. A key rendered for an app not deployed yet, or a pair generated in memory and never written, is
 * null (the real run makes new ones), and `dryRunNote` says which.
 */
export function withoutUnrealHandoff(result: SetupResult, existingConsumerKey: string | undefined): SetupResult {
  if (!result.dryRun) return result;
  const keyIsReal = existingConsumerKey !== undefined;
  const pairIsReal = result.keyMode !== 'generated';
  const unreal = [...(keyIsReal ? [] : ['consumerKey']), ...(pairIsReal ? [] : ['privateKeyPath', 'certificatePath', 'certificateSha256', 'certificateExpiresAt'])];
  const consumerKey = keyIsReal ? existingConsumerKey : null;
  const { anzenna, elastic } = result.vendor;
  const snippetIsReal = keyIsReal && pairIsReal;
  return {
    ...result,
    consumerKey,
    ...(pairIsReal ? {} : { privateKeyPath: null, certificatePath: null, certificateSha256: null, certificateExpiresAt: null }),
    dryRunNote: messages.getMessage('info.dryRunNote', [unreal.length > 0 ? unreal.join(', ') : messages.getMessage('value.none')]),
    vendor: {
      ...result.vendor,
      ...(anzenna ? { anzenna: { ...anzenna, consumerKey } } : {}),
      ...(elastic
        ? {
            elastic: {
              ...elastic,
              clientId: consumerKey,
              clientKeyPath: pairIsReal ? elastic.clientKeyPath : null,
              configSnippet: snippetIsReal ? elastic.configSnippet : null,
            },
          }
        : {}),
    },
  };
}

/** The lock (one setup per app and output directory) and the staging folder, released whatever happens. */
async function withResources<T>(options: SetupOptions, run: (staging: () => Promise<string>) => Promise<T>): Promise<T> {
  await sweepStale();
  const lock: Lock | undefined = options.dryRun ? undefined : await acquireLock(options.appName, options.outputDir);
  let staging: Staging | undefined;
  try {
    return await run(async () => {
      staging ??= await createStaging('setup');
      return join(staging.dir, 'bundle');
    });
  } finally {
    await staging?.dispose();
    await lock?.release();
  }
}

/**
 * Sets the org up. `journal` receives each change as it is made (what an interruption reports as done).
 */
export async function runSetup(org: Org, options: SetupOptions, ui: SetupUi, journal: SetupChange[] = []): Promise<SetupResult> {
  const conn = org.getConnection(options.apiVersion);
  const log = new CheckLog(ui);
  return withResources(options, async (stagingDir) => {
    const pre = await preflight(conn, org.getUsername() ?? '', options, ui, log);
    const { desired, plan } = await withMetadataErrors(options.sourceDir, async () => {
      const wanted = await buildDesired(pre, options, log);
      return { desired: wanted, plan: planChanges(wanted, { components: pre.ours.xml, user: pre.user }) };
    });
    await confirmProduction(pre, plan, options, ui);
    const ctx = { conn, options, ui, log };
    const applied = await applyPlan({ ...ctx, changes: journal }, plan, desired, pre, stagingDir);
    try {
      const consumerKey = await settleConsumerKey(ctx, desired.bundle.names.globalSettings, desired.bundle.consumerKey, desired.existingConsumerKey, applied.deployedApp);
      // The hand-off shows what the org holds at the end: the key is read back last, after the proof.
      const proof = await withFinalConsumerKey({ conn, log, dryRun: options.dryRun }, desired.bundle.names.globalSettings, await prove(ctx, pre, consumerKey));
      return withoutUnrealHandoff(buildResult(pre, options, plan, applied, proof, log, conn.getApiVersion()), desired.existingConsumerKey);
    } finally {
      // The settings deploys read from the staging folder: let them finish (their outcome is recorded) first.
      await applied.settings;
    }
  });
}
