/**
 * Live checks: a real JWT bearer login (errors decoded into causes), the clock against the org's, the
 * vendor's event types read through the API with one log file checked, and the OAuth tokens issued for the
 * app with when they were last used.
 */
import { SfError } from '@salesforce/core';
import { ASSERTION_LIFETIME_SECONDS } from '../auth/jwt-assertion.js';
import { existingApp } from './checks-app.js';
import { FIRST_FILES_DELAY } from '../logs/event-log-check.js';
import { setupCommand, targetOrgArg, withEventMonitoring } from './checks-org.js';
import type { VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn, type Outcome } from './types.js';

/** Skew beyond this is worth fixing; beyond CLOCK_SKEW_FAIL_SECONDS assertions arrive expired (or too far ahead). */
export const CLOCK_SKEW_WARN_SECONDS = 30;
export const CLOCK_SKEW_FAIL_SECONDS = ASSERTION_LIFETIME_SECONDS - 30;
/** Tokens unused for longer than this: the vendor has stopped collecting. */
export const TOKEN_STALE_DAYS = 7;

function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} minute(s) ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hour(s) ago` : `${Math.round(hours / 24)} day(s) ago`;
}

/** A named error from a step (a refused login, an unreadable EventLogFile) as a failed check with its actions. */
function failureFrom(error: unknown): Outcome {
  if (!(error instanceof SfError)) throw error;
  const [message, ...rest] = error.message.split('\n');
  const details = rest.map((l) => l.trim()).filter((l) => l.length > 0 && l !== 'Tried:');
  return fail(message, error.actions ?? [], details);
}

export const liveChecks: Array<Check<VerifyContext>> = [
  {
    id: 'live.jwt',
    group: 'live',
    title: 'JWT bearer login as the integration user',
    async run(ctx) {
      try {
        const login = await ctx.login();
        const tried = login.attempts.filter((a) => a.outcome !== 'ok').map((a) => `${a.tokenUrl} (aud ${a.audience}): ${a.outcome} ${a.description ?? ''}`.trim());
        return pass(`Logged in as ${ctx.username} at ${login.tokenUrl} (audience ${login.audience}).`, tried);
      } catch (error) {
        if (error instanceof SkipCheck) throw error;
        return failureFrom(error);
      }
    },
  },
  {
    id: 'live.clockSkew',
    group: 'live',
    title: "Clock in step with the org's",
    async run(ctx) {
      const { skewMs, serverDate } = await ctx.clock();
      const seconds = Math.round(skewMs / 1000);
      const how = `This machine's clock is ${Math.abs(seconds)} s ${seconds > 0 ? 'behind' : 'ahead of'} the org's (org: ${serverDate})`;
      const actions = ["Synchronise this machine's clock with NTP (Linux: timedatectl set-ntp true; macOS: sntp -sS time.apple.com; Windows: w32tm /resync), then run this again."];
      if (Math.abs(seconds) > CLOCK_SKEW_FAIL_SECONDS) {
        return fail(`${how}: JWT assertions from here arrive ${seconds > 0 ? 'already expired ("expired authorization code")' : 'too far in the future'}.`, actions);
      }
      if (Math.abs(seconds) > CLOCK_SKEW_WARN_SECONDS) return warn(`${how}; assertions live ${ASSERTION_LIFETIME_SECONDS} s, so this eats into their margin.`, actions);
      return pass(`Clock within ${Math.max(1, Math.abs(seconds))} s of the org's.`);
    },
  },
  {
    id: 'live.eventLogs',
    group: 'live',
    title: "EventLogFile readable for the vendor's event types",
    async run(ctx) {
      await withEventMonitoring(ctx);
      let result: Awaited<ReturnType<VerifyContext['eventLogs']>>;
      try {
        result = await ctx.eventLogs();
      } catch (error) {
        if (error instanceof SkipCheck) throw error;
        return failureFrom(error);
      }
      const { report, who, asIntegrationUser } = result;
      const as = asIntegrationUser ? `as ${who}` : `as the admin ${who} (no key for the integration user)`;
      const details = report.types.map((t) => (t.files > 0 ? `${t.eventType}: ${t.files} file(s), newest ${t.newestLogDate ?? '?'}, ${t.intervals.join('/')}` : `${t.eventType}: none`));
      const absent = report.types.filter((t) => t.files === 0).map((t) => t.eventType);
      if (absent.length === 0) return pass(`Queried EventLogFile ${as}: all ${report.types.length} vendor event types have files.`, details);
      const note = report.notes[0] ?? `${absent.join(', ')} have no files.`;
      return warn(
        `Queried EventLogFile ${as}: ${report.types.length - absent.length} of ${report.types.length} vendor event types have files (none for ${absent.join(', ')}). ${note}`,
        [
          `${FIRST_FILES_DELAY} If the org is new, run this again in a day or two.`,
          'Event types beyond Login and Logout need the Event Monitoring add-on (see org.addOn).',
        ],
        details
      );
    },
  },
  {
    id: 'live.logFile',
    group: 'live',
    title: 'One log file downloads (CSV header)',
    async run(ctx) {
      const { report } = await need(ctx.eventLogs, 'live.eventLogs');
      const s = report.sample;
      if (!s) throw new SkipCheck('No log file to read yet (see live.eventLogs).');
      const what = `the ${s.eventType} log of ${s.logDate} (${s.length} bytes; read ${s.bytesRead} bytes, then stopped)`;
      if (s.headerMatches) return pass(`Read ${what}: its ${s.columns}-column CSV header matches LogFileFieldNames.`);
      return warn(`Read ${what}: its CSV header does not match LogFileFieldNames, so a collector mapping columns by LogFileFieldNames misreads it.`, [
        'Report it to the vendor with the file Id and event type; Salesforce Support can regenerate a damaged file.',
      ], [`EventLogFile ${s.id}`]);
    },
  },
  {
    id: 'live.tokens',
    group: 'live',
    title: 'OAuth tokens issued for the app, last use',
    async run(ctx) {
      // Like the other checks that need the app: without it there is nothing the vendor could have connected to.
      await existingApp(ctx);
      const [usage, user] = await Promise.all([ctx.tokenUsage(), ctx.user().catch(() => undefined)]);
      const mine = usage.users.filter((u) => u.username?.toLowerCase() === ctx.username.toLowerCase() || (user?.id !== undefined && u.userId === user.id));
      const others = usage.users.filter((u) => !mine.includes(u)).map((u) => u.username ?? u.userId ?? '?');
      const details = usage.users.map((u) => `${u.username ?? u.userId ?? '?'}: ${u.tokenCount ?? '?'} token(s), used ${u.useCount ?? '?'} time(s), last ${u.lastUsedDate ?? 'never'}`);
      const check = ['Check the vendor\'s connection status (Anzenna: Settings > Integrations > Salesforce must say Connected).', `If it is not connected, run sf anzenna verify${targetOrgArg(ctx)} --consumer-key <the key the vendor has> and fix what fails.`];
      const last = Math.max(...mine.map((u) => Date.parse(u.lastUsedDate ?? '')).filter(Number.isFinite), -Infinity);
      if (mine.length === 0 || !Number.isFinite(last)) {
        return warn(`No OAuth token for ${ctx.options.appName} has been used by ${ctx.username} yet: the vendor has not connected${usage.appFound ? '' : ' (the app has no OAuth usage at all)'}.`, check, details);
      }
      const tokens = mine.reduce((sum, u) => sum + (u.tokenCount ?? 0), 0);
      const when = `${new Date(last).toISOString()} (${ago(Date.now() - last)})`;
      if (Date.now() - last > TOKEN_STALE_DAYS * 24 * 3_600_000) {
        return warn(`${ctx.username}'s ${tokens} token(s) for ${ctx.options.appName} were last used ${when}: the vendor has stopped collecting.`, check, details);
      }
      if (others.length > 0) {
        return warn(`${ctx.username} last used a token ${when}, but tokens were also issued to ${others.join(', ')}: only the integration user should use this app.`, [
          `Setup > External Client App Manager > ${ctx.options.appName} > OAuth Usage: revoke the other users' tokens; keep the permitted users limited to the integration profile and permission set (${setupCommand(ctx)} sets them).`,
        ], details);
      }
      return pass(`${tokens} token(s) issued to ${ctx.username}, last used ${when}.`, details);
    },
  },
];
