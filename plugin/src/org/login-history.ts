/**
 * The integration user's logins through the app, from LoginHistory (newest first). Read-only.
 * UNVERIFIED on a real org: that `Application` holds the External Client App's label (or developer name) for a
 * JWT bearer login; Salesforce's captures show `LoginType` `Remote Access 2.0` and `Status` `Success` or a
 * failure text such as `Restricted IP`.
 */
import type { Connection } from '@jsforce/jsforce-node';

export type LoginRow = { loginTime: string; status: string; sourceIp?: string; application?: string };

export type UserLogins = {
  userId?: string;
  /** When the user was created (for "no log files yet is normal" within three days of setup). */
  createdDate?: string;
  /** Newest first, only those through the app. */
  logins: LoginRow[];
};

const q = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

type HistoryRow = { LoginTime: string; Status: string; SourceIp: string | null; Application: string | null };

export async function readUserLogins(conn: Connection, username: string, appNames: readonly string[], limit = 50): Promise<UserLogins> {
  const [user] = (await conn.query<{ Id: string; CreatedDate: string }>(`SELECT Id, CreatedDate FROM User WHERE Username = ${q(username)}`)).records;
  if (!user) return { logins: [] };
  const rows = (
    await conn.query<HistoryRow>(
      `SELECT LoginTime, Status, SourceIp, Application FROM LoginHistory WHERE UserId = '${user.Id}' ORDER BY LoginTime DESC LIMIT ${limit}`
    )
  ).records;
  const wanted = new Set(appNames.map((n) => n.toLowerCase()));
  const logins = rows
    .filter((r) => wanted.has((r.Application ?? '').toLowerCase()))
    .map((r) => ({ loginTime: r.LoginTime, status: r.Status, sourceIp: r.SourceIp ?? undefined, application: r.Application ?? undefined }));
  return { userId: user.Id, createdDate: user.CreatedDate, logins };
}
