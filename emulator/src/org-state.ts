/**
 * The org's data: records (users, profiles, licences, permission sets, assignments, event log files),
 * deployed metadata, org settings and sessions. Seeded per edition.
 */
import { randomBytes } from 'node:crypto';
import { EDITIONS, type EditionName, type EditionProfile } from './editions.js';
import { IdFactory, randomBase62, sameId, to15 } from './ids.js';
import { ADD_ON_PERMISSIONS, USER_PERMISSIONS, pslAllows, userLicenceAllows } from './licences.js';
import { sfDateTime } from './util.js';

export type SRecord = Record<string, unknown> & { Id: string };

export interface MetadataComponent {
  type: string;
  fullName: string;
  id: string;
  /** The component's fields (parsed XML, without the root element). */
  data: Record<string, unknown>;
  createdAt: number;
  lastModifiedAt: number;
  createdById: string;
}

export interface Session {
  token: string;
  /** The token's identifier in the OAuth usage resources (its revocation URL ends with it). */
  id: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  /** The External Client App the session was issued for, if any. */
  app?: string;
  /** When the token was last presented (ms), and how often: the OAuth usage resource reports both. */
  lastUsedAt?: number;
  useCount?: number;
}

export interface OrgStateOptions {
  edition?: EditionName;
  orgName?: string;
  adminUsername?: string;
  /** Usernames that already exist in "another org" (DUPLICATE_USERNAME on create). */
  takenUsernames?: string[];
  /** Session lifetime (ms); default 2 h. */
  sessionTimeoutMs?: number;
  /** Highest API version served; default 66.0. */
  apiVersion?: string;
}

export const STANDARD_PROFILE_FULL_NAMES: Record<string, string> = {
  'System Administrator': 'Admin',
  'Standard User': 'Standard',
};

export class OrgState {
  public readonly edition: EditionName;
  public readonly editionInfo: EditionProfile;
  public readonly ids = new IdFactory('5g');
  public readonly orgId: string;
  public readonly apiVersion: string;
  public readonly tables = new Map<string, SRecord[]>();
  public readonly metadata = new Map<string, Map<string, MetadataComponent>>();
  public readonly settings: Record<string, Record<string, unknown>> = {};
  public readonly sessions = new Map<string, Session>();
  /** `${userId}|${ecaName}`: users who approved an app themselves (self-authorization). */
  public readonly approvals = new Set<string>();
  public readonly takenUsernames: Set<string>;
  public sessionTimeoutMs: number;
  public adminUserId = '';
  public adminUsername: string;
  public adminAccessToken = '';
  /** Refresh tokens (as `sf org login web` leaves in an auth file) → user Id. */
  public readonly refreshTokens = new Map<string, string>();
  public adminRefreshToken = '';
  /** The address token requests appear to come from (default: the connection's own, 127.0.0.1). */
  public sourceIpOverride: string | undefined;
  /** Consumer keys of apps a sandbox refresh removed: the token endpoint answers app_not_found for them. */
  public readonly removedConsumerKeys = new Set<string>();
  /** Org-wide API access switch. */
  public apiEnabled: boolean;
  public apiRequestCount = 0;
  public readonly apiRequestLimit = 15000;

  public constructor(options: OrgStateOptions = {}) {
    this.edition = options.edition ?? 'Developer';
    this.editionInfo = EDITIONS[this.edition];
    this.apiVersion = options.apiVersion ?? '66.0';
    this.orgId = this.ids.next('00D');
    this.adminUsername = (options.adminUsername ?? 'admin@anzenna-emu.example').toLowerCase();
    this.takenUsernames = new Set((options.takenUsernames ?? ['admin@example.com', 'integration@example.com']).map((u) => u.toLowerCase()));
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 2 * 3600_000;
    this.apiEnabled = this.editionInfo.apiEnabled;
    for (const name of ['Organization', 'User', 'Profile', 'UserLicense', 'PermissionSet', 'PermissionSetAssignment', 'PermissionSetLicense', 'PermissionSetLicenseAssign', 'EventLogFile', 'LoginHistory']) {
      this.tables.set(name, []);
    }
    this.seed(options.orgName ?? 'Anzenna Emulated Org');
  }

  public get orgId15(): string {
    return to15(this.orgId);
  }

  // ---------------------------------------------------------------- records

  public table(name: string): SRecord[] {
    let t = this.tables.get(name);
    if (!t) {
      t = [];
      this.tables.set(name, t);
    }
    return t;
  }

  public insert(objectName: string, fields: Record<string, unknown>, keyPrefix: string, byUserId?: string): SRecord {
    const now = sfDateTime(Date.now());
    const rec: SRecord = {
      Id: this.ids.next(keyPrefix),
      CreatedDate: now,
      CreatedById: byUserId ?? this.adminUserId,
      LastModifiedDate: now,
      LastModifiedById: byUserId ?? this.adminUserId,
      SystemModstamp: now,
      ...fields,
    };
    this.table(objectName).push(rec);
    return rec;
  }

  public byId(objectName: string, id: string): SRecord | undefined {
    return this.table(objectName).find((r) => sameId(r.Id, id));
  }

  public findBy(objectName: string, field: string, value: unknown): SRecord | undefined {
    const lower = typeof value === 'string' ? value.toLowerCase() : value;
    return this.table(objectName).find((r) => {
      const v = r[field];
      return typeof v === 'string' ? v.toLowerCase() === lower : v === value;
    });
  }

  public userByUsername(username: string): SRecord | undefined {
    return this.findBy('User', 'Username', username);
  }

  public profileById(id: string): SRecord | undefined {
    return this.byId('Profile', id);
  }

  public profileByName(name: string): SRecord | undefined {
    return this.findBy('Profile', 'Name', name);
  }

  public permissionSetByName(name: string): SRecord | undefined {
    return this.table('PermissionSet').find((p) => !p.IsOwnedByProfile && String(p.Name).toLowerCase() === name.toLowerCase());
  }

  public userLicenceOfProfile(profileId: string): SRecord | undefined {
    const profile = this.profileById(profileId);
    return profile ? this.byId('UserLicense', String(profile.UserLicenseId)) : undefined;
  }

  public userLicenceName(userId: string): string {
    const user = this.byId('User', userId);
    return user ? String(this.userLicenceOfProfile(String(user.ProfileId))?.Name ?? '') : '';
  }

  /** Recomputes UsedLicenses on user licences and permission set licences. */
  public refreshLicenceCounts(): void {
    for (const lic of this.table('UserLicense')) {
      lic.UsedLicenses = this.table('User').filter(
        (u) => u.IsActive === true && sameId(String(this.profileById(String(u.ProfileId))?.UserLicenseId ?? ''), lic.Id)
      ).length;
    }
    for (const psl of this.table('PermissionSetLicense')) {
      psl.UsedLicenses = this.table('PermissionSetLicenseAssign').filter((a) => sameId(String(a.PermissionSetLicenseId), psl.Id)).length;
    }
  }

  /** Permission names enabled on a permission set record. */
  public permissionsOf(ps: SRecord): Set<string> {
    const out = new Set<string>();
    for (const [key, value] of Object.entries(ps)) {
      if (key.startsWith('Permissions') && value === true) out.add(key.slice('Permissions'.length));
    }
    return out;
  }

  public profileOwnedPermissionSet(profileId: string): SRecord | undefined {
    return this.table('PermissionSet').find((p) => p.IsOwnedByProfile === true && sameId(String(p.ProfileId), profileId));
  }

  /** The user's effective permissions: profile plus assigned permission sets. */
  public effectivePermissions(userId: string): Set<string> {
    const user = this.byId('User', userId);
    const out = new Set<string>();
    if (!user) return out;
    const owned = this.profileOwnedPermissionSet(String(user.ProfileId));
    if (owned) for (const p of this.permissionsOf(owned)) out.add(p);
    for (const a of this.table('PermissionSetAssignment')) {
      if (!sameId(String(a.AssigneeId), userId)) continue;
      const ps = this.byId('PermissionSet', String(a.PermissionSetId));
      if (ps) for (const p of this.permissionsOf(ps)) out.add(p);
    }
    return out;
  }

  public assignedPermissionSetNames(userId: string): string[] {
    return this.table('PermissionSetAssignment')
      .filter((a) => sameId(String(a.AssigneeId), userId))
      .map((a) => this.byId('PermissionSet', String(a.PermissionSetId)))
      .filter((ps): ps is SRecord => !!ps && ps.IsOwnedByProfile !== true)
      .map((ps) => String(ps.Name));
  }

  public canViewEventLogFiles(userId: string): boolean {
    const perms = this.effectivePermissions(userId);
    return (perms.has('ApiEnabled') && perms.has('ViewEventLogFiles')) || perms.has('ViewAllData');
  }

  /** Known permission names in this org (add-on permissions only with paid Event Monitoring). */
  public knownPermission(name: string): boolean {
    if (name in USER_PERMISSIONS) return true;
    return name in ADD_ON_PERMISSIONS && this.editionInfo.eventMonitoringAddOn;
  }

  public licenceAllows(licenceName: string, permission: string): boolean {
    return userLicenceAllows(licenceName, permission);
  }

  public pslAllows(pslDeveloperName: string, permission: string): boolean {
    return pslAllows(pslDeveloperName, permission);
  }

  public permissionFields(perms: Iterable<string>): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const p of [...Object.keys(USER_PERMISSIONS), ...Object.keys(ADD_ON_PERMISSIONS)]) out[`Permissions${p}`] = false;
    for (const p of perms) out[`Permissions${p}`] = true;
    return out;
  }

  /** Creates a profile record plus its profile-owned permission set. */
  public createProfile(name: string, licenceId: string, perms: Iterable<string>, description: string | null = null): SRecord {
    const permList = [...perms];
    const profile = this.insert(
      'Profile',
      { Name: name, Description: description, UserLicenseId: licenceId, UserType: 'Standard', ...this.permissionFields(permList) },
      '00e'
    );
    this.insert(
      'PermissionSet',
      {
        Name: `X${to15(profile.Id)}`,
        Label: to15(profile.Id),
        Description: null,
        IsOwnedByProfile: true,
        IsCustom: false,
        NamespacePrefix: null,
        ProfileId: profile.Id,
        LicenseId: licenceId,
        HasActivationRequired: false,
        Type: 'Profile',
        ...this.permissionFields(permList),
      },
      '0PS'
    );
    return profile;
  }

  /** Replaces a profile's permissions (profile record and its owned permission set). */
  public setProfilePermissions(profileId: string, perms: Iterable<string>): void {
    const fields = this.permissionFields(perms);
    const profile = this.profileById(profileId);
    const owned = this.profileOwnedPermissionSet(profileId);
    if (profile) Object.assign(profile, fields, { LastModifiedDate: sfDateTime(Date.now()) });
    if (owned) Object.assign(owned, fields, { LastModifiedDate: sfDateTime(Date.now()) });
  }

  public createUser(fields: Record<string, unknown>): SRecord {
    const first = fields.FirstName ? `${String(fields.FirstName)} ` : '';
    return this.insert('User', { IsActive: true, UserType: 'Standard', FirstName: null, Name: `${first}${String(fields.LastName)}`, LastLoginDate: null, Title: null, Department: null, CompanyName: null, CommunityNickname: null, ...fields }, '005');
  }

  // ---------------------------------------------------------------- metadata

  public components(type: string): Map<string, MetadataComponent> {
    let m = this.metadata.get(type);
    if (!m) {
      m = new Map();
      this.metadata.set(type, m);
    }
    return m;
  }

  public component(type: string, fullName: string): MetadataComponent | undefined {
    return this.components(type).get(fullName.toLowerCase());
  }

  public putComponent(comp: MetadataComponent): void {
    this.components(comp.type).set(comp.fullName.toLowerCase(), comp);
  }

  /** Satellite components of a given type that point at an External Client App. */
  public satellitesOf(type: string, ecaName: string): MetadataComponent[] {
    return [...this.components(type).values()].filter(
      (c) => String(c.data.externalClientApplication ?? '').toLowerCase() === ecaName.toLowerCase()
    );
  }

  // ---------------------------------------------------------------- sessions

  public createSession(userId: string, app?: string): Session {
    const token = `${this.orgId15}!AQ${randomBase62(4)}.${randomBytes(40).toString('base64url').replace(/-/g, '_')}`.slice(0, 112);
    const now = Date.now();
    const session: Session = { token, id: this.ids.next('0Tk'), userId, createdAt: now, expiresAt: now + this.sessionTimeoutMs, app, lastUsedAt: now, useCount: 0 };
    this.sessions.set(token, session);
    return session;
  }

  public sessionFor(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const s = this.sessions.get(token);
    if (!s) return undefined;
    if (s.expiresAt <= Date.now()) return undefined;
    const user = this.byId('User', s.userId);
    if (!user || user.IsActive !== true) return undefined;
    s.lastUsedAt = Date.now();
    s.useCount = (s.useCount ?? 0) + 1;
    return s;
  }

  /** Expires every session (the clients then log in again). */
  public expireAllSessions(): void {
    for (const s of this.sessions.values()) s.expiresAt = 0;
  }

  // ---------------------------------------------------------------- seed

  private seed(orgName: string): void {
    const e = this.editionInfo;
    const now = Date.now();
    this.table('Organization').push({
      Id: this.orgId,
      Name: orgName,
      InstanceName: e.instanceName,
      IsSandbox: e.isSandbox,
      TrialExpirationDate: e.trialExpirationDate,
      NamespacePrefix: null,
      OrganizationType: e.organizationType,
      PrimaryContact: 'Admin User',
      Country: 'US',
      LanguageLocaleKey: 'en_US',
      TimeZoneSidKey: 'America/Los_Angeles',
      DefaultLocaleSidKey: 'en_US',
      IsReadOnly: false,
      CreatedDate: sfDateTime(now - 400 * 86_400_000),
      CreatedById: null,
      LastModifiedDate: sfDateTime(now - 400 * 86_400_000),
      LastModifiedById: null,
      SystemModstamp: sfDateTime(now),
    });

    const sfLicence = this.insert('UserLicense', { Name: 'Salesforce', MasterLabel: 'Salesforce', LicenseDefinitionKey: 'SFDC', Status: 'Active', TotalLicenses: e.salesforceSeats, UsedLicenses: 0, UsedLicensesLastUpdated: sfDateTime(now) }, '100');
    const intLicence = e.integrationLicence
      ? this.insert('UserLicense', { Name: 'Salesforce Integration', MasterLabel: 'Salesforce Integration', LicenseDefinitionKey: 'SFDC_INTEGRATION', Status: 'Active', TotalLicenses: e.integrationSeats, UsedLicenses: 0, UsedLicensesLastUpdated: sfDateTime(now) }, '100')
      : undefined;

    const adminPerms = [...Object.keys(USER_PERMISSIONS)].filter((p) => p !== 'ApiUserOnly');
    if (e.eventMonitoringAddOn) adminPerms.push(...Object.keys(ADD_ON_PERMISSIONS));
    const admin = this.createProfile('System Administrator', sfLicence.Id, adminPerms);
    this.createProfile('Standard User', sfLicence.Id, ['ApiEnabled', 'RunReports', 'ExportReport', 'LightningExperienceUser']);
    this.createProfile('Minimum Access - Salesforce', sfLicence.Id, []);
    let intProfile: SRecord | undefined;
    if (intLicence) {
      intProfile = this.createProfile('Minimum Access - API Only Integrations', intLicence.Id, ['ApiEnabled', 'ApiUserOnly']);
      this.insert('PermissionSetLicense', { DeveloperName: 'SalesforceAPIIntegrationPsl', MasterLabel: 'Salesforce API Integration', PermissionSetLicenseKey: 'SalesforceAPIIntegrationPsl', Status: 'Active', TotalLicenses: e.integrationSeats, UsedLicenses: 0, ExpirationDate: null }, '0PL');
    }

    const adminUser = this.createUser({
      Username: this.adminUsername,
      LastName: 'User',
      FirstName: 'Admin',
      Email: 'admin@anzenna-emu.example',
      Alias: 'admin',
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: admin.Id,
      LastLoginDate: sfDateTime(now - 3600_000),
    });
    this.adminUserId = adminUser.Id;
    for (const table of this.tables.values()) {
      for (const rec of table) {
        if (rec.CreatedById === '') rec.CreatedById = adminUser.Id;
        if (rec.LastModifiedById === '') rec.LastModifiedById = adminUser.Id;
      }
    }
    this.createUser({
      Username: 'jane.doe@anzenna-emu.example',
      LastName: 'Doe',
      FirstName: 'Jane',
      Email: 'jane.doe@anzenna-emu.example',
      Alias: 'jdoe',
      TimeZoneSidKey: 'America/New_York',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: this.profileByName('Standard User')!.Id,
    });
    if (intProfile) {
      // Real orgs ship a "Platform Integration User" on the integration licence (one seat used).
      this.createUser({
        Username: `integration@${this.orgId15.toLowerCase()}.example`,
        LastName: 'Platform Integration User',
        Email: 'noreply@anzenna-emu.example',
        Alias: 'integ',
        TimeZoneSidKey: 'GMT',
        LocaleSidKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        LanguageLocaleKey: 'en_US',
        ProfileId: intProfile.Id,
      });
    }
    this.adminAccessToken = this.createSession(adminUser.Id).token;
    this.adminRefreshToken = `5Aep861${randomBase62(80)}`;
    this.refreshTokens.set(this.adminRefreshToken, adminUser.Id);
    // The admin's seeded session never expires by age (only expireAllSessions ends it).
    this.sessions.get(this.adminAccessToken)!.expiresAt = Number.MAX_SAFE_INTEGER;

    // Standard profiles as metadata components (retrievable, and their licence cannot change).
    for (const p of this.table('Profile')) {
      const name = String(p.Name);
      const fullName = STANDARD_PROFILE_FULL_NAMES[name] ?? name;
      this.putComponent({ type: 'Profile', fullName, id: p.Id, data: { custom: 'false' }, createdAt: now, lastModifiedAt: now, createdById: adminUser.Id });
    }
    this.settings.ExternalClientApp = { enableConsumerSecretApiAccess: 'false', enableClientSecretInRestApiAccess: 'false' };
    if (e.eventLogFiles) this.settings.Event = { enableEventLogGeneration: 'true' };
    this.refreshLicenceCounts();
  }
}
