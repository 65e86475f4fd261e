/**
 * Has a user logged in through an app yet? LoginHistory rows of the user whose Application is the app
 * (UNVERIFIED: that Salesforce writes the External Client App's label there for a JWT bearer login; the
 * emulator does, see emulator/README.md). Read-only; `cert rotate --finish` asks it before retiring an app.
 */
import type { Connection } from '@salesforce/core';
import { q } from './integration-user.js';

/** `successes`: the newest successful login times, newest first (at most two). */
export type AppLogins = { userFound: boolean; lastSuccessAt?: string; successes: string[] };

export async function lastSuccessfulLogin(conn: Connection, username: string, application: string): Promise<AppLogins> {
  const [user] = (await conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = ${q(username)}`)).records;
  if (!user) return { userFound: false, successes: [] };
  const rows = (
    await conn.query<{ LoginTime: string }>(
      `SELECT LoginTime FROM LoginHistory WHERE UserId = '${user.Id}' AND Status = 'Success' AND Application = ${q(application)} ORDER BY LoginTime DESC LIMIT 2`
    )
  ).records;
  return { userFound: true, lastSuccessAt: rows[0]?.LoginTime, successes: rows.map((r) => r.LoginTime) };
}
