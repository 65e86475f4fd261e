/**
 * sObject create/update/delete with Salesforce's validation for the objects setup touches:
 * User, PermissionSetAssignment, PermissionSetLicenseAssign.
 */
import { isIdLike, sameId } from './ids.js';
import { permissionLabel } from './licences.js';
import type { OrgState, SRecord } from './org-state.js';
import { findField, type ObjectDef } from './schema.js';
import { ApiError } from './soql.js';
import { sfDateTime } from './util.js';

/**
 * Error texts for DML. Rows marked UNVERIFIED are our best guess.
 */
export const DML_ERRORS = {
  duplicateUsername:
    "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ",
  duplicateValue: 'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
  licenceLimit: 'License Limit Exceeded',
  invalidCrossReference: 'invalid cross reference id',
  // UNVERIFIED: the text when a permission set needs a licence (PSL or user licence) the assignee lacks.
  permissionNotAllowed: (psLabel: string, username: string, permission: string): string =>
    `Can't assign permission set ${psLabel} to user ${username}. The user license doesn't allow the permission: ${permission}`,
  // UNVERIFIED: assigning a permission set license the user's licence cannot hold.
  pslNotAllowed: (pslLabel: string): string => `The user license doesn't allow the permission set license: ${pslLabel}`,
  // UNVERIFIED
  profileOwned: "You can't assign or unassign this permission set because it's associated with a profile.",
} as const;

const USER_REQUIRED = ['Username', 'LastName', 'Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'ProfileId', 'LanguageLocaleKey'];
const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

function checkFields(obj: ObjectDef, fields: Record<string, unknown>, mode: 'create' | 'update'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const notWritable: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'attributes') continue;
    const def = findField(obj, key);
    if (!def) throw new ApiError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`);
    const writable = mode === 'create' ? def.createable : def.updateable;
    if (!writable) notWritable.push(def.name);
    out[def.name] = value;
  }
  if (notWritable.length) {
    throw new ApiError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, notWritable);
  }
  return out;
}

function requireFields(fields: Record<string, unknown>, names: string[]): void {
  const missing = names.filter((n) => fields[n] === undefined || fields[n] === null || fields[n] === '');
  if (missing.length) throw new ApiError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
}

function checkReference(state: OrgState, objectName: string, label: string, value: unknown, fieldName: string): SRecord {
  const id = String(value);
  if (!isIdLike(id)) throw new ApiError(400, 'MALFORMED_ID', `${label}: id value of incorrect type: ${id}`, [fieldName]);
  const rec = state.byId(objectName, id);
  if (!rec) throw new ApiError(400, 'INVALID_CROSS_REFERENCE_KEY', DML_ERRORS.invalidCrossReference, [fieldName]);
  return rec;
}

function validateUserValues(state: OrgState, obj: ObjectDef, f: Record<string, unknown>, existing?: SRecord): void {
  if (f.Email !== undefined && !EMAIL_RE.test(String(f.Email))) {
    throw new ApiError(400, 'INVALID_EMAIL_ADDRESS', `Email: invalid email address: ${String(f.Email)}`, ['Email']);
  }
  for (const name of ['Alias', 'Username', 'LastName', 'FirstName', 'Email', 'CommunityNickname']) {
    const def = findField(obj, name);
    if (f[name] !== undefined && def?.length && String(f[name]).length > def.length) {
      throw new ApiError(400, 'STRING_TOO_LONG', `${def.label ?? name}: data value too large: ${String(f[name])} (max length=${def.length})`, [name]);
    }
  }
  for (const name of ['TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'LanguageLocaleKey']) {
    const def = findField(obj, name)!;
    if (f[name] !== undefined && !def.picklistValues?.includes(String(f[name]))) {
      throw new ApiError(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${def.label}: bad value for restricted picklist field: ${String(f[name])}`, [name]);
    }
  }
  if (f.Username !== undefined) {
    const username = String(f.Username).toLowerCase();
    const clash = state.userByUsername(username);
    if ((clash && (!existing || clash.Id !== existing.Id)) || state.takenUsernames.has(username)) {
      throw new ApiError(400, 'DUPLICATE_USERNAME', DML_ERRORS.duplicateUsername, ['Username']);
    }
  }
  const profileId = f.ProfileId !== undefined ? String(checkReference(state, 'Profile', 'Profile ID', f.ProfileId, 'ProfileId').Id) : String(existing?.ProfileId);
  const active = f.IsActive !== undefined ? f.IsActive === true || f.IsActive === 'true' : existing ? existing.IsActive === true : true;
  if (active) {
    const licence = state.userLicenceOfProfile(profileId);
    const wasCounted = existing && existing.IsActive === true && sameId(String(state.userLicenceOfProfile(String(existing.ProfileId))?.Id), String(licence?.Id));
    state.refreshLicenceCounts();
    if (licence && !wasCounted && Number(licence.UsedLicenses) >= Number(licence.TotalLicenses)) {
      throw new ApiError(400, 'LICENSE_LIMIT_EXCEEDED', DML_ERRORS.licenceLimit);
    }
  }
}

export function createRecord(state: OrgState, obj: ObjectDef, body: Record<string, unknown>, actorId: string): SRecord {
  if (!obj.createable) {
    throw new ApiError(400, 'INVALID_TYPE', `entity type ${obj.name} does not support create`);
  }
  const f = checkFields(obj, body, 'create');
  switch (obj.name) {
    case 'User': {
      requireFields(f, USER_REQUIRED);
      validateUserValues(state, obj, f);
      const rec = state.createUser({ ...f, Username: String(f.Username).toLowerCase(), IsActive: f.IsActive === undefined ? true : f.IsActive === true || f.IsActive === 'true', CreatedById: actorId, LastModifiedById: actorId });
      state.refreshLicenceCounts();
      return rec;
    }
    case 'PermissionSetAssignment':
      return createPsa(state, f, actorId);
    case 'PermissionSetLicenseAssign':
      return createPsla(state, f, actorId);
    default:
      throw new ApiError(400, 'INVALID_TYPE', `entity type ${obj.name} does not support create`);
  }
}

function createPsa(state: OrgState, f: Record<string, unknown>, actorId: string): SRecord {
  requireFields(f, ['AssigneeId', 'PermissionSetId']);
  const user = checkReference(state, 'User', 'Assignee ID', f.AssigneeId, 'AssigneeId');
  const ps = checkReference(state, 'PermissionSet', 'Permission Set ID', f.PermissionSetId, 'PermissionSetId');
  if (ps.IsOwnedByProfile === true) throw new ApiError(400, 'FIELD_INTEGRITY_EXCEPTION', DML_ERRORS.profileOwned);
  const dup = state.table('PermissionSetAssignment').some((a) => sameId(String(a.AssigneeId), user.Id) && sameId(String(a.PermissionSetId), ps.Id));
  if (dup) throw new ApiError(400, 'DUPLICATE_VALUE', DML_ERRORS.duplicateValue);

  const userLicence = state.userLicenceName(user.Id);
  const licenceId = ps.LicenseId ? String(ps.LicenseId) : '';
  const psl = licenceId ? state.byId('PermissionSetLicense', licenceId) : undefined;
  const psUserLicence = licenceId && !psl ? state.byId('UserLicense', licenceId) : undefined;
  const perms = [...state.permissionsOf(ps)];
  const label = String(ps.Label);
  const fail = (perm: string | undefined): never => {
    throw new ApiError(400, 'FIELD_INTEGRITY_EXCEPTION', DML_ERRORS.permissionNotAllowed(label, String(user.Username), permissionLabel(perm ?? perms[0] ?? 'ApiEnabled')));
  };
  if (psl) {
    const hasPsl = state.table('PermissionSetLicenseAssign').some((a) => sameId(String(a.AssigneeId), user.Id) && sameId(String(a.PermissionSetLicenseId), psl.Id));
    if (!hasPsl) fail(perms[0]);
    const bad = perms.find((p) => !state.licenceAllows(userLicence, p) && !state.pslAllows(String(psl.DeveloperName), p));
    if (bad) fail(bad);
  } else {
    if (psUserLicence && String(psUserLicence.Name) !== userLicence) fail(perms[0]);
    const bad = perms.find((p) => !state.licenceAllows(userLicence, p));
    if (bad) fail(bad);
  }
  return state.insert('PermissionSetAssignment', { AssigneeId: user.Id, PermissionSetId: ps.Id, PermissionSetGroupId: null, IsActive: true, ExpirationDate: f.ExpirationDate ?? null }, '0Pa', actorId);
}

function createPsla(state: OrgState, f: Record<string, unknown>, actorId: string): SRecord {
  requireFields(f, ['AssigneeId', 'PermissionSetLicenseId']);
  const user = checkReference(state, 'User', 'Assignee ID', f.AssigneeId, 'AssigneeId');
  const psl = checkReference(state, 'PermissionSetLicense', 'Permission Set License ID', f.PermissionSetLicenseId, 'PermissionSetLicenseId');
  const dup = state.table('PermissionSetLicenseAssign').some((a) => sameId(String(a.AssigneeId), user.Id) && sameId(String(a.PermissionSetLicenseId), psl.Id));
  if (dup) throw new ApiError(400, 'DUPLICATE_VALUE', DML_ERRORS.duplicateValue);
  state.refreshLicenceCounts();
  if (Number(psl.UsedLicenses) >= Number(psl.TotalLicenses)) throw new ApiError(400, 'LICENSE_LIMIT_EXCEEDED', DML_ERRORS.licenceLimit);
  const rec = state.insert('PermissionSetLicenseAssign', { AssigneeId: user.Id, PermissionSetLicenseId: psl.Id }, '2LA', actorId);
  state.refreshLicenceCounts();
  return rec;
}

export function updateRecord(state: OrgState, obj: ObjectDef, id: string, body: Record<string, unknown>, actorId: string): void {
  const rec = state.byId(obj.name, id);
  if (!rec) throw new ApiError(404, 'NOT_FOUND', 'Provided external ID field does not exist or is not accessible: ' + id);
  if (!obj.updateable) throw new ApiError(400, 'INVALID_TYPE', `entity type ${obj.name} does not support update`);
  const f = checkFields(obj, body, 'update');
  if (obj.name === 'User') {
    for (const name of USER_REQUIRED) {
      if (name in f && (f[name] === null || f[name] === '')) throw new ApiError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${name}]`, [name]);
    }
    validateUserValues(state, obj, f, rec);
    if (f.Username !== undefined) f.Username = String(f.Username).toLowerCase();
    if (f.IsActive !== undefined) f.IsActive = f.IsActive === true || f.IsActive === 'true';
  }
  Object.assign(rec, f, { LastModifiedDate: sfDateTime(Date.now()), LastModifiedById: actorId, SystemModstamp: sfDateTime(Date.now()) });
  if (obj.name === 'User') {
    const first = rec.FirstName ? `${String(rec.FirstName)} ` : '';
    rec.Name = `${first}${String(rec.LastName)}`;
    state.refreshLicenceCounts();
  }
}

export function deleteRecord(state: OrgState, obj: ObjectDef, id: string): void {
  if (!obj.deletable) throw new ApiError(400, 'INVALID_TYPE', `entity type ${obj.name} does not support delete`);
  const table = state.table(obj.name);
  const idx = table.findIndex((r) => sameId(r.Id, id));
  if (idx < 0) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  table.splice(idx, 1);
  state.refreshLicenceCounts();
}
