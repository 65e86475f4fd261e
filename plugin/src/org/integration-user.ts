/**
 * The integration user: found or created with the integration profile, then given the API Integration
 * permission set licence and the permission sets, in that order (Salesforce refuses a licensed permission
 * set before its licence). Only what is missing is written, so a re-run after an interruption finishes
 * the job and a second run writes nothing.
 */
import type { Connection } from '@jsforce/jsforce-node';
import { Messages, SfError } from '@salesforce/core';
import { faultKind, keepErrorIds, nameOrgFault, queryRecords } from '../faults/org-faults.js';
import { INTEGRATION_PSL, INTEGRATION_USER_LICENSE, type AdminFacts } from './facts.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.org');

export type IntegrationUserState = {
  id?: string;
  username: string;
  email?: string;
  isActive?: boolean;
  profileName?: string;
  licence?: string;
  hasPsl: boolean;
  permissionSets: string[];
  /** Assignment Ids by permission set name (to take back an opt-in that was switched off). */
  assignmentIds?: Record<string, string>;
};

export type UserPlan = {
  username: string;
  email: string;
  profileName: string;
  permissionSets: string[];
  /** Opt-in permission sets that are switched off: an assignment of one is removed (least privilege). */
  revokePermissionSets?: string[];
  pslId: string;
};

type UserRow = {
  Id: string;
  Username: string;
  Email: string;
  IsActive: boolean;
  Profile: { Name: string; UserLicense: { Name: string } | null } | null;
};

/** A SOQL string literal. */
export const q = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const records = queryRecords;

export async function readIntegrationUser(conn: Connection, username: string): Promise<IntegrationUserState> {
  const [user] = await records<UserRow>(conn, `SELECT Id, Username, Email, IsActive, Profile.Name, Profile.UserLicense.Name FROM User WHERE Username = ${q(username)}`);
  if (!user) return { username, hasPsl: false, permissionSets: [] };
  // The licence is matched by name, so this needs nothing from the licence queries and runs beside them.
  const [assignments, psl] = await Promise.all([
    records<{ Id: string; PermissionSet: { Name: string } }>(
      conn,
      `SELECT Id, PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${user.Id}' AND PermissionSet.IsOwnedByProfile = false`
    ),
    records<{ Id: string }>(
      conn,
      `SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = '${user.Id}' AND PermissionSetLicense.DeveloperName = '${INTEGRATION_PSL}'`
    ),
  ]);
  return {
    id: user.Id,
    username: user.Username,
    email: user.Email,
    isActive: user.IsActive,
    profileName: user.Profile?.Name,
    licence: user.Profile?.UserLicense?.Name,
    hasPsl: psl.length > 0,
    permissionSets: assignments.map((a) => a.PermissionSet.Name),
    assignmentIds: Object.fromEntries(assignments.map((a) => [a.PermissionSet.Name, a.Id])),
  };
}

/** An existing user we must not take over, or cannot use, stops setup before the first deploy. */
export function assertUsableUser(state: IntegrationUserState): void {
  if (!state.id) return;
  if (state.licence !== INTEGRATION_USER_LICENSE) {
    throw messages.createError('error.IntegrationUserWrongLicence', [state.username, state.licence ?? 'unknown', state.profileName ?? 'unknown', INTEGRATION_USER_LICENSE]);
  }
  if (state.isActive === false) {
    throw messages.createError('error.IntegrationUserInactive', [state.username]);
  }
}

/** Alias: at most 8 characters, from the username's local part. */
export function aliasFor(username: string): string {
  const local = username.split('@')[0].replace(/[^A-Za-z0-9]/g, '');
  return (local.length > 0 ? local : 'intuser').slice(0, 8);
}

async function idsByName(conn: Connection, soql: string, names: string[], what: string): Promise<Map<string, string>> {
  const rows = await records<{ Id: string; Name: string }>(conn, soql);
  const ids = new Map(rows.map((r) => [r.Name, r.Id]));
  const missing = names.filter((n) => !ids.has(n));
  if (missing.length > 0) {
    throw messages.createError('error.ComponentMissing', [what, missing.join(', ')]);
  }
  return ids;
}

type Ids = Map<string, string>;

async function profileIdOf(conn: Connection, plan: UserPlan, knownIds: Ids): Promise<string> {
  const known = knownIds.get(plan.profileName);
  if (known) return known;
  const ids = await idsByName(conn, `SELECT Id, Name FROM Profile WHERE Name = ${q(plan.profileName)}`, [plan.profileName], 'profile');
  return ids.get(plan.profileName) as string;
}

const codeOf = (error: unknown): string | undefined => {
  const e = error as { errorCode?: string; name?: string } | undefined;
  return e?.errorCode ?? e?.name;
};

/**
 * Creates the user. DUPLICATE_USERNAME can mean a run beside this one (another machine, another output
 * directory) has just created it in this org: then it is read again and used, not reported as taken.
 */
async function createUser(conn: Connection, plan: UserPlan, admin: AdminFacts, profileId: string): Promise<IntegrationUserState> {
  const step = 'create the integration user';
  try {
    const created = await conn.sobject('User').create({
      Username: plan.username,
      Email: plan.email,
      LastName: 'Integration',
      FirstName: 'Event Monitoring',
      Alias: aliasFor(plan.username),
      ProfileId: profileId,
      TimeZoneSidKey: admin.timeZoneSidKey,
      LocaleSidKey: admin.localeSidKey,
      LanguageLocaleKey: admin.languageLocaleKey,
      EmailEncodingKey: admin.emailEncodingKey,
    });
    return { id: created.id as string, username: plan.username, profileName: plan.profileName, hasPsl: false, permissionSets: [] };
  } catch (error) {
    if (codeOf(error) !== 'DUPLICATE_USERNAME') throw writeError(step, error);
    const again = await readIntegrationUser(conn, plan.username);
    if (!again.id) throw writeError(step, error);
    assertUsableUser(again);
    return again;
  }
}

/** The user, created or with its profile set, as the org now has it. */
async function ensureUser(conn: Connection, state: IntegrationUserState, plan: UserPlan, admin: AdminFacts, knownIds: Ids): Promise<IntegrationUserState> {
  if (state.id && state.profileName === plan.profileName) return state;
  const profileId = await profileIdOf(conn, plan, knownIds);
  if (!state.id) return createUser(conn, plan, admin, profileId);
  const userId = state.id;
  await write('set the integration profile', () => conn.sobject('User').update({ Id: userId, ProfileId: profileId }));
  return { ...state, profileName: plan.profileName };
}

async function assignPermissionSets(conn: Connection, userId: string, missing: string[], knownIds: Ids): Promise<void> {
  if (missing.length === 0) return;
  const unknown = missing.filter((name) => !knownIds.has(name));
  const ids =
    unknown.length === 0
      ? knownIds
      : new Map([
          ...knownIds,
          ...(await idsByName(conn, `SELECT Id, Name FROM PermissionSet WHERE Name IN (${unknown.map(q).join(', ')}) AND NamespacePrefix = null`, unknown, 'permission set')),
        ]);
  for (const name of missing) {
    await assign(`assign the permission set ${name}`, () => conn.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: ids.get(name) as string }));
  }
}

/**
 * Writes what is missing, in the order Salesforce accepts it: the user (with the profile), the permission
 * set licence, the permission sets; then takes back the opt-ins that are off. Returns the user's Id.
 */
export async function applyIntegrationUser(
  conn: Connection,
  state: IntegrationUserState,
  plan: UserPlan,
  admin: AdminFacts,
  /** Ids already known (from the deploy that created the components), by profile or permission set name. */
  knownIds: Ids = new Map()
): Promise<string> {
  const now = await ensureUser(conn, state, plan, admin, knownIds);
  const userId = now.id as string;
  if (!now.hasPsl) {
    await assign('assign the API Integration permission set licence', () =>
      conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: userId, PermissionSetLicenseId: plan.pslId })
    );
  }
  await assignPermissionSets(conn, userId, plan.permissionSets.filter((ps) => !now.permissionSets.includes(ps)), knownIds);
  await removePermissionSetAssignments(conn, now, plan.revokePermissionSets ?? []);
  return userId;
}

/** What Salesforce's error codes on these writes mean for the admin: the error's name (its actions are in messages/anzenna.org.md). */
const WRITE_ERRORS: Record<string, string> = {
  DUPLICATE_USERNAME: 'IntegrationUsernameTaken',
  LICENSE_LIMIT_EXCEEDED: 'IntegrationLicenceExhausted',
  REQUEST_LIMIT_EXCEEDED: 'ApiRequestLimit',
  FIELD_INTEGRITY_EXCEPTION: 'PermissionAssignmentRefused',
};

/** A Salesforce error of a write as a named error that says which step failed and what to do. */
function writeError(step: string, error: unknown): Error {
  const e = error as Error & { errorCode?: string };
  const name = WRITE_ERRORS[codeOf(error) ?? ''];
  // A server error, a dropped connection or an ended session: the fault's own name and actions (never retried).
  if (!name && faultKind(error)) return nameOrgFault(error, step) as Error;
  // No cause: an ErrorId in it would make sf exit 20 instead of 1.
  const named = new SfError(messages.getMessage('error.WriteFailed', [step, keepErrorIds(e.message)]), `${name ?? 'IntegrationUserStep'}Error`, messages.getMessages(`write.${name ?? 'IntegrationUserStep'}.actions`), 1);
  return named.setData({ errorCode: codeOf(error) });
}

/** Runs one write (never retried: it may have been applied); a failure becomes a named error. */
async function write<T>(step: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw writeError(step, error);
  }
}

/** An assignment: DUPLICATE_VALUE means a run beside this one has just made it, which is what was wanted. */
async function assign(step: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (codeOf(error) !== 'DUPLICATE_VALUE') throw writeError(step, error);
  }
}

/** Takes back the named permission set assignments (revoke); the user keeps its licence and stays active. */
export async function removePermissionSetAssignments(conn: Connection, state: IntegrationUserState, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const assignment = state.assignmentIds?.[name];
    if (assignment) await write(`remove the permission set ${name}`, () => conn.sobject('PermissionSetAssignment').destroy(assignment));
  }
}

/** Deactivates the user (revoke --deactivate-user): kept for the audit trail, but it can no longer log in. */
export async function deactivateUser(conn: Connection, userId: string): Promise<void> {
  await write('deactivate the integration user', () => conn.sobject('User').update({ Id: userId, IsActive: false }));
}
