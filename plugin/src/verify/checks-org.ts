/**
 * Org checks: the edition has Event Monitoring, event log generation is on, the add-on (event types beyond
 * the free set, hourly files), and how far back the log files go.
 */
import { Messages } from '@salesforce/core';
import { getText } from '../metadata/xml.js';
import { FIRST_FILES_DELAY, FREE_EVENT_TYPES } from '../logs/event-log-check.js';
import { editionWithoutEventMonitoringError } from '../org/facts.js';
import type { VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify.checks');

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A daily file's LogDate is the start of the UTC day it covers, and it appears the day after: a newest LogDate older than this means generation has stopped. */
export const STALE_LOGS_HOURS = 72;

const parseDate = (value: string): number => Date.parse(value.replace(/\+0000$/, 'Z'));
/** For checks that read EventLogFile: an edition without it is reported once, by org.edition. */
export async function withEventMonitoring(ctx: VerifyContext): Promise<void> {
  const org = await need(ctx.org, 'org.edition');
  if (org.eventMonitoring === 'none') throw new SkipCheck(messages.getMessage('org.skip.noEventMonitoring', [org.edition]));
}

/** The setup command that fixes most findings, for this org and app. */
export const setupCommand = (ctx: VerifyContext): string => `sf anzenna setup${targetOrgArg(ctx)}${ctx.options.appName === 'Anzenna' ? '' : ` --app-name ${ctx.options.appName}`}`;

/** ` --target-org <what the user typed>` (an alias stays an alias); nothing when the default org was used. */
export const targetOrgArg = (ctx: VerifyContext): string => (ctx.options.targetOrg ? ` --target-org ${ctx.options.targetOrg}` : '');

export const orgChecks: Array<Check<VerifyContext>> = [
  {
    id: 'org.edition',
    group: 'org',
    title: messages.getMessage('org.edition.title'),
    async run(ctx) {
      const org = await ctx.org();
      const where = [org.name, org.orgId, org.edition];
      const sandbox = org.isSandbox ? '.sandbox' : '';
      switch (org.eventMonitoring) {
        case 'none': {
          const error = editionWithoutEventMonitoringError(org.name, org.edition);
          return fail(error.message, error.actions ?? []);
        }
        case 'included':
          return pass(messages.getMessage(`org.edition.pass.included${sandbox}`, where));
        case 'add-on':
          return pass(messages.getMessage(`org.edition.pass.addOn${sandbox}`, where));
        default:
          return warn(messages.getMessage(`org.edition.warn${sandbox}`, where), messages.getMessages('org.edition.warn.actions'));
      }
    },
  },
  {
    id: 'org.eventLogGeneration',
    group: 'org',
    title: messages.getMessage('org.eventLogGeneration.title'),
    async run(ctx) {
      const app = await need(ctx.app, 'app.exists');
      const settings = app.doc('eventSettings');
      if (!settings) {
        return warn(messages.getMessage('org.eventLogGeneration.warn'), messages.getMessages('org.eventLogGeneration.warn.actions'));
      }
      const value = getText(settings, 'enableEventLogGeneration');
      if (value?.trim().toLowerCase() === 'true') return pass(messages.getMessage('org.eventLogGeneration.pass'));
      return fail(
        messages.getMessage('org.eventLogGeneration.fail', [value ?? messages.getMessage('value.notSet')]),
        messages.getMessages('org.eventLogGeneration.fail.actions', [setupCommand(ctx)])
      );
    },
  },
  {
    id: 'org.addOn',
    group: 'org',
    title: messages.getMessage('org.addOn.title'),
    async run(ctx) {
      await withEventMonitoring(ctx);
      const [stats, org] = await Promise.all([ctx.eventLogStats(), ctx.org()]);
      const types = [...new Set(stats.filter((s) => s.files > 0).map((s) => s.eventType))].sort();
      if (types.length === 0) throw new SkipCheck(messages.getMessage('org.addOn.skip'));
      const paid = types.filter((t) => !(FREE_EVENT_TYPES as readonly string[]).includes(t));
      const hourly = stats.some((s) => s.interval === 'Hourly' && s.files > 0);
      if (paid.length > 0) {
        const shown = `${paid.slice(0, 8).join(', ')}${paid.length > 8 ? ', …' : ''}`;
        return pass(messages.getMessage(hourly ? 'org.addOn.pass.hourly' : 'org.addOn.pass.daily', [paid.length, shown]));
      }
      return warn(messages.getMessage('org.addOn.warn', [types.join(', '), org.edition]), messages.getMessages('org.addOn.warn.actions'));
    },
  },
  {
    id: 'org.retention',
    group: 'org',
    title: messages.getMessage('org.retention.title'),
    async run(ctx) {
      await withEventMonitoring(ctx);
      const stats = (await ctx.eventLogStats()).filter((s) => s.files > 0);
      if (stats.length === 0) {
        return warn(messages.getMessage('org.retention.warn.none'), messages.getMessages('org.retention.warn.none.actions', [FIRST_FILES_DELAY]));
      }
      const now = Date.now();
      const oldest = Math.min(...stats.map((s) => parseDate(s.oldest ?? s.newest ?? '')).filter(Number.isFinite));
      const newest = Math.max(...stats.map((s) => parseDate(s.newest ?? s.oldest ?? '')).filter(Number.isFinite));
      const files = stats.reduce((sum, s) => sum + s.files, 0);
      const details = stats
        .sort((a, b) => a.eventType.localeCompare(b.eventType) || a.interval.localeCompare(b.interval))
        .map((s) => messages.getMessage('org.retention.detail', [s.eventType, s.interval, s.files, s.oldest ?? '?', s.newest ?? '?']));
      const [days, from, to] = [Math.floor((now - oldest) / DAY_MS), new Date(oldest).toISOString(), new Date(newest).toISOString()];
      if (now - newest > STALE_LOGS_HOURS * HOUR_MS) {
        const hours = Math.floor((now - newest) / HOUR_MS);
        return warn(messages.getMessage('org.retention.warn.stale', [hours, files, days, from, to]), messages.getMessages('org.retention.warn.stale.actions'), details);
      }
      return pass(messages.getMessage('org.retention.pass', [files, days, from, to]), details);
    },
  },
];
