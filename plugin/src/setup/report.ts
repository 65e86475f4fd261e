/**
 * The human output of setup: the checks, then the hand-off blocks for each vendor. The JSON result carries
 * the same facts; neither ever carries key material.
 */
import type { Messages } from '@salesforce/core';
import { formatPlan } from '../plan/plan.js';
import type { SetupResult } from './result.js';

const SYMBOL: Record<string, string> = { pass: '✔', warn: '!', fail: '✖', skip: '-' };

function block(rows: Array<[string, string | null]>, messages: Messages<string>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v ?? messages.getMessage('report.notYet')}`).join('\n');
}

/** The hand-off: only the blocks of the vendors chosen with --vendor. */
function handoffLines(v: SetupResult['vendor'], messages: Messages<string>): string[] {
  const lines: string[] = [];
  if (v.anzenna) {
    lines.push(messages.getMessage('info.handoff.anzenna'));
    lines.push(
      block(
        [
          [messages.getMessage('report.label.consumerKey'), v.anzenna.consumerKey],
          [messages.getMessage('report.label.salesforceUrl'), v.anzenna.salesforceUrl],
          [messages.getMessage('report.label.adminEmail'), v.anzenna.adminEmail],
        ],
        messages
      )
    );
  }
  if (v.elastic) {
    if (lines.length > 0) lines.push('');
    lines.push(messages.getMessage('info.handoff.elastic'));
    lines.push(
      block(
        [
          [messages.getMessage('report.label.audienceUrl'), v.elastic.audienceUrl],
          [messages.getMessage('report.label.clientKeyPath'), v.elastic.clientKeyPath],
          [messages.getMessage('report.label.username'), v.elastic.username],
          [messages.getMessage('report.label.clientId'), v.elastic.clientId],
          [messages.getMessage('report.label.instanceUrl'), v.elastic.instanceUrl],
          [messages.getMessage('report.label.tokenUrl'), v.elastic.tokenUrl],
          [messages.getMessage('report.label.apiVersion'), v.elastic.apiVersion],
        ],
        messages
      )
    );
    const snippet = v.elastic.configSnippet;
    if (snippet) lines.push('', messages.getMessage('info.handoff.elasticSnippet'), ...snippet.split('\n').map((l) => (l ? `  ${l}` : '')));
  }
  return lines;
}

export function renderSetupReport(result: SetupResult, messages: Messages<string>): string {
  const lines: string[] = [];
  lines.push('', messages.getMessage(`report.checks${result.dryRun ? '.dryRun' : ''}${result.isSandbox ? '.sandbox' : ''}`, [result.edition]));
  for (const c of result.checks) lines.push(`  ${SYMBOL[c.status]} ${c.message}`);
  if (result.eventLogs) {
    lines.push('', messages.getMessage('report.eventLogs'));
    lines.push(
      block(
        result.eventLogs.types.map((t) => [
          t.eventType,
          t.files > 0 ? messages.getMessage('report.eventLogs.files', [t.files, t.newestLogDate ?? '?', t.intervals.join('/')]) : messages.getMessage('report.eventLogs.none'),
        ]),
        messages
      )
    );
  }
  lines.push('');
  if (result.dryRun) {
    lines.push(messages.getMessage('report.dryRunPlan'));
    for (const line of formatPlan(result.plan)) lines.push(`  ${line}`);
    return lines.join('\n');
  }
  if (!result.changed) lines.push(messages.getMessage('info.noChanges'), '');
  else {
    lines.push(messages.getMessage('report.changed'));
    for (const c of result.changes) lines.push(`  - ${c.action}: ${c.detail}`);
    lines.push('');
  }
  lines.push(...handoffLines(result.vendor, messages));
  const { certificateSha256: sha256, certificateExpiresAt: expires, certificatePath: path } = result;
  lines.push('', path ? messages.getMessage('report.certificate.path', [sha256, expires, path]) : messages.getMessage('report.certificate', [sha256, expires]));
  return lines.join('\n');
}
