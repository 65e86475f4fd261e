/**
 * Deploy validation, per component: XML schema (unknown elements, enums, booleans, ints, required
 * fields) and Salesforce's semantic rules (scopes, references, one policy per app, licences,
 * permissions, edition availability). Messages come from DEPLOY_ERRORS.
 */
import { X509Certificate } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MD_NS, OAUTH_SCOPES, SETTINGS_ELEMENTS, SETTINGS_REQUIRED, type ElementSpec, type TypeSpec } from './metadata-types.js';
import type { OrgBehaviour } from './behaviour.js';
import { to15 } from './ids.js';
import type { MetadataComponent, OrgState } from './org-state.js';

/**
 * Deploy problem texts. Rows marked UNVERIFIED are our best guess; the others are quoted from the reference.
 */
export const DEPLOY_ERRORS = {
  parse: (detail: string): string => `Error parsing file: ${detail}`,
  unknownElement: (name: string, typeName: string): string => `Error parsing file: Element {${MD_NS}}${name} invalid at this location in type ${typeName}`,
  badEnum: (value: string, enumName: string): string => `Error parsing file: '${value}' is not a valid value for the enum '${enumName}'`,
  // UNVERIFIED: exact wording for non-boolean / non-integer values.
  badBoolean: (value: string): string => `Error parsing file: '${value}' is not valid for the type xsd:boolean`,
  badInt: (value: string): string => `Error parsing file: '${value}' is not valid for the type xsd:int`,
  // UNVERIFIED
  required: (field: string): string => `Required field is missing: ${field}`,
  // UNVERIFIED
  wrongRoot: (found: string, expected: string): string => `Error parsing file: The root element ${found} is not valid; expected ${expected}`,
  badScopes: (scopes: string[]): string => `There's a problem with your scope(s): ${scopes.join(', ')}`,
  // UNVERIFIED: satellite pointing at an app that is neither in the org nor in the deploy.
  unknownApp: (name: string): string => `We couldn't find an external client app called ${name}.`,
  missingPermissionSets: (names: string[]): string => `INVALID_FIELD: We couldn't find permission sets called ${names.join(', ')}`,
  // UNVERIFIED: profiles, by analogy with permission sets.
  missingProfiles: (names: string[]): string => `INVALID_FIELD: We couldn't find profiles called ${names.join(', ')}`,
  duplicateOauthPolicy: (existing: string): string => `DUPLICATE_VALUE: ExtlClntAppOauthSettingsId duplicates value on ${existing}`,
  // UNVERIFIED: one plugin policy / OAuth settings / global settings per app.
  duplicateForApp: (existing: string): string => `DUPLICATE_VALUE: ExternalClientApplicationId duplicates value on ${existing}`,
  globalWithoutOauth: "The external client app configured in your global OAuth Settings doesn't have a valid OAuth settings configuration",
  // UNVERIFIED
  badCertificate: 'The certificate is not a valid PEM-encoded X.509 certificate.',
  // UNVERIFIED
  duplicateConsumerKey: (id: string): string => `DUPLICATE_VALUE: duplicate value found: consumerKey duplicates value on record with id: ${id}`,
  // UNVERIFIED (reference: a "User License couldn't be changed" type error).
  profileLicenceChange: "The user license for this profile can't be changed.",
  // UNVERIFIED
  unknownUserLicence: (name: string): string => `Invalid user license: ${name}`,
  unknownPermission: (name: string): string => `Unknown user permission: ${name}`,
  // Seen in the wild with the API name (forcedotcom/devops-center-feedback #290).
  permissionNotAllowed: (name: string): string => `The user license doesn't allow the permission: ${name}`,
  // UNVERIFIED
  unknownLicence: (name: string): string => `Invalid license: ${name}`,
  // UNVERIFIED
  permissionSetLicenceChange: "The license for this permission set can't be changed.",
  notAvailable: 'Not available for deploy for this organization',
  // UNVERIFIED: an orgScopedExternalApp naming another org (sfdx-hardis strips it before deploying elsewhere:
  // src/common/utils/refresh/externalClientAppUtils.ts). The wording is ours.
  foreignOrgScopedApp: (value: string): string => `The orgScopedExternalApp value ${value} doesn't belong to this org.`,
  // UNVERIFIED wording (KB 001453686, for Connected Apps: a permission set with the Salesforce API Integration
  // licence can't have assigned apps); modelled only with the rejectLicensedPermissionSetInPolicy option.
  licensedPermissionSetInPolicy: (names: string[]): string =>
    `INVALID_CROSS_REFERENCE_KEY: You can't assign this app to permission sets with the Salesforce API Integration license: ${names.join(', ')}`,
  notInZip: (name: string, type: string): string => `An object '${name}' of type ${type} was named in package.xml, but was not found in zipped directory`,
  unknownType: (type: string): string => `Unknown type name '${type}' specified in package.xml`,
} as const;

export interface Problem {
  problem: string;
  line?: number;
  column?: number;
}

export interface DeployComponent {
  type: TypeSpec;
  fullName: string;
  fileName: string;
  /** Raw file content. */
  content: Buffer;
  metaContent?: Buffer;
  /** Parsed XML without the root element (validated types and settings). */
  data: Record<string, unknown>;
  problems: Problem[];
  /** Passed every check so far (later components may depend on it). */
  accepted?: boolean;
}

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true, ignoreDeclaration: true });

function position(xml: string, element: string): { line: number; column: number } {
  const idx = xml.search(new RegExp(`<(?:\\w+:)?${element}[\\s/>]`));
  if (idx < 0) return { line: 1, column: 1 };
  const before = xml.slice(0, idx);
  const line = before.split('\n').length;
  return { line, column: idx - before.lastIndexOf('\n') };
}

/** Parses the component XML (for types with a root element) and checks it against the schema. */
export function parseAndCheck(comp: DeployComponent, apiVersion: number): void {
  if (comp.type.hasMetaFile) return;
  const xml = comp.content.toString('utf8');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    comp.problems.push({ problem: DEPLOY_ERRORS.parse(valid.err.msg), line: valid.err.line, column: valid.err.col });
    return;
  }
  const doc = parser.parse(xml) as Record<string, unknown>;
  const rootName = Object.keys(doc)[0] ?? '';
  const expected = comp.type.root(comp.fullName);
  if (rootName !== expected) {
    comp.problems.push({ problem: DEPLOY_ERRORS.wrongRoot(rootName, expected), line: 1, column: 1 });
    return;
  }
  const body = doc[rootName];
  comp.data = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const elements = comp.type.name === 'Settings' ? SETTINGS_ELEMENTS[comp.fullName] : comp.type.elements;
  if (!elements) return;
  const required = comp.type.name === 'Settings' ? SETTINGS_REQUIRED[comp.fullName] ?? [] : comp.type.required ?? [];
  checkObject(comp, xml, comp.data, elements, comp.type.name === 'Settings' ? expected : comp.type.name, required, apiVersion);
}

function checkObject(comp: DeployComponent, xml: string, obj: Record<string, unknown>, elements: Record<string, ElementSpec>, typeName: string, required: readonly string[], apiVersion: number): void {
  for (const [key, raw] of Object.entries(obj)) {
    let spec: ElementSpec | undefined = elements[key];
    if (spec?.kind === 'versioned') spec = apiVersion >= spec.min && apiVersion <= spec.max ? spec.spec : undefined;
    if (!spec) {
      comp.problems.push({ problem: DEPLOY_ERRORS.unknownElement(key, typeName), ...position(xml, key) });
      continue;
    }
    for (const value of Array.isArray(raw) ? raw : [raw]) checkValue(comp, xml, key, value, spec, apiVersion);
  }
  for (const r of required) {
    const v = obj[r];
    if (v === undefined || v === '') comp.problems.push({ problem: DEPLOY_ERRORS.required(r), line: 1, column: 1 });
  }
}

function checkValue(comp: DeployComponent, xml: string, key: string, value: unknown, spec: ElementSpec, apiVersion: number): void {
  const text = typeof value === 'string' ? value : '';
  switch (spec.kind) {
    case 'boolean':
      if (text !== 'true' && text !== 'false') comp.problems.push({ problem: DEPLOY_ERRORS.badBoolean(text), ...position(xml, key) });
      break;
    case 'int':
      if (!/^-?\d+$/.test(text)) comp.problems.push({ problem: DEPLOY_ERRORS.badInt(text), ...position(xml, key) });
      break;
    case 'enum':
      if (!spec.values.includes(text)) comp.problems.push({ problem: DEPLOY_ERRORS.badEnum(text, spec.enumName), ...position(xml, key) });
      break;
    case 'complex':
      if (value && typeof value === 'object') checkObject(comp, xml, value as Record<string, unknown>, spec.children, spec.typeName, spec.required ?? [], apiVersion);
      else comp.problems.push({ problem: DEPLOY_ERRORS.unknownElement(key, spec.typeName), ...position(xml, key) });
      break;
    default:
      break;
  }
}

// ------------------------------------------------------------------ semantic rules

/** What the org will look like: existing components plus the deploy's valid ones. */
export interface DeployView {
  state: OrgState;
  incoming: DeployComponent[];
  behaviour: OrgBehaviour;
}

const list = (v: unknown): string[] =>
  String(v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const eq = (a: unknown, b: unknown): boolean => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();

function viewHas(view: DeployView, type: string, fullName: string): boolean {
  return !!view.state.component(type, fullName) || view.incoming.some((c) => c.type.name === type && eq(c.fullName, fullName) && c.accepted === true);
}

/** Components (existing or incoming, by fullName) of a type that point at an app. */
function forApp(view: DeployView, type: string, app: string): { fullName: string; data: Record<string, unknown> }[] {
  const out = new Map<string, { fullName: string; data: Record<string, unknown> }>();
  for (const c of view.state.satellitesOf(type, app)) out.set(c.fullName.toLowerCase(), c);
  for (const c of view.incoming) {
    if (c.type.name === type && eq(c.data.externalClientApplication, app) && c.accepted === true) out.set(c.fullName.toLowerCase(), c);
  }
  return [...out.values()];
}

export function checkSemantics(comp: DeployComponent, view: DeployView): void {
  const { state } = view;
  const d = comp.data;
  const push = (problem: string, element?: string): void => {
    comp.problems.push({ problem, ...(element ? position(comp.content.toString('utf8'), element) : { line: 1, column: 1 }) });
  };
  const type = comp.type.name;
  const app = String(d.externalClientApplication ?? '');
  if (type.startsWith('ExtlClntApp') && app && !viewHas(view, 'ExternalClientApplication', app)) {
    push(DEPLOY_ERRORS.unknownApp(app), 'externalClientApplication');
    return;
  }
  /** Another component of this type (different fullName) already serves the app. */
  const otherForApp = (): string | undefined => forApp(view, type, app).find((c) => !eq(c.fullName, comp.fullName))?.fullName;

  switch (type) {
    case 'ExternalClientApplication': {
      const scoped = d.orgScopedExternalApp === undefined ? '' : String(d.orgScopedExternalApp);
      // Either Id form is accepted (UNVERIFIED for the 18-character one; real retrieves carry 15).
      if (scoped && to15(scoped.split(':')[0]) !== state.orgId15) push(DEPLOY_ERRORS.foreignOrgScopedApp(scoped), 'orgScopedExternalApp');
      break;
    }
    case 'ExtlClntAppOauthSettings': {
      const bad = list(d.commaSeparatedOauthScopes).filter((s) => !(OAUTH_SCOPES as readonly string[]).includes(s));
      if (bad.length) push(DEPLOY_ERRORS.badScopes(bad), 'commaSeparatedOauthScopes');
      const other = otherForApp();
      if (other) push(DEPLOY_ERRORS.duplicateForApp(other));
      break;
    }
    case 'ExtlClntAppGlobalOauthSettings': {
      if (forApp(view, 'ExtlClntAppOauthSettings', app).length === 0) push(DEPLOY_ERRORS.globalWithoutOauth);
      if (d.certificate !== undefined && d.certificate !== '') {
        try {
          new X509Certificate(String(d.certificate));
        } catch {
          push(DEPLOY_ERRORS.badCertificate, 'certificate');
        }
      }
      if (d.consumerKey) {
        const clash = [...state.components('ExtlClntAppGlobalOauthSettings').values()].find((c) => c.data.consumerKey === d.consumerKey && !eq(c.fullName, comp.fullName));
        if (clash) push(DEPLOY_ERRORS.duplicateConsumerKey(clash.id), 'consumerKey');
      }
      const other = otherForApp();
      if (other) push(DEPLOY_ERRORS.duplicateForApp(other));
      break;
    }
    case 'ExtlClntAppOauthConfigurablePolicies': {
      const other = otherForApp();
      if (other) push(DEPLOY_ERRORS.duplicateOauthPolicy(other));
      const missingPs = list(d.commaSeparatedPermissionSet).filter((n) => !state.permissionSetByName(n) && !viewHas(view, 'PermissionSet', n));
      if (missingPs.length) push(DEPLOY_ERRORS.missingPermissionSets(missingPs), 'commaSeparatedPermissionSet');
      const missingProfiles = list(d.commaSeparatedProfile).filter((n) => !state.profileByName(n) && !viewHas(view, 'Profile', n));
      if (missingProfiles.length) push(DEPLOY_ERRORS.missingProfiles(missingProfiles), 'commaSeparatedProfile');
      if (view.behaviour.rejectLicensedPermissionSetInPolicy) {
        const licensed = list(d.commaSeparatedPermissionSet).filter((n) => carriesIntegrationPsl(view, n));
        if (licensed.length) push(DEPLOY_ERRORS.licensedPermissionSetInPolicy(licensed), 'commaSeparatedPermissionSet');
      }
      break;
    }
    case 'ExtlClntAppConfigurablePolicies': {
      const other = otherForApp();
      if (other) push(DEPLOY_ERRORS.duplicateForApp(other));
      break;
    }
    case 'Profile':
      checkProfile(comp, view, push);
      break;
    case 'PermissionSet':
      checkPermissionSet(comp, view, push);
      break;
    case 'Settings': {
      const e = state.editionInfo;
      const available = comp.fullName === 'Event' ? e.eventLogFiles : comp.fullName === 'RealTimeEvent' ? e.eventMonitoringAddOn : true;
      if (!available) push(DEPLOY_ERRORS.notAvailable);
      break;
    }
    default:
      break;
  }
}

const INTEGRATION_PSL = ['salesforce api integration', 'salesforceapiintegrationpsl'];

/** The permission set (incoming in this deploy, or in the org) carries the Salesforce API Integration PSL. */
function carriesIntegrationPsl(view: DeployView, name: string): boolean {
  const incoming = view.incoming.find((c) => c.type.name === 'PermissionSet' && eq(c.fullName, name));
  if (incoming) return INTEGRATION_PSL.includes(String(incoming.data.license ?? '').toLowerCase());
  const ps = view.state.permissionSetByName(name);
  const psl = ps?.LicenseId ? view.state.byId('PermissionSetLicense', String(ps.LicenseId)) : undefined;
  return !!psl && INTEGRATION_PSL.includes(String(psl.DeveloperName).toLowerCase());
}

function permissionEntries(d: Record<string, unknown>): { name: string; enabled: boolean }[] {
  return asList(d.userPermissions as Record<string, unknown> | Record<string, unknown>[] | undefined).map((p) => ({
    name: String(p.name ?? ''),
    enabled: String(p.enabled) === 'true',
  }));
}

/** The profile record a Profile fullName refers to ("Admin" → System Administrator). */
export function profileForFullName(state: OrgState, fullName: string): MetadataComponent | undefined {
  return state.component('Profile', fullName);
}

function checkProfile(comp: DeployComponent, view: DeployView, push: (p: string, el?: string) => void): void {
  const { state } = view;
  const existing = profileForFullName(state, comp.fullName);
  const existingRecord = existing ? state.profileById(existing.id) : undefined;
  const currentLicence = existingRecord ? String(state.byId('UserLicense', String(existingRecord.UserLicenseId))?.Name ?? '') : undefined;
  let licence = currentLicence ?? 'Salesforce';
  if (comp.data.userLicense !== undefined) {
    const wanted = String(comp.data.userLicense);
    if (!state.findBy('UserLicense', 'Name', wanted)) {
      push(DEPLOY_ERRORS.unknownUserLicence(wanted), 'userLicense');
      return;
    }
    if (currentLicence !== undefined && !eq(currentLicence, wanted)) {
      push(DEPLOY_ERRORS.profileLicenceChange, 'userLicense');
      return;
    }
    licence = wanted;
  }
  for (const p of permissionEntries(comp.data)) {
    if (!state.knownPermission(p.name)) push(DEPLOY_ERRORS.unknownPermission(p.name), 'userPermissions');
    else if (p.enabled && !state.licenceAllows(licence, p.name)) push(DEPLOY_ERRORS.permissionNotAllowed(p.name), 'userPermissions');
  }
}

function checkPermissionSet(comp: DeployComponent, view: DeployView, push: (p: string, el?: string) => void): void {
  const { state } = view;
  const existing = state.permissionSetByName(comp.fullName);
  const licenceName = comp.data.license !== undefined ? String(comp.data.license) : undefined;
  const userLicence = licenceName ? state.findBy('UserLicense', 'Name', licenceName) : undefined;
  // UNVERIFIED: the PSL is named by its MasterLabel ("Salesforce API Integration"); the DeveloperName is accepted too.
  const psl = licenceName && !userLicence ? state.findBy('PermissionSetLicense', 'MasterLabel', licenceName) ?? state.findBy('PermissionSetLicense', 'DeveloperName', licenceName) : undefined;
  if (licenceName && !userLicence && !psl) {
    push(DEPLOY_ERRORS.unknownLicence(licenceName), 'license');
    return;
  }
  if (existing) {
    const newId = userLicence?.Id ?? psl?.Id ?? null;
    const oldId = existing.LicenseId ?? null;
    if (licenceName !== undefined && String(oldId ?? '') !== String(newId ?? '')) {
      push(DEPLOY_ERRORS.permissionSetLicenceChange, 'license');
      return;
    }
  }
  for (const p of permissionEntries(comp.data)) {
    if (!state.knownPermission(p.name)) {
      push(DEPLOY_ERRORS.unknownPermission(p.name), 'userPermissions');
      continue;
    }
    if (!p.enabled) continue;
    if (userLicence && !state.licenceAllows(String(userLicence.Name), p.name)) push(DEPLOY_ERRORS.permissionNotAllowed(p.name), 'userPermissions');
    if (psl && !state.pslAllows(String(psl.DeveloperName), p.name)) push(DEPLOY_ERRORS.permissionNotAllowed(p.name), 'userPermissions');
  }
}
