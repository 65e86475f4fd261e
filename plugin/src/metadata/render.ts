/**
 * Renders a deployable source tree from the templates in force-app (the single source of truth)
 * for a given app name and options:
 *
 *   <outputDir>/stage1/                 profile + permission set(s)  (deploy first: the policy names them)
 *   <outputDir>/stage2/                 ECA, OAuth settings, both policies, rendered global OAuth settings
 *   <outputDir>/event-log-generation/   EventSettings (deploy separately, best effort)
 *   <outputDir>/real-time-events/       RealTimeEventSettings (deploy only when the org has the add-on)
 *
 * Each stage directory holds the type folders directly (`profiles/…`, `externalClientApps/…`),
 * so it can be given to SDR or to `sf project deploy start --source-dir` as it is.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderGlobalOauthSettings, generateConsumerKey } from './global-oauth-settings.js';
import {
  checkEmail,
  checkLabel,
  componentNames,
  componentRefs,
  DEFAULT_PERMISSION_SET_NAME,
  DEFAULT_PERMISSION_SET_LABEL,
  integrationBaseName,
  MetadataInputError,
  templatePaths,
  type ComponentKey,
  type ComponentNames,
  type ComponentRef,
} from './names.js';
import { setLoginIpRanges, type IpRange } from './ip-ranges.js';
import { templateFiles, type TemplateFile, type TemplateKey } from './template-source.js';
import { getText, parseMetadataXml, removeElements, serializeMetadataXml, setText, type MetadataDocument } from './xml.js';

/** ipRelaxationPolicyType values (UI: Enforce IP restrictions / Relax IP restrictions / … with second factor / … but relax for refresh tokens). */
export const IP_RELAXATION_POLICIES = ['Enforce', 'Bypass', 'Bypass_2factor', 'Enforce_RelaxRefresh'] as const;
export type IpRelaxationPolicy = (typeof IP_RELAXATION_POLICIES)[number];

export const STAGES = ['stage1', 'stage2', 'event-log-generation', 'real-time-events'] as const;
export type StageName = (typeof STAGES)[number];

export type RenderBundleOptions = {
  /** A force-app directory (holding main/default and optional/); see locateSourceDir(). */
  sourceDir: string;
  /** Where to write the stages. Must not exist or be empty (stale files would be deployed too), and must not be below a `.forceignore` (see findForceIgnore). */
  outputDir: string;
  /** ExternalClientApplication developer name. */
  appName: string;
  /** App label; defaults to the app name. At most 40 characters. */
  label?: string;
  contactEmail: string;
  /** ECA description; defaults to the template's. */
  description?: string;
  ipRelaxation: IpRelaxationPolicy;
  /** Integration profile name; defaults to `<app> Integration`. It names a profile this bundle owns: don't point it at a profile used for anything else. */
  profileName?: string;
  /** Event Monitoring permission set API name; defaults to Event_Monitoring_Access (default app) or `<app>_Event_Monitoring_Access`. Owned by this bundle, like the profile. */
  permissionSetName?: string;
  /** The integration profile's login IP ranges; omitted or empty: the profile's ranges are left as the org has them. */
  loginIpRanges?: readonly IpRange[];
  /** Existing policy fullNames to update instead of the `_defaultPolicy` names (for example what listMetadata found). */
  oauthPolicyName?: string;
  appPolicyName?: string;
  /** Adds the View All Data permission set (stage1) and pre-authorizes it. */
  viewAllData: boolean;
  /** Adds the View Setup and Configuration permission set (stage1) and pre-authorizes it. */
  setupAudit: boolean;
  /** The global OAuth settings: certificate PEM, the org's My Domain URL, and a consumer key (generated when omitted). */
  /**
   * consumerKey: given, or generated when omitted; `keepOrgConsumerKey` leaves the element out instead (an
   * existing app whose key could not be read back keeps its own, rather than being given a new one).
   * Omitted: no global OAuth settings at all (what a project's source holds; see metadata generate).
   */
  oauth?: { certificatePem: string; callbackUrl: string; consumerKey?: string; keepOrgConsumerKey?: boolean };
  /** Org Id (00D…, 15 or 18 characters) of an org that already has this app: sets `orgScopedExternalApp` to `<15-character org Id>:<app>`. Omit on a first deploy. */
  orgId?: string;
};

export type RenderedComponent = ComponentRef & {
  readonly key: ComponentKey;
  readonly stage: StageName;
  /** Absolute path of the written file. */
  readonly file: string;
};

export type RenderBundleResult = {
  readonly names: ComponentNames;
  /** The consumer key written into the global OAuth settings (given or generated). */
  /** Empty when the org's own key is kept (`keepOrgConsumerKey`). */
  readonly consumerKey: string;
  /** What the OAuth policy pre-authorizes. */
  readonly preAuthorized: { readonly profiles: readonly string[]; readonly permissionSets: readonly string[] };
  /** Absolute directory of each stage. */
  readonly dirs: Readonly<Record<StageName, string>>;
  readonly components: readonly RenderedComponent[];
  /** Every written file (absolute), in write order. */
  readonly files: readonly string[];
};

export type { TemplateKey };

const TEMPLATE_ROOTS: Record<TemplateKey, string> = {
  eca: 'ExternalClientApplication',
  oauthSettings: 'ExtlClntAppOauthSettings',
  oauthPolicy: 'ExtlClntAppOauthConfigurablePolicies',
  appPolicy: 'ExtlClntAppConfigurablePolicies',
  profile: 'Profile',
  permissionSet: 'PermissionSet',
  viewAllDataPermissionSet: 'PermissionSet',
  setupAuditPermissionSet: 'PermissionSet',
  eventSettings: 'EventSettings',
  realTimeEventSettings: 'RealTimeEventSettings',
};

/** Org-specific fields that must never travel from a template to another org. */
const ORG_SPECIFIC: Partial<Record<TemplateKey, string[]>> = {
  eca: ['orgScopedExternalApp'],
  oauthSettings: ['oauthLink'],
};

/** Separator of the policy's comma-separated lists (the names contain no spaces or commas, so no trimming question arises). */
const LIST_SEPARATOR = ',';

/**
 * Finds the force-app templates next to this module: the copy shipped in the plugin package
 * (`plugin/metadata`, with or without a `force-app` level), else the repository's force-app.
 */
export function locateSourceDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url)); // plugin/lib/metadata or plugin/src/metadata
  const candidates = [join(here, '..', '..', 'metadata'), join(here, '..', '..', 'metadata', 'force-app'), join(here, '..', '..', '..', 'force-app')];
  const probe = templatePaths().eca;
  return candidates.find((dir) => existsSync(join(dir, probe)));
}

async function loadTemplate(file: TemplateFile, key: TemplateKey): Promise<MetadataDocument> {
  const { relative, dir } = file;
  let text: string;
  try {
    text = await readFile(file.path, 'utf8');
  } catch (error) {
    throw new MetadataInputError('sourceDir', `Missing template ${relative} in ${dir}: ${(error as Error).message}`);
  }
  const doc = parseMetadataXml(text, relative);
  if (doc.root !== TEMPLATE_ROOTS[key]) {
    throw new MetadataInputError('sourceDir', `Template ${relative} has root <${doc.root}>, expected <${TEMPLATE_ROOTS[key]}>.`);
  }
  const app = getText(doc, 'externalClientApplication');
  if (app !== undefined && app !== file.appName) {
    throw new MetadataInputError('sourceDir', `Template ${relative} belongs to app "${app}", expected "${file.appName}".`);
  }
  for (const name of ORG_SPECIFIC[key] ?? []) removeElements(doc, name);
  return doc;
}

function validate(options: RenderOptions): void {
  const problems: Array<[string, string | undefined]> = [
    ['contactEmail', checkEmail(options.contactEmail)],
    ['label', options.label === undefined ? undefined : checkLabel(options.label)],
    ['description', options.description === undefined ? undefined : checkLabel(options.description, 255, 'The app description')],
    [
      'ipRelaxation',
      (IP_RELAXATION_POLICIES as readonly string[]).includes(options.ipRelaxation)
        ? undefined
        : `IP relaxation must be one of ${IP_RELAXATION_POLICIES.join(', ')}; got "${String(options.ipRelaxation)}".`,
    ],
    [
      'orgId',
      options.orgId === undefined || /^00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/.test(options.orgId)
        ? undefined
        : `"${options.orgId}" is not an organization Id (00D followed by 12 or 15 characters).`,
    ],
  ];
  for (const [fieldName, reason] of problems) if (reason !== undefined) throw new MetadataInputError(fieldName, reason);
}

/** The nearest `.forceignore` at or above a directory, as SDR looks for it, or undefined. */
export function findForceIgnore(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const candidate = join(current, '.forceignore');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

async function prepareOutputDir(outputDir: string): Promise<void> {
  // SDR applies the nearest .forceignore above a source path; ours (rightly) ignores every
  // extlClntAppGlobalOauthSets folder, so a bundle rendered inside a project would silently
  // lose its certificate and consumer key when resolved for deploy.
  const forceIgnore = findForceIgnore(outputDir);
  if (forceIgnore !== undefined) {
    throw new MetadataInputError(
      'outputDir',
      `${outputDir} is below ${forceIgnore}, which would hide the rendered global OAuth settings from the deploy; render into a directory outside any SFDX project (for example under the OS temp directory).`
    );
  }
  if (existsSync(outputDir)) {
    const entries = await readdir(outputDir);
    if (entries.length > 0) {
      throw new MetadataInputError('outputDir', `${outputDir} is not empty; render into a new or empty directory so no stale component is deployed.`);
    }
  }
  await mkdir(outputDir, { recursive: true });
}

export type RenderedDocument = ComponentRef & {
  readonly key: ComponentKey;
  readonly stage: StageName;
  /** The file's text, exactly as it is written. */
  readonly xml: string;
  /** File mode when written (the global OAuth settings are owner-only). */
  readonly mode: number;
};

/** The bundle in memory: nothing written. Writers put it where it is needed (deploy staging, a project's package dir). */
export type RenderedBundle = {
  readonly names: ComponentNames;
  /** The consumer key in the global OAuth settings (given or generated); empty when the org's own key is kept. */
  readonly consumerKey: string;
  readonly preAuthorized: { readonly profiles: readonly string[]; readonly permissionSets: readonly string[] };
  readonly documents: readonly RenderedDocument[];
};

export type Templates = ReadonlyMap<TemplateKey, MetadataDocument>;

/** The templates of a source directory, checked (every one, opt-ins included; opt-ins a generated project lacks come from the bundled copy). */
export async function loadTemplates(sourceDir: string): Promise<Templates> {
  const files = templateFiles(resolve(sourceDir), locateSourceDir());
  const keys = Object.keys(TEMPLATE_ROOTS) as TemplateKey[];
  const docs = await Promise.all(keys.map((key) => loadTemplate(files[key], key)));
  return new Map(keys.map((key, i) => [key, docs[i]]));
}

function namesFor(options: RenderOptions): ComponentNames {
  return componentNames(options.appName, {
    profile: options.profileName,
    permissionSet: options.permissionSetName,
    oauthPolicy: options.oauthPolicyName,
    appPolicy: options.appPolicyName,
  });
}

function cloneDoc(doc: MetadataDocument): MetadataDocument {
  return structuredClone(doc);
}

/** The app and its satellites (stage2), as the templates have them with our names and choices set. */
function renderApp(docs: (key: TemplateKey) => MetadataDocument, options: RenderOptions, names: ComponentNames, label: string, access: { profiles: string[]; permissionSets: string[] }): void {
  const eca = docs('eca');
  setText(eca, 'label', label);
  setText(eca, 'contactEmail', options.contactEmail);
  if (options.description !== undefined) setText(eca, 'description', options.description);
  // The 15-character org Id, as real retrieved files carry it (`00Dbm000004ELiD:Onyx_Cloud`, issue #8).
  if (options.orgId !== undefined) setText(eca, 'orgScopedExternalApp', `${options.orgId.slice(0, 15)}:${names.appName}`);

  const oauthSettings = docs('oauthSettings');
  setText(oauthSettings, 'externalClientApplication', names.appName);
  setText(oauthSettings, 'label', `${label} OAuth Settings`);

  const oauthPolicy = docs('oauthPolicy');
  setText(oauthPolicy, 'externalClientApplication', names.appName);
  setText(oauthPolicy, 'label', names.oauthPolicy);
  setText(oauthPolicy, 'commaSeparatedProfile', access.profiles.join(LIST_SEPARATOR));
  setText(oauthPolicy, 'commaSeparatedPermissionSet', access.permissionSets.join(LIST_SEPARATOR));
  setText(oauthPolicy, 'ipRelaxationPolicyType', options.ipRelaxation);

  const appPolicy = docs('appPolicy');
  setText(appPolicy, 'externalClientApplication', names.appName);
  setText(appPolicy, 'label', names.appPolicy);
}

/** Who may use it (stage1): the permission set labels. */
function renderAccess(docs: (key: TemplateKey) => MetadataDocument, options: RenderOptions, names: ComponentNames, label: string): void {
  setText(docs('permissionSet'), 'label', names.permissionSet === DEFAULT_PERMISSION_SET_NAME ? DEFAULT_PERMISSION_SET_LABEL : `${label} ${DEFAULT_PERMISSION_SET_LABEL}`);
  if (options.viewAllData) setText(docs('viewAllDataPermissionSet'), 'label', `${label} View All Data`);
  if (options.setupAudit) setText(docs('setupAuditPermissionSet'), 'label', `${label} Setup Audit`);
  if (options.loginIpRanges && options.loginIpRanges.length > 0) setLoginIpRanges(docs('profile'), options.loginIpRanges);
}

export type RenderOptions = Omit<RenderBundleOptions, 'sourceDir' | 'outputDir'>;

/**
 * Renders the bundle in memory from loaded templates: pure (no file, no network). Names and
 * cross-references are derived with componentNames(); every other value comes from the templates.
 * Throws MetadataInputError for bad options.
 */
export function renderDocuments(templates: Templates, options: RenderOptions): RenderedBundle {
  validate(options);
  const names = namesFor(options);
  const label = options.label ?? options.appName;
  // The profile's and permission sets' labels follow the base name, so a rotation's second app keeps them.
  const accessLabel = options.label ?? integrationBaseName(options.appName);
  const oauth = options.oauth;
  const consumerKey = oauth === undefined || oauth.keepOrgConsumerKey ? undefined : oauth.consumerKey ?? generateConsumerKey();
  const globalSettingsXml =
    oauth === undefined
      ? undefined
      : renderGlobalOauthSettings({ appName: names.appName, certificatePem: oauth.certificatePem, consumerKey, callbackUrl: oauth.callbackUrl, label: `${label} Global OAuth Settings` });
  const copies = new Map<TemplateKey, MetadataDocument>();
  const docs = (key: TemplateKey): MetadataDocument => {
    if (!copies.has(key)) copies.set(key, cloneDoc(templates.get(key) as MetadataDocument));
    return copies.get(key) as MetadataDocument;
  };
  const access = { profiles: [names.profile], permissionSets: [names.permissionSet, ...(options.viewAllData ? [names.viewAllDataPermissionSet] : []), ...(options.setupAudit ? [names.setupAuditPermissionSet] : [])] };
  renderApp(docs, options, names, label, access);
  renderAccess(docs, options, names, accessLabel);

  const refs = componentRefs(names);
  const item = (key: ComponentKey, stage: StageName, xml: string, mode = 0o644): RenderedDocument => ({ ...refs[key], key, stage, xml, mode });
  const serialized = (key: TemplateKey, stage: StageName): RenderedDocument => item(key, stage, serializeMetadataXml(docs(key)));
  const documents: RenderedDocument[] = [
    serialized('profile', 'stage1'),
    ...permissionSetKeys(options).map((key) => serialized(key, 'stage1')),
    serialized('eca', 'stage2'),
    serialized('oauthSettings', 'stage2'),
    // the certificate and consumer key are not secret, but this file is kept out of source control: owner-only
    ...(globalSettingsXml === undefined ? [] : [item('globalSettings', 'stage2', globalSettingsXml, 0o600)]),
    serialized('oauthPolicy', 'stage2'),
    serialized('appPolicy', 'stage2'),
    serialized('eventSettings', 'event-log-generation'),
    serialized('realTimeEventSettings', 'real-time-events'),
  ];
  return { names, consumerKey: consumerKey ?? '', preAuthorized: access, documents };
}

/** Writes a rendered bundle as one deployable source tree per stage under `outputDir` (new or empty, outside any project). */
export async function writeBundle(bundle: RenderedBundle, outputDir: string): Promise<RenderBundleResult> {
  const root = resolve(outputDir);
  const dirs = Object.fromEntries(STAGES.map((stage) => [stage, join(root, stage)])) as Record<StageName, string>;
  await prepareOutputDir(root);
  const components: RenderedComponent[] = [];
  for (const doc of bundle.documents) {
    const file = join(dirs[doc.stage], ...doc.path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, doc.xml, { encoding: 'utf8', flag: 'wx', mode: doc.mode });
    components.push({ type: doc.type, fullName: doc.fullName, path: doc.path, key: doc.key, stage: doc.stage, file });
  }
  return { names: bundle.names, consumerKey: bundle.consumerKey, preAuthorized: bundle.preAuthorized, dirs, components, files: components.map((c) => c.file) };
}

/**
 * Renders the bundle for `options.appName` into `options.outputDir` (see the module comment for the
 * layout): loadTemplates, renderDocuments, writeBundle. Throws MetadataInputError for bad options or templates.
 */
export async function renderBundle(options: RenderBundleOptions): Promise<RenderBundleResult> {
  validate(options);
  return writeBundle(renderDocuments(await loadTemplates(options.sourceDir), options), options.outputDir);
}

function permissionSetKeys(options: RenderOptions): TemplateKey[] {
  return [
    'permissionSet',
    ...(options.viewAllData ? (['viewAllDataPermissionSet'] as const) : []),
    ...(options.setupAudit ? (['setupAuditPermissionSet'] as const) : []),
  ];
}
