/**
 * Live checks: a real JWT bearer login (errors decoded into causes), the clock against the org's, the
 * vendor's event types read through the API with one log file checked, and the OAuth tokens issued for the
 * app with when they were last used.
 */
import { Messages, SfError } from '@salesforce/core';
import { ASSERTION_LIFETIME_SECONDS } from '../auth/jwt-assertion.js';
import { existingApp } from './checks-app.js';
import { FIRST_FILES_DELAY } from '../logs/event-log-check.js';
import { setupCommand, targetOrgArg, withEventMonitoring } from './checks-org.js';
import type { VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn, type Outcome } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify.checks');

/** Skew beyond this is worth fixing; beyond CLOCK_SKEW_FAIL_SECONDS assertions arrive expired (or too far ahead). */
export const CLOCK_SKEW_WARN_SECONDS = 30;
export const CLOCK_SKEW_FAIL_SECONDS = ASSERTION_LIFETIME_SECONDS - 30;
/** Tokens unused for longer than this: the vendor has stopped collecting. */
export const TOKEN_STALE_DAYS = 7;

/** Counts go in as `String()`: a token last used a moment "in the future" (clock skew) rounds to -0, which util.format writes as -0. */
function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return messages.getMessage('live.tokens.ago.minutes', [String(minutes)]);
  const hours = Math.round(minutes / 60);
  return hours < 48 ? messages.getMessage('live.tokens.ago.hours', [String(hours)]) : messages.getMessage('live.tokens.ago.days', [String(Math.round(hours / 24))]);
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
    title: messages.getMessage('live.jwt.title'),
    async run(ctx) {
      try {
        const login = await ctx.login();
        const tried = login.attempts
          .filter((a) => a.outcome !== 'ok')
          .map((a) => messages.getMessage('live.jwt.pass.tried', [a.tokenUrl, a.audience, a.outcome, a.description ?? '']).trim());
        return pass(messages.getMessage('live.jwt.pass', [ctx.username, login.tokenUrl, login.audience]), tried);
      } catch (error) {
        if (error instanceof SkipCheck) throw error;
        return failureFrom(error);
      }
    },
  },
  {
    id: 'live.clockSkew',
    group: 'live',
    title: messages.getMessage('live.clockSkew.title'),
    async run(ctx) {
      const { skewMs, serverDate } = await ctx.clock();
      const seconds = Math.round(skewMs / 1000);
      const way = seconds > 0 ? 'behind' : 'ahead';
      const actions = messages.getMessages('live.clockSkew.actions');
      if (Math.abs(seconds) > CLOCK_SKEW_FAIL_SECONDS) return fail(messages.getMessage(`live.clockSkew.fail.${way}`, [Math.abs(seconds), serverDate]), actions);
      if (Math.abs(seconds) > CLOCK_SKEW_WARN_SECONDS) {
        return warn(messages.getMessage(`live.clockSkew.warn.${way}`, [Math.abs(seconds), serverDate, ASSERTION_LIFETIME_SECONDS]), actions);
      }
      return pass(messages.getMessage('live.clockSkew.pass', [Math.max(1, Math.abs(seconds))]));
    },
  },
  {
    id: 'live.eventLogs',
    group: 'live',
    title: messages.getMessage('live.eventLogs.title'),
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
      const as = asIntegrationUser ? 'user' : 'admin';
      const details = report.types.map((t) =>
        t.files > 0
          ? messages.getMessage('live.eventLogs.detail', [t.eventType, t.files, t.newestLogDate ?? '?', t.intervals.join('/')])
          : messages.getMessage('live.eventLogs.detail.none', [t.eventType])
      );
      const absent = report.types.filter((t) => t.files === 0).map((t) => t.eventType);
      const total = report.types.length;
      if (absent.length === 0) return pass(messages.getMessage(`live.eventLogs.pass.${as}`, [who, total]), details);
      const note = report.notes[0] ?? messages.getMessage('live.eventLogs.warn.noFiles', [absent.join(', ')]);
      return warn(
        messages.getMessage(`live.eventLogs.warn.${as}`, [who, total - absent.length, total, absent.join(', '), note]),
        messages.getMessages('live.eventLogs.warn.actions', [FIRST_FILES_DELAY]),
        details
      );
    },
  },
  {
    id: 'live.logFile',
    group: 'live',
    title: messages.getMessage('live.logFile.title'),
    async run(ctx) {
      const { report } = await need(ctx.eventLogs, 'live.eventLogs');
      const s = report.sample;
      if (!s) throw new SkipCheck(messages.getMessage('live.logFile.skip'));
      if (s.headerMatches) return pass(messages.getMessage('live.logFile.pass', [s.eventType, s.logDate, s.length, s.bytesRead, s.columns]));
      return warn(
        messages.getMessage('live.logFile.warn', [s.eventType, s.logDate, s.length, s.bytesRead]),
        messages.getMessages('live.logFile.warn.actions'),
        [messages.getMessage('live.logFile.warn.detail', [s.id])]
      );
    },
  },
  {
    id: 'live.tokens',
    group: 'live',
    title: messages.getMessage('live.tokens.title'),
    async run(ctx) {
      // Like the other checks that need the app: without it there is nothing the vendor could have connected to.
      await existingApp(ctx);
      const [usage, user] = await Promise.all([ctx.tokenUsage(), ctx.user().catch(() => undefined)]);
      const mine = usage.users.filter((u) => u.username?.toLowerCase() === ctx.username.toLowerCase() || (user?.id !== undefined && u.userId === user.id));
      const others = usage.users.filter((u) => !mine.includes(u)).map((u) => u.username ?? u.userId ?? '?');
      const details = usage.users.map((u) => {
        const [who, tokens, uses] = [u.username ?? u.userId ?? '?', u.tokenCount ?? '?', u.useCount ?? '?'];
        if (u.lastUsedDate === undefined) return messages.getMessage('live.tokens.detail.never', [who, tokens, uses]);
        return messages.getMessage('live.tokens.detail', [who, tokens, uses, u.lastUsedDate]);
      });
      const check = messages.getMessages('live.tokens.warn.actions', [targetOrgArg(ctx)]);
      const last = Math.max(...mine.map((u) => Date.parse(u.lastUsedDate ?? '')).filter(Number.isFinite), -Infinity);
      const { appName } = ctx.options;
      if (mine.length === 0 || !Number.isFinite(last)) {
        return warn(messages.getMessage(usage.appFound ? 'live.tokens.warn.unused' : 'live.tokens.warn.unused.noUsage', [appName, ctx.username]), check, details);
      }
      const tokens = mine.reduce((sum, u) => sum + (u.tokenCount ?? 0), 0);
      const [lastUsed, since] = [new Date(last).toISOString(), ago(Date.now() - last)];
      if (Date.now() - last > TOKEN_STALE_DAYS * 24 * 3_600_000) {
        return warn(messages.getMessage('live.tokens.warn.stale', [ctx.username, tokens, appName, lastUsed, since]), check, details);
      }
      if (others.length > 0) {
        const actions = messages.getMessages('live.tokens.warn.others.actions', [appName, setupCommand(ctx)]);
        return warn(messages.getMessage('live.tokens.warn.others', [ctx.username, lastUsed, since, others.join(', ')]), actions, details);
      }
      return pass(messages.getMessage('live.tokens.pass', [tokens, ctx.username, lastUsed, since]), details);
    },
  },
];
