/**
 * Prove: the consumer key as the org has it now, then a real JWT bearer login as the integration user and
 * the event logs read through it (auth/ and logs/, shared with verify). Without our key (the vendor holds
 * it), the event logs are read as the admin and the live login is the vendor's.
 */
import { Connection as JsforceConnection } from '@jsforce/jsforce-node';
import type { Connection } from '@salesforce/core';
import { jwtLogin, loginPairs, type JwtLoginResult } from '../auth/jwt-login.js';
import { checkEventLogs, type EventLogReport } from '../logs/event-log-check.js';
import { readComponentXml } from '../org/metadata-read.js';
import type { CheckLog } from './check-log.js';
import { consumerKeyOf } from './desired.js';
import type { SetupOptions, SetupUi } from './options.js';
import type { Preflight } from './preflight.js';

export type Proof = { consumerKey: string; login?: JwtLoginResult; eventLogs?: EventLogReport; tokenUrl: string; audience: string };

type Context = { conn: Connection; options: SetupOptions; ui: SetupUi; log: CheckLog };

/** The key shown to the vendor: read back after the app was deployed, else the existing app's, else the one rendered. */
export async function settleConsumerKey(ctx: Context, globalSettingsName: string, rendered: string, existing: string | undefined, deployedApp: boolean): Promise<string> {
  if (!deployedApp) {
    if (existing) ctx.log.pass('consumerKey', 'Using the app\'s existing consumer key.');
    return existing ?? rendered;
  }
  // A failed read-back must not undo a finished setup: it only means the key shown is the one deployed.
  const orgKey = consumerKeyOf(await readComponentXml(ctx.conn, 'ExtlClntAppGlobalOauthSettings', globalSettingsName).catch(() => undefined));
  if (!orgKey) {
    ctx.log.warn('consumerKey', 'The consumer key could not be read back (Metadata API access to consumer secrets may be off); the key we deployed is shown.');
    return rendered;
  }
  if (orgKey !== rendered) {
    ctx.log.warn('consumerKey', 'Salesforce kept its own consumer key instead of the one deployed; the org\'s key is shown.');
    return orgKey;
  }
  ctx.log.pass('consumerKey', 'The consumer key read back from the org matches the one deployed.');
  return rendered;
}

function recordEventLogs(log: CheckLog, eventLogs: EventLogReport): void {
  log.pass('eventLogs.query', `EventLogFile is readable: ${eventLogs.types.filter((t) => t.files > 0).length} of ${eventLogs.types.length} vendor event types have files.`);
  for (const note of eventLogs.notes) log.warn('eventLogs.note', note);
  const s = eventLogs.sample;
  if (s) {
    log.checks.push({
      id: 'eventLogs.download',
      status: s.headerMatches ? 'pass' : 'warn',
      message: `Read the ${s.eventType} log of ${s.logDate} (${s.length} bytes): CSV header ${s.headerMatches ? 'matches' : 'does not match'} LogFileFieldNames.`,
    });
  }
}

async function loginAndRead(ctx: Context, pre: Preflight, consumerKey: string): Promise<{ login: JwtLoginResult; eventLogs: EventLogReport }> {
  const { ui, log, options } = ctx;
  ui.step(`Logging in as ${pre.username} with the JWT bearer flow`);
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
  log.pass('jwt.login', `JWT bearer login as ${pre.username} succeeded at ${login.tokenUrl} (audience ${login.audience}).`);
  ui.step('Reading event log files as the integration user');
  const asUser = new JsforceConnection({ instanceUrl: login.instanceUrl, accessToken: login.accessToken, version: ctx.conn.getApiVersion() });
  // A session the org ends right after the login: the same JWT login once more (we hold the key).
  const relogin = async (): Promise<void> => void (asUser.accessToken = (await jwtLogin(loginOptions)).accessToken);
  const eventLogs = await checkEventLogs(asUser, pre.username, undefined, relogin);
  ui.done();
  return { login, eventLogs };
}

export async function prove(ctx: Context, pre: Preflight, consumerKey: string): Promise<Proof> {
  const { ui, log, options } = ctx;
  const [first] = loginPairs(pre.facts.myDomainUrl, pre.facts.isSandbox);
  const base = { consumerKey, tokenUrl: first.tokenUrl, audience: first.audience };
  if (options.dryRun) {
    log.skip('jwt.login', 'Dry run: nothing was deployed, so there is nothing to log in to yet.');
    return base;
  }
  if (pre.keys.privateKey && !consumerKey) {
    log.skip('jwt.login', 'The consumer key could not be read from the org, so the JWT login cannot be tried here: run sf anzenna verify --consumer-key <key from Setup>.');
    return base;
  }
  if (pre.keys.privateKey) {
    const { login, eventLogs } = await loginAndRead(ctx, pre, consumerKey);
    recordEventLogs(log, eventLogs);
    return { ...base, login, eventLogs, tokenUrl: login.tokenUrl, audience: login.audience };
  }
  log.skip('jwt.login', 'The vendor holds the private key: the live JWT login is theirs to run (their "Connected" status).');
  ui.step('Reading event log files as the admin');
  const eventLogs = await checkEventLogs(ctx.conn, pre.admin.username);
  ui.done();
  recordEventLogs(log, eventLogs);
  return { ...base, eventLogs };
}
