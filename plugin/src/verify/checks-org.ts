/**
 * Org checks: the edition has Event Monitoring, event log generation is on, the add-on (event types beyond
 * the free set, hourly files), and how far back the log files go.
 */
import { getText } from '../metadata/xml.js';
import { FIRST_FILES_DELAY, FREE_EVENT_TYPES } from '../logs/event-log-check.js';
import { editionWithoutEventMonitoringError } from '../org/facts.js';
import type { VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A daily file's LogDate is the start of the UTC day it covers, and it appears the day after: a newest LogDate older than this means generation has stopped. */
export const STALE_LOGS_HOURS = 72;

const parseDate = (value: string): number => Date.parse(value.replace(/\+0000$/, 'Z'));
/** For checks that read EventLogFile: an edition without it is reported once, by org.edition. */
export async function withEventMonitoring(ctx: VerifyContext): Promise<void> {
  const org = await need(ctx.org, 'org.edition');
  if (org.eventMonitoring === 'none') throw new SkipCheck(`${org.edition} has no Event Monitoring (see org.edition).`);
}

/** The setup command that fixes most findings, for this org and app. */
export const setupCommand = (ctx: VerifyContext): string => `sf anzenna setup${targetOrgArg(ctx)}${ctx.options.appName === 'Anzenna' ? '' : ` --app-name ${ctx.options.appName}`}`;

/** ` --target-org <what the user typed>` (an alias stays an alias); nothing when the default org was used. */
export const targetOrgArg = (ctx: VerifyContext): string => (ctx.options.targetOrg ? ` --target-org ${ctx.options.targetOrg}` : '');

export const orgChecks: Array<Check<VerifyContext>> = [
  {
    id: 'org.edition',
    group: 'org',
    title: 'Edition supports Event Monitoring',
    async run(ctx) {
      const org = await ctx.org();
      const where = `${org.name} (${org.orgId}): ${org.edition}${org.isSandbox ? ', sandbox' : ''}`;
      switch (org.eventMonitoring) {
        case 'none': {
          const error = editionWithoutEventMonitoringError(org.name, org.edition);
          return fail(error.message, error.actions ?? []);
        }
        case 'included':
          return pass(`${where}: Event Monitoring is included.`);
        case 'add-on':
          return pass(`${where}: Event Monitoring comes with the add-on (see org.addOn).`);
        default:
          return warn(`${where}, an edition whose Event Monitoring support we do not know.`, [
            'Check Setup > Company Information and your contract: Event Monitoring needs Enterprise with the add-on, Unlimited, Performance or Developer Edition.',
          ]);
      }
    },
  },
  {
    id: 'org.eventLogGeneration',
    group: 'org',
    title: 'Event log generation is on',
    async run(ctx) {
      const app = await need(ctx.app, 'app.exists');
      const settings = app.doc('eventSettings');
      if (!settings) {
        return warn('The Event settings could not be read from the org, so whether event log files are generated is unknown.', [
          'Open Setup > Event Monitoring Settings and check that "Generate event log files" is on.',
        ]);
      }
      const value = getText(settings, 'enableEventLogGeneration');
      if (value?.trim().toLowerCase() === 'true') return pass('Event log generation is on (EventSettings.enableEventLogGeneration).');
      return fail(`Event log generation is off (EventSettings.enableEventLogGeneration = ${value ?? 'not set'}): no new log files are written.`, [
        'Setup > Event Monitoring Settings: turn on "Generate event log files", then Save.',
        `Or run ${setupCommand(ctx)}, which deploys the Event settings.`,
      ]);
    },
  },
  {
    id: 'org.addOn',
    group: 'org',
    title: 'Event Monitoring add-on (event types, hourly files)',
    async run(ctx) {
      await withEventMonitoring(ctx);
      const [stats, org] = await Promise.all([ctx.eventLogStats(), ctx.org()]);
      const types = [...new Set(stats.filter((s) => s.files > 0).map((s) => s.eventType))].sort();
      if (types.length === 0) throw new SkipCheck('No event log files yet to tell from (see org.retention).');
      const paid = types.filter((t) => !(FREE_EVENT_TYPES as readonly string[]).includes(t));
      const hourly = stats.some((s) => s.interval === 'Hourly' && s.files > 0);
      if (paid.length > 0) {
        return pass(
          `${paid.length} event type(s) beyond the free set have files (${paid.slice(0, 8).join(', ')}${paid.length > 8 ? ', …' : ''}); ${
            hourly ? 'hourly files too.' : 'daily files only (hourly files come with the add-on or Shield).'
          }`
        );
      }
      return warn(
        `Only the free event types have files (${types.join(', ')}): the ${org.edition} org looks like it has no Event Monitoring add-on, so the vendor gets no URI, API, ApexExecution, Report, Dashboard or LoginAs logs.`,
        [
          'Ask your Salesforce account executive for the Event Monitoring add-on (or Shield).',
          'If it was bought recently: Setup > Event Monitoring Settings, "Generate event log files" on; Salesforce says files can be created within three days.',
        ]
      );
    },
  },
  {
    id: 'org.retention',
    group: 'org',
    title: 'Log files available (retention, newest file)',
    async run(ctx) {
      await withEventMonitoring(ctx);
      const stats = (await ctx.eventLogStats()).filter((s) => s.files > 0);
      if (stats.length === 0) {
        return warn('The org has no event log files yet.', [
          `${FIRST_FILES_DELAY} Run this again in a day or two.`,
          'Check Setup > Event Monitoring Settings: "Generate event log files" must be on (see org.eventLogGeneration).',
        ]);
      }
      const now = Date.now();
      const oldest = Math.min(...stats.map((s) => parseDate(s.oldest ?? s.newest ?? '')).filter(Number.isFinite));
      const newest = Math.max(...stats.map((s) => parseDate(s.newest ?? s.oldest ?? '')).filter(Number.isFinite));
      const files = stats.reduce((sum, s) => sum + s.files, 0);
      const details = stats
        .sort((a, b) => a.eventType.localeCompare(b.eventType) || a.interval.localeCompare(b.interval))
        .map((s) => `${s.eventType} (${s.interval}): ${s.files} file(s), ${s.oldest ?? '?'} … ${s.newest ?? '?'}`);
      const span = `${files} file(s); the oldest is ${Math.floor((now - oldest) / DAY_MS)} day(s) old (${new Date(oldest).toISOString()}), the newest ${new Date(newest).toISOString()}`;
      if (now - newest > STALE_LOGS_HOURS * HOUR_MS) {
        return warn(
          `No new event log file for ${Math.floor((now - newest) / HOUR_MS)} hours: ${span}. Generation may have stopped.`,
          [
            'Setup > Event Monitoring Settings: check that "Generate event log files" is on.',
            'Check status.salesforce.com for an Event Monitoring incident; if none, open a case with Salesforce Support.',
          ],
          details
        );
      }
      return pass(`${span} (retention: about 1 day without the add-on, 30 days with it).`, details);
    },
  },
];
