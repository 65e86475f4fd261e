/**
 * The scenario API: named changes a test (or the demo) makes to the org "behind setup's back", so no test
 * edits the emulator's internal state. Every function works the way an admin clicking in Setup (or
 * Salesforce itself) would change the org; none goes through HTTP, so none appears in the request log.
 *
 *   emu.scenario.setAppField('ExtlClntAppOauthSettings', 'Anzenna_oauth', 'commaSeparatedOauthScopes', 'Api');
 *   emu.scenario.setUserActive('integration@acme.example', false);
 *   const restore = emu.scenario.checkpoint();  …  restore();
 */
import type { OrgBehaviour } from './behaviour.js';
import type { EventLogStore } from './event-logs.js';
import type { Faults } from './faults.js';
import { sameId } from './ids.js';
import type { OrgState, SRecord } from './org-state.js';
import { sfDateTime } from './util.js';

export interface ScenarioHost {
  state: OrgState;
  logs: EventLogStore;
  faults: Faults;
  behaviour: OrgBehaviour;
  metadata: { engine: { cancelRunning(): number; landRunning(): Promise<number> } };
}

export interface NewUser {
  username: string;
  /** Profile name (default `Standard User`). */
  profile?: string;
  lastName?: string;
  email?: string;
}

export interface NewPermissionSet {
  name: string;
  permissions: string[];
  label?: string;
  description?: string;
  /** `Salesforce API Integration` (the permission set licence) or a user licence name. */
  licence?: string;
}

export interface EventLogFilter {
  /** Keep only these event types (drop the others). */
  keepTypes?: string[];
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`scenario: no such ${what}`);
  return value;
}

export class Scenario {
  public constructor(private readonly host: ScenarioHost) {}

  private get state(): OrgState {
    return this.host.state;
  }

  private user(username: string): SRecord {
    return must(this.state.userByUsername(username), `user ${username}`);
  }

  // ------------------------------------------------------------ behaviour and clock

  /** Switches reported real-org behaviours on or off (see behaviour.ts). */
  public setBehaviour(patch: Partial<OrgBehaviour>): void {
    Object.assign(this.host.behaviour, patch);
  }

  /** The org's clock runs `ms` ahead of this machine's (negative: behind). */
  public setClockOffset(ms: number): void {
    this.host.faults.clockOffsetMs = ms;
  }

  // ------------------------------------------------------------ metadata

  /** A deployed component's field, as an admin editing it in Setup would leave it. */
  public appField(type: string, fullName: string, field: string): unknown {
    return must(this.state.component(type, fullName), `${type} ${fullName}`).data[field];
  }

  /** The field names a deployed component has. */
  public appFields(type: string, fullName: string): string[] {
    return Object.keys(must(this.state.component(type, fullName), `${type} ${fullName}`).data);
  }

  /** Changes (or, with `undefined`, removes) one field of a deployed component, e.g. the OAuth policy's permittedUsersPolicyType. */
  public setAppField(type: string, fullName: string, field: string, value: unknown): void {
    const c = must(this.state.component(type, fullName), `${type} ${fullName}`);
    if (value === undefined) delete c.data[field];
    else c.data[field] = value;
    c.lastModifiedAt = Date.now();
  }

  /** Deletes a deployed component (as a destructive deploy or a refreshed sandbox would). */
  public removeComponent(type: string, fullName: string): void {
    this.state.components(type).delete(fullName.toLowerCase());
  }

  /**
   * Gives a deployed component another full name, as when Salesforce auto-named an app's policies because the
   * app was created in Setup (`Acme_oauthPlcy` rather than `Acme_oauth_defaultPolicy`).
   */
  public renameComponent(type: string, fullName: string, newName: string): void {
    const map = this.state.components(type);
    const c = must(map.get(fullName.toLowerCase()), `${type} ${fullName}`);
    map.delete(fullName.toLowerCase());
    c.fullName = newName;
    map.set(newName.toLowerCase(), c);
  }

  /** Changes an org setting field, e.g. `('Event', 'enableEventLogGeneration', 'false')`. */
  public setSetting(name: string, field: string, value: string): void {
    this.state.settings[name] = { ...(this.state.settings[name] ?? {}), [field]: value };
  }

  /** Event log generation (Setup > Event Monitoring Settings > Generate event log files). */
  public setEventLogGeneration(enabled: boolean): void {
    this.setSetting('Event', 'enableEventLogGeneration', String(enabled));
  }

  // ------------------------------------------------------------ users and access

  /** Creates a user on a profile (default Standard User); returns its Id. */
  public createUser(u: NewUser): string {
    const profile = must(this.state.profileByName(u.profile ?? 'Standard User'), `profile ${u.profile ?? 'Standard User'}`);
    const last = u.lastName ?? u.username.split('@')[0];
    const rec = this.state.createUser({
      Username: u.username.toLowerCase(), LastName: last, Email: u.email ?? u.username, Alias: last.slice(0, 8), TimeZoneSidKey: 'GMT',
      LocaleSidKey: 'en_US', EmailEncodingKey: 'UTF-8', LanguageLocaleKey: 'en_US', ProfileId: profile.Id,
    });
    this.state.refreshLicenceCounts();
    return rec.Id;
  }

  /** A user's field as the org holds it (e.g. `Email`, `IsActive`). */
  public userField(username: string, field: string): unknown {
    return this.user(username)[field];
  }

  /** Changes a user field (`Email`, `IsActive`, `ProfileId`, …), as an admin editing the user would. */
  public setUserField(username: string, field: string, value: unknown): void {
    const u = this.user(username);
    u[field] = value;
    u.LastModifiedDate = sfDateTime(Date.now());
    if (field === 'IsActive' || field === 'ProfileId') this.state.refreshLicenceCounts();
  }

  public setUserActive(username: string, active: boolean): void {
    this.setUserField(username, 'IsActive', active);
  }

  /** Moves a user to another profile (by profile name). */
  public setUserProfile(username: string, profileName: string): void {
    this.setUserField(username, 'ProfileId', must(this.state.profileByName(profileName), `profile ${profileName}`).Id);
  }

  /** Deletes a user and everything assigned to it (Salesforce only deactivates; this models a user that never existed). */
  public removeUser(username: string): void {
    const u = this.user(username);
    for (const t of ['PermissionSetAssignment', 'PermissionSetLicenseAssign']) {
      const rows = this.state.table(t);
      rows.splice(0, rows.length, ...rows.filter((a) => !sameId(String(a.AssigneeId), u.Id)));
    }
    const users = this.state.table('User');
    users.splice(users.indexOf(u), 1);
    for (const [token, s] of this.state.sessions) if (sameId(s.userId, u.Id)) this.state.sessions.delete(token);
    this.state.refreshLicenceCounts();
  }

  /** Creates a custom permission set (not assigned to anyone); returns its Id. */
  public createPermissionSet(ps: NewPermissionSet): string {
    const licence = ps.licence
      ? this.state.findBy('UserLicense', 'Name', ps.licence) ?? this.state.findBy('PermissionSetLicense', 'MasterLabel', ps.licence) ?? this.state.findBy('PermissionSetLicense', 'DeveloperName', ps.licence)
      : undefined;
    if (ps.licence && !licence) throw new Error(`scenario: no such licence ${ps.licence}`);
    const rec = this.state.insert(
      'PermissionSet',
      {
        Name: ps.name, Label: ps.label ?? ps.name, Description: ps.description ?? null, IsOwnedByProfile: false, IsCustom: true, NamespacePrefix: null,
        ProfileId: null, LicenseId: licence?.Id ?? null, HasActivationRequired: false, Type: 'Regular', ...this.state.permissionFields(ps.permissions),
      },
      '0PS'
    );
    return rec.Id;
  }

  /** The permissions a (non-profile) permission set grants. */
  public permissionSetPermissions(name: string): string[] {
    return [...this.state.permissionsOf(must(this.state.permissionSetByName(name), `permission set ${name}`))].sort();
  }

  public assignPermissionSet(username: string, permissionSetName: string): void {
    const u = this.user(username);
    const ps = must(this.state.permissionSetByName(permissionSetName), `permission set ${permissionSetName}`);
    this.state.insert('PermissionSetAssignment', { AssigneeId: u.Id, PermissionSetId: ps.Id }, '0Pa');
  }

  public unassignPermissionSet(username: string, permissionSetName: string): void {
    const u = this.user(username);
    const ps = must(this.state.permissionSetByName(permissionSetName), `permission set ${permissionSetName}`);
    const rows = this.state.table('PermissionSetAssignment');
    rows.splice(0, rows.length, ...rows.filter((a) => !(sameId(String(a.AssigneeId), u.Id) && sameId(String(a.PermissionSetId), ps.Id))));
  }

  /** Takes every permission set licence away from a user. */
  public removePermissionSetLicences(username: string): void {
    const u = this.user(username);
    const rows = this.state.table('PermissionSetLicenseAssign');
    rows.splice(0, rows.length, ...rows.filter((a) => !sameId(String(a.AssigneeId), u.Id)));
    this.state.refreshLicenceCounts();
  }

  /** Records that a user approved an app themselves (satisfies AllSelfAuthorized policies). */
  public approveApp(username: string, ecaName: string): void {
    this.state.approvals.add(`${this.user(username).Id}|${ecaName.toLowerCase()}`);
  }

  /** Turns an app on or off (its `ExtlClntAppConfigurablePolicies.isEnabled`, Setup's "Enable app"). */
  public setAppEnabled(ecaName: string, enabled: boolean): void {
    const plugin = must(this.state.satellitesOf('ExtlClntAppConfigurablePolicies', ecaName)[0], `policies of app ${ecaName}`);
    this.setAppField('ExtlClntAppConfigurablePolicies', plugin.fullName, 'isEnabled', String(enabled));
  }

  /** A profile's login IP ranges (Setup > Profiles > Login IP Ranges); `[]` removes them. */
  public setProfileLoginIpRanges(profileName: string, ranges: { start: string; end: string; description?: string }[]): void {
    const profile = must(this.state.profileByName(profileName), `profile ${profileName}`);
    const c = must([...this.state.components('Profile').values()].find((x) => x.id === profile.Id), `profile component ${profileName}`);
    if (ranges.length === 0) delete c.data.loginIpRanges;
    else c.data.loginIpRanges = ranges.map((r) => ({ ...(r.description ? { description: r.description } : {}), endAddress: r.end, startAddress: r.start }));
    c.lastModifiedAt = Date.now();
  }

  /** Token requests appear to come from this address (`undefined`: the connection's own, 127.0.0.1). */
  public setSourceIp(ip: string | undefined): void {
    this.state.sourceIpOverride = ip;
  }

  /**
   * What a sandbox refresh leaves behind (reported: the External Client App can be missing, and then its
   * consumer key answers `app_not_found`; usernames carry the sandbox suffix; emails end in `.invalid`).
   * Removes every External Client App and its satellites, appends `.<sandboxName>` to every username (the
   * admin's too: use `handle.adminUsername` afterwards) and `.invalid` to every email. UNVERIFIED details:
   * which apps survive a refresh, and that the admin's email is changed too.
   */
  public refreshSandbox(sandboxName = 'dev'): void {
    const { state } = this;
    for (const g of state.components('ExtlClntAppGlobalOauthSettings').values()) if (g.data.consumerKey) state.removedConsumerKeys.add(String(g.data.consumerKey));
    for (const type of ['ExternalClientApplication', 'ExtlClntAppOauthSettings', 'ExtlClntAppGlobalOauthSettings', 'ExtlClntAppOauthConfigurablePolicies', 'ExtlClntAppConfigurablePolicies']) {
      state.components(type).clear();
    }
    for (const u of state.table('User')) {
      u.Username = `${String(u.Username)}.${sandboxName}`;
      if (u.Email && !String(u.Email).endsWith('.invalid')) u.Email = `${String(u.Email)}.invalid`;
    }
    state.adminUsername = String(state.byId('User', state.adminUserId)?.Username ?? state.adminUsername);
    this.dropAppSessions();
  }

  // ------------------------------------------------------------ sessions and tokens

  /** Every session ends (REST 401 INVALID_SESSION_ID, SOAP INVALID_SESSION_ID). */
  public expireSessions(): void {
    this.state.expireAllSessions();
  }

  /** Forgets every token issued through an External Client App (as if the vendor never connected). */
  public dropAppSessions(ecaName?: string): void {
    for (const [token, s] of this.state.sessions) {
      if (s.app && (!ecaName || s.app.toLowerCase() === ecaName.toLowerCase())) this.state.sessions.delete(token);
    }
  }

  /** Every refresh token stops working (the admin's saved auth can no longer be refreshed). */
  public revokeRefreshTokens(): void {
    this.state.refreshTokens.clear();
  }

  // ------------------------------------------------------------ event log files

  /** Drops event log files (all, or all but `keepTypes`). */
  public removeEventLogFiles(filter: EventLogFilter = {}): void {
    const files = this.state.table('EventLogFile');
    const keep = filter.keepTypes ? new Set(filter.keepTypes) : undefined;
    files.splice(0, files.length, ...files.filter((f) => keep?.has(String(f.EventType)) === true));
  }

  /** Sets a field on every event log file record (e.g. a damaged `LogFileFieldNames`). */
  public setEventLogFileField(field: string, value: unknown): void {
    for (const f of this.state.table('EventLogFile')) f[field] = value;
  }

  // ------------------------------------------------------------ snapshots

  /**
   * Every deploy still running ends Canceled, so it never lands: how a test decides the fate of a deploy a
   * client stopped watching (Ctrl-C). Salesforce itself may still land such a deploy; `faults.deployMs = 0`
   * does not finish one already started. Returns how many were cancelled.
   */
  public cancelRunningDeploys(): number {
    return this.host.metadata.engine.cancelRunning();
  }

  /** Every deploy still running completes now (it lands, as Salesforce lands a deploy its client stopped watching). */
  public async landRunningDeploys(): Promise<number> {
    return this.host.metadata.engine.landRunning();
  }

  /**
   * Saves records, metadata and settings; the returned function puts them back and clears faults and
   * behaviour switches set since (sessions are kept).
   */
  public checkpoint(): () => void {
    const { state } = this;
    const tables = structuredClone([...state.tables.entries()]);
    const metadata = structuredClone([...state.metadata.entries()].map(([type, byName]) => [type, [...byName.entries()]] as const));
    const settings = structuredClone(state.settings);
    const behaviour = { ...this.host.behaviour };
    return () => {
      this.host.faults.clear();
      Object.assign(this.host.behaviour, behaviour);
      state.tables.clear();
      for (const [name, rows] of structuredClone(tables)) state.tables.set(name, rows);
      state.metadata.clear();
      for (const [type, entries] of structuredClone(metadata)) state.metadata.set(type, new Map(entries));
      for (const key of Object.keys(state.settings)) delete state.settings[key];
      Object.assign(state.settings, structuredClone(settings));
    };
  }

  /** The org as JSON (records, metadata, settings; not sessions), for before/after comparisons. */
  public snapshot(): string {
    const { state } = this;
    return JSON.stringify(
      {
        tables: [...state.tables.entries()],
        metadata: [...state.metadata.entries()]
          .filter(([, byName]) => byName.size > 0)
          .map(([type, byName]) => [type, [...byName.values()].map((c) => ({ fullName: c.fullName, data: c.data, lastModifiedAt: c.lastModifiedAt }))]),
        settings: state.settings,
      },
      null,
      1
    );
  }
}
