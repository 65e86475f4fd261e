/**
 * Deploy and retrieve jobs: unzip, validate, apply (with rollbackOnError/checkOnly semantics),
 * auto-create default ECA policies, and build retrieve zips.
 */
import { randomBytes } from 'node:crypto';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import type { EmulatorContext } from './context.js';
import { randomBase62 } from './ids.js';
import { MD_NS, typeByName, type TypeSpec } from './metadata-types.js';
import { STANDARD_PROFILE_FULL_NAMES, type MetadataComponent } from './org-state.js';
import { asArray, isoDateTime } from './util.js';
import { DEPLOY_ERRORS, checkSemantics, parseAndCheck, type DeployComponent } from './validate.js';

export interface DeployOptions {
  rollbackOnError: boolean;
  checkOnly: boolean;
  ignoreWarnings: boolean;
  singlePackage: boolean;
}

export interface DeployMessage {
  changed: boolean;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  problem?: string;
  problemType?: string;
  lineNumber?: number;
  columnNumber?: number;
  success: boolean;
}

export interface DeployJob {
  id: string;
  createdAt: number;
  startedAt: number;
  completedAt?: number;
  options: DeployOptions;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';
  done: boolean;
  zip: Buffer;
  userId: string;
  successes: DeployMessage[];
  failures: DeployMessage[];
  total: number;
  deployed: number;
  errorMessage?: string;
  errorStatusCode?: string;
  timer?: NodeJS.Timeout;
  /** Finishes the job now (what its timer would do). */
  land?: () => Promise<void>;
}

export interface RetrieveJob {
  id: string;
  createdAt: number;
  done: boolean;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  zipFile?: string;
  fileProperties: Record<string, unknown>[];
  messages: { fileName: string; problem: string }[];
  timer?: NodeJS.Timeout;
}

const xmlParser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true, ignoreDeclaration: true });

export class MetadataEngine {
  public readonly deploys = new Map<string, DeployJob>();
  public readonly retrieves = new Map<string, RetrieveJob>();

  public constructor(private readonly ctx: EmulatorContext) {}

  public close(): void {
    for (const j of this.deploys.values()) clearTimeout(j.timer);
    for (const j of this.retrieves.values()) clearTimeout(j.timer);
  }

  // ---------------------------------------------------------------- deploy

  public startDeploy(zip: Buffer, options: DeployOptions, userId: string): DeployJob {
    const now = Date.now();
    const job: DeployJob = {
      id: this.ctx.state.ids.next('0Af'),
      createdAt: now,
      startedAt: now,
      options,
      status: 'Pending',
      done: false,
      zip,
      userId,
      successes: [],
      failures: [],
      total: 0,
      deployed: 0,
    };
    this.deploys.set(job.id, job);
    const land = async (): Promise<void> => {
      if (job.done) return;
      await this.finish(job).catch((err: unknown) => {
        job.status = 'Failed';
        job.done = true;
        job.errorMessage = (err as Error).message;
        job.errorStatusCode = 'UNKNOWN_EXCEPTION';
        job.completedAt = Date.now();
      });
    };
    const run = (): void => void land();
    job.land = land;
    const ms = this.ctx.faults.deployMs;
    if (ms > 0) {
      job.timer = setTimeout(run, ms);
      job.timer.unref();
    } else {
      run();
    }
    return job;
  }

  /** Status as seen by checkDeployStatus (InProgress while the job runs). */
  public view(job: DeployJob): DeployJob {
    if (!job.done && job.status === 'Pending' && Date.now() > job.startedAt) job.status = 'InProgress';
    return job;
  }

  /** Every deploy still running completes now, as the org would have once its time was up. */
  public async landRunning(): Promise<number> {
    const running = [...this.deploys.values()].filter((j) => !j.done);
    for (const j of running) clearTimeout(j.timer);
    await Promise.all(running.map((j) => j.land?.()));
    return running.length;
  }

  /** Every deploy still running ends Canceled (as if an admin cancelled it in Deployment Status). */
  public cancelRunning(): number {
    const running = [...this.deploys.values()].filter((j) => !j.done);
    for (const j of running) this.cancel(j);
    return running.length;
  }

  public cancel(job: DeployJob): void {
    if (job.done) return;
    clearTimeout(job.timer);
    job.status = 'Canceled';
    job.done = true;
    job.completedAt = Date.now();
  }

  private async readZip(zipBuf: Buffer): Promise<{ pkg?: Record<string, unknown>; pkgName?: string; files: Map<string, Buffer> }> {
    const zip = await JSZip.loadAsync(zipBuf);
    const files = new Map<string, Buffer>();
    let pkgName: string | undefined;
    for (const [name, entry] of Object.entries(zip.files)) {
      if (entry.dir) continue;
      files.set(name, await entry.async('nodebuffer'));
      if (name === 'package.xml' || name.endsWith('/package.xml')) {
        if (!pkgName || name.length < pkgName.length) pkgName = name;
      }
    }
    const pkg = pkgName ? ((xmlParser.parse(files.get(pkgName)!.toString('utf8')) as Record<string, unknown>).Package as Record<string, unknown>) : undefined;
    return { pkg, pkgName, files };
  }

  private async finish(job: DeployJob): Promise<void> {
    const { state, faults } = this.ctx;
    const created = isoDateTime(Date.now());
    const { pkg, pkgName, files } = await this.readZip(job.zip);
    const failures: DeployMessage[] = [];
    const msg = (c: { type: string; fullName: string; fileName: string }, extra: Partial<DeployMessage>): DeployMessage => ({
      changed: false,
      componentType: c.type,
      created: false,
      createdDate: created,
      deleted: false,
      fileName: c.fileName,
      fullName: c.fullName,
      success: false,
      ...extra,
    });
    if (!pkg || !pkgName) {
      job.status = 'Failed';
      job.done = true;
      job.errorMessage = 'No package.xml found';
      job.errorStatusCode = 'INVALID_CROSS_REFERENCE_KEY';
      job.completedAt = Date.now();
      return;
    }
    const root = pkgName.slice(0, pkgName.length - 'package.xml'.length);
    const apiVersion = Number(pkg.version ?? state.apiVersion);
    const comps: DeployComponent[] = [];
    for (const t of asArray(pkg.types as Record<string, unknown> | Record<string, unknown>[])) {
      const typeName = String(t.name ?? '');
      const spec = typeByName(typeName);
      const members = asArray(t.members as string | string[]).map(String);
      if (!spec) {
        for (const m of members) failures.push(msg({ type: typeName, fullName: m, fileName: pkgName }, { problem: DEPLOY_ERRORS.unknownType(typeName), problemType: 'Error' }));
        continue;
      }
      const wildcard = members.includes('*');
      const names = wildcard ? this.namesInZip(files, root, spec) : members;
      for (const fullName of names) {
        const fileName = `${root}${spec.dir}/${fullName}.${spec.suffix}`;
        const content = files.get(fileName);
        if (!content) {
          failures.push(msg({ type: spec.name, fullName, fileName: pkgName }, { problem: DEPLOY_ERRORS.notInZip(fullName, spec.name), problemType: 'Error' }));
          continue;
        }
        comps.push({ type: spec, fullName, fileName, content, metaContent: files.get(`${fileName}-meta.xml`), data: {}, problems: [] });
      }
    }
    const packageFailures = failures.length;
    comps.sort((a, b) => a.type.order - b.type.order);
    for (const c of comps) parseAndCheck(c, apiVersion);
    const view = { state, incoming: comps, behaviour: this.ctx.behaviour };
    for (const c of comps) {
      if (c.problems.length === 0) checkSemantics(c, view);
      const fault = faults.componentFault(c.type.name, c.fullName);
      if (fault && c.problems.length === 0) c.problems.push({ problem: fault.problem, line: 1, column: 1 });
      c.accepted = c.problems.length === 0;
    }
    for (const c of comps) {
      for (const p of c.problems) {
        failures.push(msg({ type: c.type.name, fullName: c.fullName, fileName: c.fileName }, { problem: p.problem, problemType: 'Error', lineNumber: p.line ?? 1, columnNumber: p.column ?? 1 }));
      }
    }
    const good = comps.filter((c) => c.accepted);
    const pkgSuccess = msg({ type: '', fullName: 'package.xml', fileName: pkgName }, { changed: true, success: true });
    job.total = comps.length + packageFailures;
    if (job.status === 'Canceled') return;
    const rollback = failures.length > 0 && job.options.rollbackOnError;
    const apply = !job.options.checkOnly && !rollback;
    const successes: DeployMessage[] = [pkgSuccess];
    if (!rollback) {
      for (const c of good) {
        const existing = this.existingComponent(c);
        if (apply) this.apply(c, job.userId);
        // The Id reported is the record's own (a Profile's 00e…, a PermissionSet's 0PS…), as Salesforce reports it.
        const id = apply ? (this.existingComponent(c)?.id || existing?.id) : existing?.id;
        successes.push(msg({ type: c.type.name, fullName: c.fullName, fileName: c.fileName }, { success: true, created: !existing, changed: !!existing, id: id || undefined }));
      }
      if (apply) this.createDefaultPolicies(good, job.userId);
      successes.push(...this.destroy(files, root, apply).map((c) => msg({ ...c, fileName: `${root}destructiveChangesPost.xml` }, { success: true, deleted: true })));
    }
    job.successes = successes;
    job.failures = failures;
    job.deployed = rollback ? 0 : good.length;
    job.status = failures.length === 0 ? 'Succeeded' : rollback || good.length === 0 ? 'Failed' : 'SucceededPartial';
    job.done = true;
    job.completedAt = Date.now();
  }

  /**
   * destructiveChanges(Pre|Post).xml: each listed component is deleted; a missing one is skipped. UNVERIFIED: that a
   * real org needs an External Client App's satellites listed too (revoke --delete-app lists them all).
   */
  private destroy(files: Map<string, Buffer>, root: string, apply: boolean): Array<{ type: string; fullName: string }> {
    const deleted: Array<{ type: string; fullName: string }> = [];
    for (const manifest of ['destructiveChangesPre.xml', 'destructiveChanges.xml', 'destructiveChangesPost.xml']) {
      const content = files.get(`${root}${manifest}`);
      if (!content) continue;
      const pkg = (xmlParser.parse(content.toString('utf8')) as Record<string, unknown>).Package as Record<string, unknown> | undefined;
      for (const t of asArray(pkg?.types as Record<string, unknown> | Record<string, unknown>[] | undefined)) {
        for (const fullName of asArray(t.members as string | string[]).map(String)) {
          const type = String(t.name ?? '');
          if (!this.ctx.state.component(type, fullName)) continue;
          if (apply) this.ctx.state.components(type).delete(fullName.toLowerCase());
          deleted.push({ type, fullName });
        }
      }
    }
    return deleted;
  }

  private namesInZip(files: Map<string, Buffer>, root: string, spec: TypeSpec): string[] {
    const prefix = `${root}${spec.dir}/`;
    const out: string[] = [];
    for (const name of files.keys()) {
      if (name.startsWith(prefix) && name.endsWith(`.${spec.suffix}`)) out.push(name.slice(prefix.length, -(spec.suffix.length + 1)));
    }
    return out;
  }

  private existingComponent(c: DeployComponent): { id: string } | undefined {
    const { state } = this.ctx;
    if (c.type.name === 'Settings') return state.settings[c.fullName] ? { id: '' } : undefined;
    if (c.type.name === 'PermissionSet') {
      const ps = state.permissionSetByName(c.fullName);
      return ps ? { id: ps.Id } : undefined;
    }
    return state.component(c.type.name, c.fullName);
  }

  private apply(c: DeployComponent, userId: string): void {
    const { state } = this.ctx;
    const now = Date.now();
    const d = { ...c.data };
    delete d.fullName;
    switch (c.type.name) {
      case 'Settings':
        state.settings[c.fullName] = { ...(state.settings[c.fullName] ?? {}), ...d };
        return;
      case 'Profile':
        this.applyProfile(c, d, userId);
        return;
      case 'PermissionSet':
        this.applyPermissionSet(c, d);
        return;
      case 'ExtlClntAppGlobalOauthSettings': {
        const existing = state.component(c.type.name, c.fullName);
        const rotate = String(d.shouldRotateConsumerKey) === 'true';
        const key = d.consumerKey ? String(d.consumerKey) : !rotate && existing?.data.consumerKey ? String(existing.data.consumerKey) : `3MVG9${randomBase62(80)}`;
        const secret = d.consumerSecret ? String(d.consumerSecret) : String(d.shouldRotateConsumerSecret) !== 'true' && existing?.data.consumerSecret ? String(existing.data.consumerSecret) : randomBytes(32).toString('hex').toUpperCase();
        const keyChanged = !existing || existing.data.consumerKey !== key;
        state.putComponent({ type: c.type.name, fullName: c.fullName, id: existing?.id ?? state.ids.next(c.type.idPrefix!), data: { ...d, consumerKey: key, consumerSecret: secret }, createdAt: keyChanged ? now : existing.createdAt, lastModifiedAt: now, createdById: existing?.createdById ?? userId });
        return;
      }
      default: {
        const existing = state.component(c.type.name, c.fullName);
        const data = c.type.hasMetaFile ? { body: c.content.toString('base64'), meta: c.metaContent?.toString('base64') ?? '' } : d;
        if (c.type.name === 'ExternalClientApplication') {
          // Salesforce fills this in on the first deploy ("auto-generated during the first deployment"); retrieved
          // files carry the 15-character org Id (`00Dbm000004ELiD:Onyx_Cloud`, issue #8). A deployed 18-character
          // Id is stored in that form too (UNVERIFIED: what a real org keeps).
          data.orgScopedExternalApp = data.orgScopedExternalApp ? `${state.orgId15}:${String(data.orgScopedExternalApp).split(':').slice(1).join(':')}` : existing?.data.orgScopedExternalApp ?? `${state.orgId15}:${c.fullName}`;
        }
        state.putComponent({ type: c.type.name, fullName: c.fullName, id: existing?.id ?? state.ids.next(c.type.idPrefix ?? '000'), data, createdAt: existing?.createdAt ?? now, lastModifiedAt: now, createdById: existing?.createdById ?? userId });
      }
    }
  }

  private applyProfile(c: DeployComponent, d: Record<string, unknown>, userId: string): void {
    const { state } = this.ctx;
    const now = Date.now();
    const perms = asArray(d.userPermissions as Record<string, unknown> | Record<string, unknown>[]).map((p) => ({ name: String(p.name), enabled: String(p.enabled) === 'true' }));
    const existing = state.component('Profile', c.fullName);
    if (existing) {
      const current = state.permissionsOf(state.profileOwnedPermissionSet(existing.id)!);
      for (const p of perms) {
        if (p.enabled) current.add(p.name);
        else current.delete(p.name);
      }
      state.setProfilePermissions(existing.id, current);
      const profile = state.profileById(existing.id);
      if (profile && d.description !== undefined) profile.Description = d.description;
      existing.lastModifiedAt = now;
      existing.data = { ...existing.data, ...d };
      return;
    }
    const licenceName = String(d.userLicense ?? 'Salesforce');
    const licence = state.findBy('UserLicense', 'Name', licenceName)!;
    // UNVERIFIED: a new integration-licensed profile starts from Minimum Access - API Only Integrations.
    const base = new Set<string>(licenceName === 'Salesforce Integration' ? ['ApiEnabled', 'ApiUserOnly'] : []);
    for (const p of perms) {
      if (p.enabled) base.add(p.name);
      else base.delete(p.name);
    }
    const profile = state.createProfile(c.fullName, licence.Id, base, d.description !== undefined ? String(d.description) : null);
    state.putComponent({ type: 'Profile', fullName: c.fullName, id: profile.Id, data: d, createdAt: now, lastModifiedAt: now, createdById: userId });
  }

  private applyPermissionSet(c: DeployComponent, d: Record<string, unknown>): void {
    const { state } = this.ctx;
    const perms = asArray(d.userPermissions as Record<string, unknown> | Record<string, unknown>[]).filter((p) => String(p.enabled) === 'true').map((p) => String(p.name));
    const licenceName = d.license !== undefined ? String(d.license) : undefined;
    const licence = licenceName ? state.findBy('UserLicense', 'Name', licenceName) ?? state.findBy('PermissionSetLicense', 'MasterLabel', licenceName) ?? state.findBy('PermissionSetLicense', 'DeveloperName', licenceName) : undefined;
    const fields = {
      Label: String(d.label),
      Description: d.description !== undefined ? String(d.description) : null,
      HasActivationRequired: String(d.hasActivationRequired) === 'true',
      // API 40.0+: permissions not listed are disabled.
      ...state.permissionFields(perms),
    };
    const existing = state.permissionSetByName(c.fullName);
    if (existing) {
      Object.assign(existing, fields, { LastModifiedDate: new Date().toISOString().replace('Z', '+0000') });
      return;
    }
    state.insert('PermissionSet', { Name: c.fullName, IsOwnedByProfile: false, IsCustom: true, NamespacePrefix: null, ProfileId: null, LicenseId: licence?.Id ?? null, Type: 'Regular', ...fields }, '0PS');
  }

  /** Salesforce creates `<OAuthSettings>_defaultPolicy` and `<ECA>_defaultPolicy` when an app has none. */
  private createDefaultPolicies(good: DeployComponent[], userId: string): void {
    const { state } = this.ctx;
    const now = Date.now();
    for (const settings of good.filter((c) => c.type.name === 'ExtlClntAppOauthSettings')) {
      const app = String(settings.data.externalClientApplication);
      if (state.satellitesOf('ExtlClntAppOauthConfigurablePolicies', app).length === 0) {
        const name = `${settings.fullName}_defaultPolicy`;
        state.putComponent({
          type: 'ExtlClntAppOauthConfigurablePolicies', fullName: name, id: state.ids.next('0Xp'), createdAt: now, lastModifiedAt: now, createdById: userId,
          data: { externalClientApplication: app, ipRelaxationPolicyType: 'Enforce', isClientCredentialsFlowEnabled: 'false', isGuestCodeCredFlowEnabled: 'false', isTokenExchangeFlowEnabled: 'false', label: name, permittedUsersPolicyType: 'AllSelfAuthorized', refreshTokenPolicyType: 'SpecificLifetime', refreshTokenValidityPeriod: '365', refreshTokenValidityUnit: 'Days', requiredSessionLevel: 'STANDARD' },
        });
      }
      if (state.satellitesOf('ExtlClntAppConfigurablePolicies', app).length === 0) {
        const name = `${app}_defaultPolicy`;
        state.putComponent({
          type: 'ExtlClntAppConfigurablePolicies', fullName: name, id: state.ids.next('0Xc'), createdAt: now, lastModifiedAt: now, createdById: userId,
          data: { externalClientApplication: app, isEnabled: 'true', isOauthPluginEnabled: 'true', label: name },
        });
      }
    }
  }

  // ---------------------------------------------------------------- retrieve / list / read

  /** All components of a type as MetadataComponent-like entries (settings and permission sets included). */
  public listComponents(typeName: string): MetadataComponent[] {
    const { state } = this.ctx;
    if (typeName === 'Settings') {
      return Object.keys(state.settings).map((name) => ({ type: 'Settings', fullName: name, id: '', data: state.settings[name], createdAt: 0, lastModifiedAt: 0, createdById: state.adminUserId }));
    }
    if (typeName === 'PermissionSet') {
      return state
        .table('PermissionSet')
        .filter((p) => p.IsOwnedByProfile !== true)
        .map((p) => ({
          type: 'PermissionSet', fullName: String(p.Name), id: p.Id, createdAt: Date.parse(String(p.CreatedDate).replace('+0000', 'Z')), lastModifiedAt: Date.parse(String(p.LastModifiedDate).replace('+0000', 'Z')), createdById: String(p.CreatedById),
          data: this.permissionSetData(p.Id),
        }));
    }
    if (typeName === 'Profile') {
      return [...state.components('Profile').values()].map((c) => ({ ...c, data: this.profileData(c) }));
    }
    return [...state.components(typeName).values()];
  }

  private profileData(c: MetadataComponent): Record<string, unknown> {
    const { state } = this.ctx;
    const profile = state.profileById(c.id);
    const owned = state.profileOwnedPermissionSet(c.id);
    const perms = owned ? [...state.permissionsOf(owned)].sort() : [];
    const custom = !Object.values(STANDARD_PROFILE_FULL_NAMES).includes(c.fullName) && !['Minimum Access - Salesforce', 'Minimum Access - API Only Integrations'].includes(c.fullName);
    return {
      custom: String(custom),
      ...(profile?.Description ? { description: String(profile.Description) } : {}),
      userLicense: String(state.byId('UserLicense', String(profile?.UserLicenseId))?.Name ?? 'Salesforce'),
      userPermissions: perms.map((name) => ({ enabled: 'true', name })),
      // Read back as deployed. UNVERIFIED: a profile deploy that carries loginIpRanges replaces the profile's
      // ranges, one without them leaves them as they are (the merge in applyProfile).
      ...(c.data.loginIpRanges !== undefined ? { loginIpRanges: c.data.loginIpRanges } : {}),
    };
  }

  private permissionSetData(id: string): Record<string, unknown> {
    const { state } = this.ctx;
    const ps = state.byId('PermissionSet', id)!;
    const licence = ps.LicenseId ? state.byId('UserLicense', String(ps.LicenseId)) ?? state.byId('PermissionSetLicense', String(ps.LicenseId)) : undefined;
    return {
      ...(ps.Description ? { description: String(ps.Description) } : {}),
      hasActivationRequired: String(ps.HasActivationRequired === true),
      label: String(ps.Label),
      ...(licence ? { license: String(licence.MasterLabel ?? licence.Name) } : {}),
      userPermissions: [...state.permissionsOf(ps)].sort().map((name) => ({ enabled: 'true', name })),
    };
  }

  /** Data as the org returns it (global OAuth settings hide the secret unless the org allows it). */
  public outgoingData(c: MetadataComponent): Record<string, unknown> {
    if (c.type !== 'ExtlClntAppGlobalOauthSettings') return c.data;
    const out = { ...c.data };
    if (String(this.ctx.state.settings.ExternalClientApp?.enableConsumerSecretApiAccess) !== 'true') delete out.consumerSecret;
    // UNVERIFIED reports (issue #8): the certificate cannot be read back; isPkceRequired reads back true.
    if (this.ctx.behaviour.certificateUnreadable) delete out.certificate;
    if (this.ctx.behaviour.pkceAlwaysOn) out.isPkceRequired = 'true';
    return out;
  }

  public fileProperties(c: MetadataComponent, prefix = ''): Record<string, unknown> {
    const spec = typeByName(c.type)!;
    const admin = this.ctx.state.byId('User', c.createdById);
    return {
      createdById: c.createdById,
      createdByName: String(admin?.Name ?? 'Admin User'),
      createdDate: isoDateTime(c.createdAt),
      fileName: `${prefix}${spec.dir}/${c.fullName}.${spec.suffix}`,
      fullName: c.fullName,
      id: c.id,
      lastModifiedById: c.createdById,
      lastModifiedByName: String(admin?.Name ?? 'Admin User'),
      lastModifiedDate: isoDateTime(c.lastModifiedAt),
      manageableState: 'unmanaged',
      type: c.type,
    };
  }

  public startRetrieve(request: Record<string, unknown>): RetrieveJob {
    const job: RetrieveJob = { id: this.ctx.state.ids.next('09S'), createdAt: Date.now(), done: false, status: 'InProgress', fileProperties: [], messages: [] };
    this.retrieves.set(job.id, job);
    const run = (): void => {
      void this.buildRetrieve(job, request).catch((err: unknown) => {
        job.status = 'Failed';
        job.done = true;
        job.messages.push({ fileName: 'package.xml', problem: (err as Error).message });
      });
    };
    const ms = this.ctx.faults.deployMs;
    if (ms > 0) {
      job.timer = setTimeout(run, ms);
      job.timer.unref();
    } else run();
    return job;
  }

  private async buildRetrieve(job: RetrieveJob, request: Record<string, unknown>): Promise<void> {
    const unpackaged = (request.unpackaged ?? {}) as Record<string, unknown>;
    const prefix = String(request.singlePackage) === 'true' ? '' : 'unpackaged/';
    const version = String(unpackaged.version ?? request.apiVersion ?? this.ctx.state.apiVersion);
    const zip = new JSZip();
    const pkgTypes: { name: string; members: string[] }[] = [];
    for (const t of asArray(unpackaged.types as Record<string, unknown> | Record<string, unknown>[])) {
      const typeName = String(t.name ?? '');
      const members = asArray(t.members as string | string[]).map(String);
      const spec = typeByName(typeName);
      const available = spec ? this.listComponents(typeName) : [];
      const chosen: MetadataComponent[] = [];
      for (const m of members) {
        if (m === '*') chosen.push(...available);
        else {
          const found = available.find((c) => c.fullName.toLowerCase() === m.toLowerCase());
          if (found) chosen.push(found);
          else job.messages.push({ fileName: `${prefix}package.xml`, problem: `Entity of type '${typeName}' named '${m}' cannot be found` });
        }
      }
      if (!spec) continue;
      pkgTypes.push({ name: typeName, members: chosen.map((c) => c.fullName) });
      for (const c of chosen) {
        const path = `${prefix}${spec.dir}/${c.fullName}.${spec.suffix}`;
        if (spec.hasMetaFile) {
          zip.file(path, Buffer.from(String(c.data.body ?? ''), 'base64'));
          zip.file(`${path}-meta.xml`, Buffer.from(String(c.data.meta ?? ''), 'base64'));
        } else {
          zip.file(path, toMetadataXml(spec.root(c.fullName), this.outgoingData(c)));
        }
        job.fileProperties.push(this.fileProperties(c, prefix));
      }
    }
    zip.file(`${prefix}package.xml`, packageXml(pkgTypes, version));
    const now = isoDateTime(Date.now());
    job.fileProperties.push({
      createdById: this.ctx.state.adminUserId, createdByName: 'Admin User', createdDate: now, fileName: `${prefix}package.xml`, fullName: `${prefix}package.xml`,
      id: '', lastModifiedById: this.ctx.state.adminUserId, lastModifiedByName: 'Admin User', lastModifiedDate: now, manageableState: 'unmanaged', type: 'Package',
    });
    job.zipFile = (await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })).toString('base64');
    job.status = 'Succeeded';
    job.done = true;
  }
}

const builder = new XMLBuilder({ format: true, indentBy: '    ', suppressEmptyNode: false, ignoreAttributes: false });

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** A metadata file as Salesforce writes it: sorted elements, 4-space indent. */
export function toMetadataXml(root: string, data: Record<string, unknown>): string {
  const body = builder.build({ [root]: { '@_xmlns': MD_NS, ...(sortKeys(data) as Record<string, unknown>) } }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body.replace(/ xmlns="[^"]*"/, ` xmlns="${MD_NS}"`)}`;
}

export function packageXml(types: { name: string; members: string[] }[], version: string): string {
  const parts = types
    .filter((t) => t.members.length)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => `    <types>\n${[...t.members].sort().map((m) => `        <members>${m}</members>\n`).join('')}        <name>${t.name}</name>\n    </types>\n`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="${MD_NS}">\n${parts.join('')}    <version>${version}</version>\n</Package>\n`;
}

