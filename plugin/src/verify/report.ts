/**
 * The human output of verify: one block per group, a row per check with its symbol, id and message, the
 * actions under anything that did not pass, and a one-line verdict.
 */
import { CHECK_GROUPS, type CheckGroup, type CheckResult, type VerifyResult } from './types.js';

export const SYMBOLS: Record<CheckResult['status'], string> = { pass: '✔', warn: '!', fail: '✖', skip: '-' };

const GROUP_TITLES: Record<CheckGroup, string> = {
  org: 'Org',
  app: 'External Client App',
  certificate: 'Certificate',
  consumerKey: 'Consumer key',
  user: 'Integration user',
  live: 'Live',
};

export function renderVerifyReport(result: VerifyResult, options: { details?: boolean } = {}): string {
  const width = Math.max(...result.checks.map((c) => c.id.length));
  const lines: string[] = [
    `${result.appName} in ${result.edition ?? 'the org'}${result.isSandbox ? ' (sandbox)' : ''} ${result.orgId ?? ''} at ${result.instanceUrl}, integration user ${result.integrationUser}`.replace(/\s+/g, ' ').trim(),
  ];
  for (const group of CHECK_GROUPS) {
    const checks = result.checks.filter((c) => c.group === group);
    if (checks.length === 0) continue;
    lines.push('', GROUP_TITLES[group]);
    for (const c of checks) {
      lines.push(`  ${SYMBOLS[c.status]} ${c.id.padEnd(width)}  ${c.message}`);
      const indent = ' '.repeat(width + 7);
      if (c.status !== 'pass' || options.details) for (const d of c.details ?? []) lines.push(`${indent}· ${d}`);
      if (c.status !== 'pass') for (const a of c.actions ?? []) lines.push(`${indent}→ ${a}`);
    }
  }
  lines.push('', result.verdict);
  return lines.join('\n');
}
