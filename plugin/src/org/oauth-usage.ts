/**
 * Who holds OAuth tokens for the app and when they were last used, from the Connect REST "OAuth Usage"
 * resources (API 59.0+): `/apps/oauth/usage` lists the apps, `/apps/oauth/usage/<app>/users` their users.
 * The entry shape is read tolerantly (a flat `userId`/`username` or a nested `user`), since only the
 * resource names are documented in our sources.
 */
import type { Connection } from '@jsforce/jsforce-node';

export type TokenUser = {
  userId?: string;
  username?: string;
  tokenCount?: number;
  useCount?: number;
  lastUsedDate?: string;
};

export type TokenUsage = { appFound: boolean; users: TokenUser[] };

type UsageApp = { developerName?: string; identifier?: string; id?: string };

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function parseUsageUser(entry: Record<string, unknown>): TokenUser {
  const nested = (entry.user ?? {}) as Record<string, unknown>;
  return {
    userId: str(entry.userId) ?? str(nested.id),
    username: str(entry.username) ?? str(nested.username) ?? str(nested.userName),
    tokenCount: num(entry.tokenCount) ?? (Array.isArray(entry.tokens) ? entry.tokens.length : undefined),
    useCount: num(entry.useCount),
    lastUsedDate: str(entry.lastUsedDate) ?? str(entry.lastUsed),
  };
}

/** The app's URL under the usage resource (`…/apps/oauth/usage/<identifier>`), or undefined when the org lists no such app. */
async function usageAppUrl(conn: Connection, appName: string): Promise<string | undefined> {
  const base = `/services/data/v${conn.version}/apps/oauth/usage`;
  const { apps = [] } = await conn.request<{ apps?: UsageApp[] }>(base);
  const app = apps.find((a) => a.developerName?.toLowerCase() === appName.toLowerCase());
  const id = app?.identifier ?? app?.id;
  return id ? `${base}/${encodeURIComponent(id)}` : undefined;
}

async function usersOf(conn: Connection, appUrl: string): Promise<TokenUser[]> {
  const { users = [] } = await conn.request<{ users?: Array<Record<string, unknown>> }>(`${appUrl}/users`);
  return users.map(parseUsageUser);
}

export async function readTokenUsage(conn: Connection, appName: string): Promise<TokenUsage> {
  const appUrl = await usageAppUrl(conn, appName);
  return appUrl ? { appFound: true, users: await usersOf(conn, appUrl) } : { appFound: false, users: [] };
}

/** The total of the users' token counts; a listed user without a count (the entry shape is UNVERIFIED) makes it unknown, never 0. */
function totalTokens(users: readonly TokenUser[]): number | undefined {
  const counts = users.map((u) => u.tokenCount);
  return counts.some((c) => c === undefined) ? undefined : counts.reduce((n: number, c) => n + (c ?? 0), 0);
}

/**
 * How many tokens were issued through the app, for a plan: `appInUsage` false when the org does not list the
 * app; `count` undefined when the usage resource could not tell (it needs API 59.0+): the revocation is then
 * still planned, with the count shown as unknown.
 */
export async function countAppTokens(conn: Connection, appName: string): Promise<{ appInUsage: boolean; count?: number }> {
  try {
    const usage = await readTokenUsage(conn, appName);
    return usage.appFound ? { appInUsage: true, count: totalTokens(usage.users) } : { appInUsage: false, count: 0 };
  } catch {
    return { appInUsage: true, count: undefined };
  }
}

/**
 * Revokes every OAuth token issued through the app (Connect REST "OAuth Usage Resources", API 59.0+:
 * `DELETE /apps/oauth/usage/<app>/tokens`), then counts what the org still lists (the app looked up once): 0 when none
 * (or the app is not listed), undefined when the usage resource cannot tell. UNVERIFIED that the app-wide
 * revocation ends the access tokens of JWT bearer logins: a count above 0 afterwards is how a real org answers that.
 */
export async function revokeAndCount(conn: Connection, appName: string): Promise<number | undefined> {
  const appUrl = await usageAppUrl(conn, appName);
  if (!appUrl) return 0;
  await conn.request({ method: 'DELETE', url: `${appUrl}/tokens` });
  const users = await usersOf(conn, appUrl).catch(() => undefined);
  return users ? totalTokens(users) : undefined;
}
