/**
 * Writes a fully seeded @salesforce/core auth file (wire spec §2, variant C) for the org's System
 * Administrator, plus the alias, so `HOME=<home> sf … --target-org <alias>` works with no HTTP on Org.create.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrgState } from './org-state.js';

export interface AuthTarget {
  state: OrgState;
  url: string;
}

export interface WrittenAuth {
  username: string;
  authFile: string;
  aliasFile: string;
  accessToken: string;
}

export async function writeAuthFile(target: AuthTarget, home: string, alias?: string, username = target.state.adminUsername): Promise<WrittenAuth> {
  const { state, url } = target;
  const org = state.table('Organization')[0];
  const dir = join(home, '.sfdx');
  await mkdir(dir, { recursive: true });
  const user = state.userByUsername(username);
  if (!user) throw new Error(`no such user in the emulated org: ${username}`);
  const accessToken = username === state.adminUsername ? state.adminAccessToken : state.createSession(user.Id).token;
  const isAdmin = username === state.adminUsername;
  const auth = {
    accessToken,
    // Like an `sf org login web` auth: a refresh token lets core log in again when the session expires.
    ...(isAdmin ? { refreshToken: state.adminRefreshToken, clientId: 'PlatformCLI' } : {}),
    instanceUrl: url,
    loginUrl: url,
    orgId: state.orgId,
    username,
    isDevHub: false,
    instanceApiVersion: state.apiVersion,
    instanceApiVersionLastRetrieved: new Date().toLocaleString(),
    name: org.Name,
    instanceName: org.InstanceName,
    namespacePrefix: null,
    isSandbox: org.IsSandbox,
    isScratch: false,
    trailExpirationDate: null,
    orgEdition: org.OrganizationType,
  };
  const authFile = join(dir, `${username}.json`);
  await writeFile(authFile, `${JSON.stringify(auth, null, 2)}\n`, { mode: 0o600 });
  const aliasFile = join(dir, 'alias.json');
  if (alias) {
    let aliases: { orgs: Record<string, string> } = { orgs: {} };
    try {
      const parsed = JSON.parse(await readFile(aliasFile, 'utf8')) as { orgs?: Record<string, string> };
      aliases = { ...parsed, orgs: { ...(parsed.orgs ?? {}) } };
    } catch {
      // no alias file yet
    }
    aliases.orgs[alias] = username;
    await writeFile(aliasFile, `${JSON.stringify(aliases, null, 2)}\n`);
  }
  return { username, authFile, aliasFile, accessToken };
}
