/**
 * After a sandbox refresh every username carries the sandbox's name as a suffix (`user@example.com.dev`).
 * When the integration user is not found under its name, its sandbox copy is looked for, so setup finishes
 * the job with that user instead of creating a second one.
 */
import type { Connection } from '@jsforce/jsforce-node';
import { readIntegrationUser, type IntegrationUserState } from './integration-user.js';

/** LIKE pattern of `<username>.%` (quotes escaped; a `_` in the name matches itself among others: the rows are filtered exactly below). */
const likePrefix = (username: string): string => `'${username.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}.%'`;

/** Sandbox names are letters and digits (Salesforce: up to 10 alphanumeric characters). */
const SANDBOX_SUFFIX = /^[A-Za-z0-9]{1,10}$/;

/** The one `<username>.<sandbox>` user of this org, if there is exactly one. */
export async function findSandboxUsername(conn: Connection, username: string): Promise<string | undefined> {
  const { records } = await conn.query<{ Username: string }>(`SELECT Username FROM User WHERE Username LIKE ${likePrefix(username)}`);
  const copies = records.map((r) => r.Username).filter((u) => u.toLowerCase().startsWith(`${username.toLowerCase()}.`) && SANDBOX_SUFFIX.test(u.slice(username.length + 1)));
  return copies.length === 1 ? copies[0] : undefined;
}

/** The user as read under its name, else (in a sandbox) its refreshed copy; `renamedFrom` names the name asked. */
export async function withSandboxCopy(conn: Connection, user: IntegrationUserState, isSandbox: Promise<boolean>): Promise<IntegrationUserState & { renamedFrom?: string }> {
  if (user.id || !(await isSandbox)) return user;
  const copy = await findSandboxUsername(conn, user.username);
  return copy ? { ...(await readIntegrationUser(conn, copy)), renamedFrom: user.username } : user;
}
