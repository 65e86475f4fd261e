/**
 * Every input of the integration, described once: its flag, its `plugins.anzenna` key in sfdx-project.json,
 * its type, its default and its check. The commands' flag definitions, the project-settings parser, the
 * resolved types for setup and verify and the defaults are all derived from this table, so setup, verify
 * and the commands to come read the same inputs the same way (flags win, then the project, then defaults).
 */
import { join } from 'node:path';
import { Messages, SfError } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { checkInputFile, DEFAULT_VALIDITY_DAYS, keyPairPaths, KEY_FORMATS, type KeyFormat } from '../cert/index.js';
import { checkAppName, checkEmail, checkLabel, integrationBaseName, IP_RELAXATION_POLICIES, parseIpRange, type IpRange, type IpRelaxationPolicy } from '../metadata/index.js';
import { DEFAULT_APP_NAME, DEFAULT_CONTACT_EMAIL, fileBaseForApp } from '../defaults.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.inputs');

/** Flag spelling of the IP relaxation policies (the metadata values, in kebab case). */
export const IP_RELAXATION_FLAG_VALUES = ['bypass', 'enforce', 'bypass-2factor', 'enforce-relax-refresh'] as const;
export type IpRelaxationFlag = (typeof IP_RELAXATION_FLAG_VALUES)[number];

const IP_RELAXATION_BY_FLAG: Record<IpRelaxationFlag, IpRelaxationPolicy> = {
  bypass: 'Bypass',
  enforce: 'Enforce',
  'bypass-2factor': 'Bypass_2factor',
  'enforce-relax-refresh': 'Enforce_RelaxRefresh',
};

export const DEFAULT_WAIT_MINUTES = 10;
/** Whose hand-off setup proves and prints (`--vendor`, `plugins.anzenna.vendor`). */
export const VENDOR_CHOICES = ['anzenna', 'elastic', 'both'] as const;
export type VendorChoice = (typeof VENDOR_CHOICES)[number];
export const DEFAULT_OUTPUT_DIR = 'anzenna-jwt';
export const DEFAULT_KEY_SIZE = 2048;

/** `strings`: a repeatable flag, and an array of strings in the project. */
type ValueType = 'string' | 'boolean' | 'number' | 'strings';

/** One input: flag, project key, type, default and check. `flag` builds the oclif flag (summary from messages). */
type InputSpec = {
  projectKey?: string;
  type: ValueType;
  /** A problem with a given value (the error is named and carries its action), or undefined. */
  check?: (value: never) => SfError | undefined;
};

/** A named error whose text and actions live in messages/anzenna.inputs.md under `error.<key>`. */
export function inputError(key: string, name: string, tokens: string[] = [], actionTokens: string[] = []): SfError {
  return new SfError(messages.getMessage(`error.${key}`, tokens), name, messages.getMessages(`error.${key}.actions`, actionTokens));
}

const invalid = (key: string, tokens: string[] = [], actionTokens: string[] = []): SfError => inputError(key, ERROR_NAMES[key] ?? `${key}Error`, tokens, actionTokens);

/** Several message keys share one documented error name. */
const ERROR_NAMES: Record<string, string> = { InvalidContactEmail: 'InvalidEmailError', InvalidUserEmail: 'InvalidEmailError' };

const checkWith = (problemOf: (v: string) => string | undefined, key: string) => (value: string): SfError | undefined => {
  const problem = problemOf(value);
  return problem ? invalid(key, [problem]) : undefined;
};

/** Each `<start>-<end>` IPv4 range must parse, with start ≤ end. */
const checkIpRanges = (values: string[]): SfError | undefined => {
  for (const value of values) {
    const parsed = parseIpRange(value);
    if ('problem' in parsed) return invalid('InvalidIpRange', [value, parsed.problem]);
  }
  return undefined;
};

/** The table. Order is the order of the README and of `sfdx-project.json`'s keys. */
export const INPUTS = {
  'app-name': { projectKey: 'appName', type: 'string', check: checkWith(checkAppName, 'InvalidAppName') },
  label: { projectKey: 'label', type: 'string', check: checkWith(checkLabel, 'InvalidLabel') },
  'contact-email': { projectKey: 'contactEmail', type: 'string', check: checkWith(checkEmail, 'InvalidContactEmail') },
  'integration-user': { projectKey: 'integrationUser', type: 'string', check: checkWith(checkEmail, 'InvalidUsername') },
  'integration-user-email': { projectKey: 'integrationUserEmail', type: 'string', check: checkWith(checkEmail, 'InvalidUserEmail') },
  'ip-relaxation': { projectKey: 'ipRelaxation', type: 'string', check: (v: string) => (toPolicy(v) ? undefined : invalid('InvalidIpRelaxation', [v], [IP_RELAXATION_FLAG_VALUES.join(', ')])) },
  'view-all-data': { projectKey: 'viewAllData', type: 'boolean' },
  'setup-audit': { projectKey: 'setupAudit', type: 'boolean' },
  'real-time-events': { projectKey: 'realTimeEvents', type: 'boolean' },
  'allowed-ip-range': { projectKey: 'allowedIpRanges', type: 'strings', check: checkIpRanges },
  'certificate-file': { projectKey: 'certificateFile', type: 'string' },
  'certificate-url': { projectKey: 'certificateUrl', type: 'string' },
  'private-key-file': { projectKey: 'privateKeyFile', type: 'string' },
  'output-dir': { projectKey: 'outputDir', type: 'string' },
  wait: { projectKey: 'wait', type: 'number', check: (v: number) => (Number.isFinite(v) && v >= 0 && v <= 60 ? undefined : invalid('InvalidWait', [String(v)])) },
  'key-size': { type: 'number' },
  vendor: { projectKey: 'vendor', type: 'string', check: (v: string) => ((VENDOR_CHOICES as readonly string[]).includes(v) ? undefined : invalid('InvalidVendor', [v], [VENDOR_CHOICES.join(', ')])) },
  'key-format': { type: 'string' },
  'validity-days': { type: 'number' },
} as const satisfies Record<string, InputSpec>;

export type InputFlag = keyof typeof INPUTS;

/**
 * What `--help` shows as `[default: …]` for an input whose default applies only when neither the flag nor
 * `plugins.anzenna` gives it: oclif's `defaultHelp` (shown in help and the manifest, never set as the value,
 * so the project's key still counts).
 */
const shown = (value: string | number) => (): Promise<string> => Promise.resolve(String(value));

/** The oclif flag of each input. Summaries live in messages/anzenna.inputs.md. */
const FLAG_BUILDERS = {
  'app-name': () => Flags.string({ char: 'n', summary: messages.getMessage('flags.app-name.summary'), defaultHelp: shown(DEFAULT_APP_NAME) }),
  label: () => Flags.string({ summary: messages.getMessage('flags.label.summary'), defaultHelp: shown('the app name') }),
  'contact-email': () => Flags.string({ summary: messages.getMessage('flags.contact-email.summary'), defaultHelp: shown(DEFAULT_CONTACT_EMAIL) }),
  'integration-user': () => Flags.string({ summary: messages.getMessage('flags.integration-user.summary'), defaultHelp: shown("<app>-integration@<your username's domain>") }),
  'integration-user-email': () => Flags.string({ char: 'e', summary: messages.getMessage('flags.integration-user-email.summary') }),
  'ip-relaxation': () => Flags.option({ summary: messages.getMessage('flags.ip-relaxation.summary'), options: IP_RELAXATION_FLAG_VALUES, defaultHelp: shown('bypass') })(),
  'view-all-data': () => Flags.boolean({ summary: messages.getMessage('flags.view-all-data.summary'), allowNo: true }),
  'setup-audit': () => Flags.boolean({ summary: messages.getMessage('flags.setup-audit.summary'), allowNo: true }),
  'real-time-events': () => Flags.boolean({ summary: messages.getMessage('flags.real-time-events.summary'), allowNo: true }),
  'allowed-ip-range': () => Flags.string({ summary: messages.getMessage('flags.allowed-ip-range.summary'), description: messages.getMessage('flags.allowed-ip-range.description'), multiple: true }),
  'certificate-file': () =>
    Flags.file({ char: 'c', summary: messages.getMessage('flags.certificate-file.summary'), parse: (input) => checkInputFile(input, 'certificate-file') }),
  // eslint-disable-next-line sf-plugin/flag-cross-references
  'certificate-url': () => Flags.string({ exclusive: ['certificate-file'], summary: messages.getMessage('flags.certificate-url.summary'), description: messages.getMessage('flags.certificate-url.description') }),
  'private-key-file': () =>
    Flags.file({ char: 'k', summary: messages.getMessage('flags.private-key-file.summary'), parse: (input) => checkInputFile(input, 'private-key-file') }),
  'output-dir': () => Flags.directory({ char: 'd', summary: messages.getMessage('flags.output-dir.summary'), defaultHelp: shown(`./${DEFAULT_OUTPUT_DIR}`) }),
  wait: () => Flags.integer({ char: 'w', summary: messages.getMessage('flags.wait.summary'), defaultHelp: shown(DEFAULT_WAIT_MINUTES) }),
  'key-size': () => Flags.integer({ summary: messages.getMessage('flags.key-size.summary'), default: DEFAULT_KEY_SIZE }),
  vendor: () => Flags.option({ summary: messages.getMessage('flags.vendor.summary'), options: VENDOR_CHOICES, defaultHelp: shown('both') })(),
  'key-format': () => Flags.option({ summary: messages.getMessage('flags.key-format.summary'), options: KEY_FORMATS, default: 'pkcs8' as const })(),
  'validity-days': () => Flags.integer({ summary: messages.getMessage('flags.validity-days.summary'), default: DEFAULT_VALIDITY_DAYS }),
} satisfies Record<InputFlag, () => unknown>;

type FlagOf<K extends InputFlag> = ReturnType<(typeof FLAG_BUILDERS)[K]>;

/** The flag definitions of the named inputs, for a command's `flags`. */
export function inputFlags<K extends InputFlag>(...names: K[]): { [P in K]: FlagOf<P> } {
  return Object.fromEntries(names.map((name) => [name, FLAG_BUILDERS[name]()])) as { [P in K]: FlagOf<P> };
}

type ProjectKeyOf<K extends InputFlag> = (typeof INPUTS)[K] extends { projectKey: infer P extends string } ? P : never;
type TypeOf<T extends ValueType> = T extends 'string' ? string : T extends 'boolean' ? boolean : T extends 'strings' ? string[] : number;

const hasType = (value: unknown, type: ValueType): boolean =>
  type === 'strings' ? Array.isArray(value) && value.every((v) => typeof v === 'string') : typeof value === type;

/** `plugins.anzenna` in sfdx-project.json: derived from the table. */
export type ProjectSettings = { [K in InputFlag as ProjectKeyOf<K>]?: TypeOf<(typeof INPUTS)[K]['type']> };

/** What a command's parsed flags may hold of the inputs. */
export type InputFlags = { [K in InputFlag]?: TypeOf<(typeof INPUTS)[K]['type']> };

/** Reads and type-checks `plugins.anzenna`; unknown keys and wrong types are refused with the file named. */
export function parseProjectSettings(raw: unknown, file: string): ProjectSettings {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw inputError('ProjectSettingsNotObject', 'ProjectSettingsError', [file]);
  const byKey = new Map(Object.values(INPUTS).flatMap((spec) => ('projectKey' in spec ? [[spec.projectKey as string, spec.type] as const] : [])));
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const type = byKey.get(key);
    if (!type) throw inputError('ProjectSettingsUnknownKey', 'ProjectSettingsError', [key, file], [[...byKey.keys()].join(', ')]);
    if (!hasType(value, type)) throw inputError('ProjectSettingsWrongType', 'ProjectSettingsError', [key, file, type === 'strings' ? 'an array of strings' : type]);
    settings[key] = value;
  }
  return settings as ProjectSettings;
}

function toPolicy(value: string): IpRelaxationPolicy | undefined {
  if ((IP_RELAXATION_FLAG_VALUES as readonly string[]).includes(value)) return IP_RELAXATION_BY_FLAG[value as IpRelaxationFlag];
  if ((IP_RELAXATION_POLICIES as readonly string[]).includes(value)) return value as IpRelaxationPolicy;
  return undefined;
}

/** A flag, else the project's key, checked; undefined when neither is given. */
function pick<K extends InputFlag>(flags: InputFlags, project: ProjectSettings, name: K): TypeOf<(typeof INPUTS)[K]['type']> | undefined {
  const spec: InputSpec = INPUTS[name];
  const value = flags[name] ?? (spec.projectKey ? (project as Record<string, unknown>)[spec.projectKey] : undefined);
  if (value === undefined) return undefined;
  const problem = spec.check?.(value as never);
  if (problem) throw problem;
  return value as TypeOf<(typeof INPUTS)[K]['type']>;
}

/** The inputs setup and verify share, resolved and checked. */
export type SharedInputs = {
  appName: string;
  /** Undefined: the app name. */
  label?: string;
  contactEmail: string;
  certificateFile?: string;
  /** The vendor's certificate to download (https; http only for loopback); never with certificateFile. */
  certificateUrl?: string;
  privateKeyFile?: string;
  /** The integration profile's login IP ranges; [] leaves the profile's ranges as they are. */
  allowedIpRanges: IpRange[];
  /** Where setup writes a generated pair, and where verify looks for it. */
  outputDir: string;
  integrationUser?: string;
  integrationUserEmail?: string;
  ipRelaxation: IpRelaxationPolicy;
};

export type SetupInputs = SharedInputs & {
  viewAllData: boolean;
  setupAudit: boolean;
  realTimeEvents: boolean;
  waitMinutes: number;
  keySize: number;
  keyFormat: KeyFormat;
  validityDays: number;
  vendor: VendorChoice;
};

export type VerifyInputs = SharedInputs & {
  /** Undefined: as the org's OAuth policy pre-authorizes the opt-in permission sets. */
  viewAllData?: boolean;
  setupAudit?: boolean;
};

/** A certificate file or a URL, never both (flags and project together). */
function certificateSource(flags: InputFlags, project: ProjectSettings): Pick<SharedInputs, 'certificateFile' | 'certificateUrl'> {
  const certificateFile = pick(flags, project, 'certificate-file');
  const certificateUrl = pick(flags, project, 'certificate-url');
  if (certificateFile && certificateUrl) throw invalid('CertificateSourceConflict', [certificateFile, certificateUrl]);
  return { certificateFile, certificateUrl };
}

export function resolveSharedInputs(flags: InputFlags, project: ProjectSettings, cwd = process.cwd()): SharedInputs {
  return {
    appName: pick(flags, project, 'app-name') ?? DEFAULT_APP_NAME,
    label: pick(flags, project, 'label'),
    contactEmail: pick(flags, project, 'contact-email') ?? DEFAULT_CONTACT_EMAIL,
    integrationUser: pick(flags, project, 'integration-user'),
    integrationUserEmail: pick(flags, project, 'integration-user-email'),
    ipRelaxation: toPolicy(pick(flags, project, 'ip-relaxation') ?? 'bypass') as IpRelaxationPolicy,
    ...certificateSource(flags, project),
    allowedIpRanges: (pick(flags, project, 'allowed-ip-range') ?? []).map((text) => (parseIpRange(text) as { range: IpRange }).range),
    privateKeyFile: pick(flags, project, 'private-key-file'),
    outputDir: pick(flags, project, 'output-dir') ?? join(cwd, DEFAULT_OUTPUT_DIR),
  };
}

export function resolveSetupInputs(flags: InputFlags, project: ProjectSettings, cwd = process.cwd()): SetupInputs {
  return {
    ...resolveSharedInputs(flags, project, cwd),
    viewAllData: pick(flags, project, 'view-all-data') ?? false,
    setupAudit: pick(flags, project, 'setup-audit') ?? false,
    realTimeEvents: pick(flags, project, 'real-time-events') ?? false,
    waitMinutes: pick(flags, project, 'wait') ?? DEFAULT_WAIT_MINUTES,
    keySize: flags['key-size'] ?? DEFAULT_KEY_SIZE,
    keyFormat: (flags['key-format'] ?? 'pkcs8') as KeyFormat,
    validityDays: flags['validity-days'] ?? DEFAULT_VALIDITY_DAYS,
    vendor: (pick(flags, project, 'vendor') ?? 'both') as VendorChoice,
  };
}

export function resolveVerifyInputs(flags: InputFlags, project: ProjectSettings, cwd = process.cwd()): VerifyInputs {
  return {
    ...resolveSharedInputs(flags, project, cwd),
    viewAllData: pick(flags, project, 'view-all-data'),
    setupAudit: pick(flags, project, 'setup-audit'),
  };
}

/** Default integration username: same domain as the admin's, so it is unique to the org's naming (a rotation's second app serves its base app's user). */
export function defaultIntegrationUsername(appName: string, adminUsername: string): string {
  const domain = adminUsername.split('@')[1] ?? 'example.com';
  return `${integrationBaseName(appName).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-integration@${domain}`;
}

/** The one naming rule for a key pair's files (setup, verify and cert generate): `<dir>/<app>.key` and `.crt`. */
export function keyFilePaths(dir: string, appName: string): { key: string; certificate: string } {
  const { keyPath, certPath } = keyPairPaths(dir, fileBaseForApp(appName));
  return { key: keyPath, certificate: certPath };
}
