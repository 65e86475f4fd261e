/**
 * The human output of setup: the checks, then the hand-off blocks for each vendor. The JSON result carries
 * the same facts; neither ever carries key material.
 */
import type { Messages } from '@salesforce/core';
import { formatPlan } from '../plan/plan.js';
import type { SetupResult } from './result.js';

const SYMBOL: Record<string, string> = { pass: '✔', warn: '!', fail: '✖', skip: '-' };

function block(rows: Array<[string, string | null]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v ?? '(not yet: dry run)'}`).join('\n');
}

/** The hand-off: only the blocks of the vendors chosen with --vendor. */
function handoffLines(v: SetupResult['vendor'], messages: Messages<string>): string[] {
  const lines: string[] = [];
  if (v.anzenna) {
    lines.push(messages.getMessage('info.handoff.anzenna'));
    lines.push(block([['Consumer Key', v.anzenna.consumerKey], ['Salesforce URL', v.anzenna.salesforceUrl], ['Admin email', v.anzenna.adminEmail]]));
  }
  if (v.elastic) {
    if (lines.length > 0) lines.push('');
    lines.push(messages.getMessage('info.handoff.elastic'));
    lines.push(
      block([
        ['JWT Authentication Audience URL', v.elastic.audienceUrl],
        ['JWT Authentication Client Key Path', v.elastic.clientKeyPath],
        ['Username', v.elastic.username],
        ['Client ID', v.elastic.clientId],
        ['Instance URL', v.elastic.instanceUrl],
        ['Token URL', v.elastic.tokenUrl],
        ['API version', v.elastic.apiVersion],
      ])
    );
    const snippet = v.elastic.configSnippet;
    if (snippet) lines.push('', messages.getMessage('info.handoff.elasticSnippet'), ...snippet.split('\n').map((l) => (l ? `  ${l}` : '')));
  }
  return lines;
}

export function renderSetupReport(result: SetupResult, messages: Messages<string>): string {
  const lines: string[] = [];
  lines.push('', `Checks (${result.dryRun ? 'dry run, ' : ''}${result.edition}${result.isSandbox ? ', sandbox' : ''}):`);
  for (const c of result.checks) lines.push(`  ${SYMBOL[c.status]} ${c.message}`);
  if (result.eventLogs) {
    lines.push('', 'Event log files by type (vendor event types):');
    lines.push(
      block(
        result.eventLogs.types.map((t) => [
          t.eventType,
          t.files > 0 ? `${t.files} file(s), newest ${t.newestLogDate ?? '?'}, ${t.intervals.join('/')}` : 'none yet',
        ])
      )
    );
  }
  lines.push('');
  if (result.dryRun) {
    lines.push('Dry run: nothing was changed. The plan (each action, each field from → to):');
    for (const line of formatPlan(result.plan)) lines.push(`  ${line}`);
    return lines.join('\n');
  }
  if (!result.changed) lines.push(messages.getMessage('info.noChanges'), '');
  else {
    lines.push('Changed:');
    for (const c of result.changes) lines.push(`  - ${c.action}: ${c.detail}`);
    lines.push('');
  }
  lines.push(...handoffLines(result.vendor, messages));
  lines.push('', `Certificate: SHA-256 ${result.certificateSha256}, expires ${result.certificateExpiresAt}${result.certificatePath ? ` (${result.certificatePath})` : ''}`);
  return lines.join('\n');
}
