/**
 * `sf anzenna status`: is the vendor connected, and healthy? Read-only: the integration user's logins
 * through the app (LoginHistory), the OAuth tokens issued for the app, the deployed certificate's days
 * left and the newest event log file per vendor event type. `--wait` polls the logins until the first
 * successful one appears (the clock and the pause are injectable).
 */
import type { Org } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { daysUntil, describeCertificate, EXPIRY_WARNING_DAYS, parseCertificatePem } from '../cert/index.js';
import { checkEventLogs } from '../logs/event-log-check.js';
import { componentNames, getText, parseMetadataXml } from '../metadata/index.js';
import { readUserLogins, type LoginRow } from '../org/login-history.js';
import { readComponentXml } from '../org/metadata-read.js';
import { readTokenUsage } from '../org/oauth-usage.js';
import { defaultIntegrationUsername } from '../project/inputs.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.status');

export type ConnectionState = 'connected' | 'never' | 'failing';

export type StatusConnection = {
  state: ConnectionState;
  lastLoginAt?: string;
  lastLoginIp?: string;
  recentFailures: Array<{ time: string; status: string }>;
};

export type StatusResult = {
  appName: string;
  username: string;
  connected: boolean;
  connection: StatusConnection;
  tokens: { count?: number; lastUsedAt?: string; note?: string };
  certificate: { expiresAt?: string; daysLeft?: number; warning?: string; note?: string };
  eventLogs: { types: Array<{ eventType: string; files: number; newestLogDate?: string }>; notes: string[] };
  /** Minutes waited for the first login (with --wait). */
  waitedMinutes?: number;
};

export type StatusOptions = {
  appName: string;
  label?: string;
  integrationUser?: string;
  waitMinutes: number;
  pollMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  onPoll?: (message: string) => void;
};

const RECENT_FAILURES = 5;
const QUIET_DAYS = 3;

/** The connection as LoginHistory shows it: rows newest first. */
export function connectionOf(logins: readonly LoginRow[]): StatusConnection {
  const lastOk = logins.find((l) => l.status === 'Success');
  const failures = logins.filter((l) => l.status !== 'Success').slice(0, RECENT_FAILURES);
  const state: ConnectionState = logins.length === 0 ? 'never' : logins[0].status === 'Success' ? 'connected' : 'failing';
  return { state, lastLoginAt: lastOk?.loginTime, lastLoginIp: lastOk?.sourceIp, recentFailures: failures.map((f) => ({ time: f.loginTime, status: f.status })) };
}

type Ctx = { org: Org; options: StatusOptions; username: string };

const readLogins = (ctx: Ctx): ReturnType<typeof readUserLogins> =>
  readUserLogins(ctx.org.getConnection(), ctx.username, [ctx.options.appName, ctx.options.label ?? ctx.options.appName]);

async function tokensOf(ctx: Ctx, userId: string | undefined): Promise<StatusResult['tokens']> {
  try {
    const usage = await readTokenUsage(ctx.org.getConnection(), ctx.options.appName);
    if (!usage.appFound) return { count: 0, note: messages.getMessage('note.noTokens') };
    const mine = usage.users.find((u) => (userId && u.userId?.slice(0, 15) === userId.slice(0, 15)) || u.username?.toLowerCase() === ctx.username.toLowerCase());
    return { count: mine?.tokenCount ?? 0, lastUsedAt: mine?.lastUsedDate };
  } catch (error) {
    return { note: messages.getMessage('note.tokensUnreadable', [(error as Error).message]) };
  }
}

async function certificateOf(ctx: Ctx): Promise<StatusResult['certificate']> {
  const name = componentNames(ctx.options.appName).globalSettings;
  const xml = await readComponentXml(ctx.org.getConnection(), 'ExtlClntAppGlobalOauthSettings', name).catch(() => undefined);
  const pem = xml ? getText(parseMetadataXml(xml, 'global OAuth settings (org)'), 'certificate') : undefined;
  if (!pem) return { note: messages.getMessage('note.noCertificate', [ctx.options.appName]) };
  const info = describeCertificate(parseCertificatePem(pem, 'the deployed certificate'));
  const daysLeft = daysUntil(info.notAfter, new Date(ctx.options.now?.() ?? Date.now()));
  const warning = daysLeft <= EXPIRY_WARNING_DAYS ? messages.getMessage('warning.certificateExpiring', [String(daysLeft), info.notAfter]) : undefined;
  return { expiresAt: info.notAfter, daysLeft, ...(warning ? { warning } : {}) };
}

async function eventLogsOf(ctx: Ctx, createdDate: string | undefined): Promise<StatusResult['eventLogs']> {
  try {
    const report = await checkEventLogs(ctx.org.getConnection(), ctx.org.getUsername() ?? 'you');
    const notes = [...report.notes];
    const empty = report.types.filter((t) => t.files === 0).map((t) => t.eventType);
    const young = createdDate !== undefined && (ctx.options.now?.() ?? Date.now()) - new Date(createdDate).getTime() < QUIET_DAYS * 86_400_000;
    if (empty.length > 0) notes.push(messages.getMessage(young ? 'note.noFilesNormal' : 'note.noFiles', [empty.join(', ')]));
    return { types: report.types.map((t) => ({ eventType: t.eventType, files: t.files, newestLogDate: t.newestLogDate })), notes };
  } catch (error) {
    return { types: [], notes: [messages.getMessage('note.eventLogsUnreadable', [(error as Error).message])] };
  }
}

/** Polls the logins until the first successful one, or the wait runs out. */
async function waitForLogin(ctx: Ctx): Promise<{ logins: Awaited<ReturnType<typeof readUserLogins>>; waited: number }> {
  const now = ctx.options.now ?? Date.now;
  const sleep = ctx.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const start = now();
  const deadline = start + ctx.options.waitMinutes * 60_000;
  for (;;) {
    // eslint-disable-next-line no-await-in-loop -- one poll after another
    const logins = await readLogins(ctx);
    const state = connectionOf(logins.logins).state;
    if (state === 'connected' || now() >= deadline) return { logins, waited: (now() - start) / 60_000 };
    ctx.options.onPoll?.(messages.getMessage('info.waiting', [state, String(Math.ceil((deadline - now()) / 60_000))]));
    // eslint-disable-next-line no-await-in-loop
    await sleep(Math.min(ctx.options.pollMs, Math.max(0, deadline - now())));
  }
}

export async function runStatus(org: Org, options: StatusOptions): Promise<StatusResult> {
  const username = options.integrationUser ?? defaultIntegrationUsername(options.appName, org.getUsername() ?? '');
  const ctx: Ctx = { org, options, username };
  const { logins, waited } = options.waitMinutes > 0 ? await waitForLogin(ctx) : { logins: await readLogins(ctx), waited: undefined };
  if (!logins.userId) throw messages.createError('error.IntegrationUserMissing', [username]);
  const connection = connectionOf(logins.logins);
  const [tokens, certificate, eventLogs] = await Promise.all([tokensOf(ctx, logins.userId), certificateOf(ctx), eventLogsOf(ctx, logins.createdDate)]);
  return {
    appName: options.appName,
    username,
    connected: connection.state === 'connected',
    connection,
    tokens,
    certificate,
    eventLogs,
    ...(waited === undefined ? {} : { waitedMinutes: Math.round(waited * 10) / 10 }),
  };
}
