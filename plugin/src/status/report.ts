/** The human-readable status report (the same facts as --json). */
import type { StatusResult } from './run-status.js';

export function renderStatusReport(r: StatusResult): string {
  const c = r.connection;
  const lines = [`Connection (${r.username} through ${r.appName}): ${c.state}`];
  if (c.lastLoginAt) lines.push(`  last login ${c.lastLoginAt} from ${c.lastLoginIp ?? 'unknown'}`);
  for (const f of c.recentFailures) lines.push(`  failed ${f.time}: ${f.status}`);
  lines.push(`OAuth tokens: ${r.tokens.count ?? 'unknown'}${r.tokens.lastUsedAt ? `, last used ${r.tokens.lastUsedAt}` : ''}${r.tokens.note ? ` (${r.tokens.note})` : ''}`);
  const cert = r.certificate;
  lines.push(cert.expiresAt ? `Certificate: expires ${cert.expiresAt} (${cert.daysLeft} days left)` : `Certificate: ${cert.note ?? 'unknown'}`);
  if (cert.warning) lines.push(`  ${cert.warning}`);
  lines.push('Event log files (newest per type):');
  for (const t of r.eventLogs.types) lines.push(`  ${t.eventType}: ${t.files} file(s)${t.newestLogDate ? `, newest ${t.newestLogDate}` : ''}`);
  for (const n of r.eventLogs.notes) lines.push(`  ${n}`);
  return lines.join('\n');
}
