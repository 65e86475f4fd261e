/**
 * Every component name and source path of the integration, derived from the External
 * Client App's developer name. The source in force-app is written for the default app
 * name; the renderer uses these functions to rename it consistently for another one.
 */
import { DEFAULT_APP_NAME, DEFAULT_CONTACT_EMAIL } from '../defaults.js';

export { DEFAULT_APP_NAME, DEFAULT_CONTACT_EMAIL };

/** The Event Monitoring permission set of the default app, named as the vendor guide names it. */
export const DEFAULT_PERMISSION_SET_NAME = 'Event_Monitoring_Access';
export const DEFAULT_PERMISSION_SET_LABEL = 'Event Monitoring Access';

/** Longest app developer name we accept: every derived developer name (at most `<app>_Event_Monitoring_Access`, 64) then stays well within Salesforce's 80. */
export const MAX_APP_NAME_LENGTH = 40;
/** Salesforce developer names (permission set API names) are at most 80 characters. */
export const MAX_DEVELOPER_NAME_LENGTH = 80;
/** Our own cap on a profile name: Profile.Name allows more, but it also becomes a file name and a list entry. */
export const MAX_PROFILE_NAME_LENGTH = 80;
/** Cap on the app label, so every label derived from it (`<label> Global OAuth Settings`) stays within 80 characters. */
export const MAX_LABEL_LENGTH = 40;

/** Metadata API type names used by the integration, with their source-format directory and suffix (from the SDR registry). */
export const METADATA_TYPES = {
  ExternalClientApplication: { directoryName: 'externalClientApps', suffix: 'eca' },
  ExtlClntAppOauthSettings: { directoryName: 'extlClntAppOauthSettings', suffix: 'ecaOauth' },
  ExtlClntAppGlobalOauthSettings: { directoryName: 'extlClntAppGlobalOauthSets', suffix: 'ecaGlblOauth' },
  ExtlClntAppOauthConfigurablePolicies: { directoryName: 'extlClntAppOauthPolicies', suffix: 'ecaOauthPlcy' },
  ExtlClntAppConfigurablePolicies: { directoryName: 'extlClntAppPolicies', suffix: 'ecaPlcy' },
  Profile: { directoryName: 'profiles', suffix: 'profile' },
  PermissionSet: { directoryName: 'permissionsets', suffix: 'permissionset' },
  Settings: { directoryName: 'settings', suffix: 'settings' },
} as const;

export type MetadataTypeName = keyof typeof METADATA_TYPES;

/** Where each part lives inside a force-app directory (posix, relative). */
export const SOURCE_LAYOUT = {
  main: 'main/default',
  viewAllData: 'optional/view-all-data',
  setupAudit: 'optional/setup-audit',
  eventLogGeneration: 'optional/event-log-generation',
  realTimeEvents: 'optional/real-time-events',
} as const;

export type ComponentNames = {
  /** ExternalClientApplication developer name; every satellite's `externalClientApplication` value. */
  readonly appName: string;
  /** ExternalClientApplication fullName (same as appName). */
  readonly eca: string;
  /** ExtlClntAppOauthSettings: `<app>_oauth`. */
  readonly oauthSettings: string;
  /** ExtlClntAppOauthConfigurablePolicies: `<oauthSettings>_defaultPolicy`, the name Salesforce gives the auto-created policy, so a deploy updates it. */
  readonly oauthPolicy: string;
  /** ExtlClntAppConfigurablePolicies: `<app>_defaultPolicy`, likewise. */
  readonly appPolicy: string;
  /** ExtlClntAppGlobalOauthSettings: `<app>_glbloauth` (rendered at deploy time, never in source). */
  readonly globalSettings: string;
  /** Integration profile name: `<app> Integration`. */
  readonly profile: string;
  /** Event Monitoring permission set API name: `Event_Monitoring_Access` for the default app, `<app>_Event_Monitoring_Access` otherwise. */
  readonly permissionSet: string;
  /** Opt-in View All Data permission set: `<app>_View_All_Data`. */
  readonly viewAllDataPermissionSet: string;
  /** Opt-in View Setup and Configuration permission set: `<app>_Setup_Audit`. */
  readonly setupAuditPermissionSet: string;
  /** Settings member of EventSettings. */
  readonly eventSettings: 'Event';
  /** Settings member of RealTimeEventSettings. */
  readonly realTimeEventSettings: 'RealTimeEvent';
};

/** Names the caller may choose instead of the derived ones (for example to reuse a policy Salesforce auto-created under another name). */
export type NameOverrides = {
  profile?: string;
  permissionSet?: string;
  oauthPolicy?: string;
  appPolicy?: string;
};

/** A bad name or value given to the metadata module; `field` names the input, the message says why. */
export class MetadataInputError extends Error {
  public constructor(public readonly field: string, message: string) {
    super(message);
    this.name = 'MetadataInputError';
  }
}

/**
 * Salesforce developer-name rules ("only underscores and alphanumeric characters; begin with a
 * letter; no spaces; not end with an underscore; no two consecutive underscores"), plus a length cap.
 * Returns the reason the name is invalid, or undefined when it is valid.
 */
export function checkDeveloperName(name: string, maxLength = MAX_DEVELOPER_NAME_LENGTH, what = 'A developer name'): string | undefined {
  if (name.length === 0) return `${what} can't be empty.`;
  if (name.length > maxLength) return `${what} can have at most ${maxLength} characters; "${name}" has ${name.length}.`;
  if (!/^[A-Za-z]/.test(name)) return `${what} must begin with a letter: "${name}".`;
  const bad = /[^A-Za-z0-9_]/.exec(name);
  if (bad) return `${what} can contain only letters, digits and underscores; "${name}" contains "${bad[0]}".`;
  if (name.includes('__')) return `${what} can't contain two consecutive underscores: "${name}".`;
  if (name.endsWith('_')) return `${what} can't end with an underscore: "${name}".`;
  return undefined;
}

/** Reason an External Client App developer name is invalid, or undefined. */
export function checkAppName(name: string): string | undefined {
  return checkDeveloperName(name, MAX_APP_NAME_LENGTH, 'The app developer name');
}

/** Reason a permission set API name is invalid, or undefined. */
export function checkPermissionSetName(name: string): string | undefined {
  return checkDeveloperName(name, MAX_DEVELOPER_NAME_LENGTH, 'The permission set API name');
}

/**
 * Reason a profile name is invalid, or undefined. The name is also the source file name and an
 * entry of the policy's comma-separated profile list, so we allow only letters, digits, spaces and
 * `_ - . ( )` (which covers the standard profile names), no commas, no leading/trailing space.
 */
export function checkProfileName(name: string): string | undefined {
  if (name.length === 0) return "The profile name can't be empty.";
  if (name.length > MAX_PROFILE_NAME_LENGTH) return `The profile name can have at most ${MAX_PROFILE_NAME_LENGTH} characters; "${name}" has ${name.length}.`;
  if (name !== name.trim()) return `The profile name can't start or end with a space: "${name}".`;
  if (/\s{2}/.test(name)) return `The profile name can't contain consecutive spaces: "${name}".`;
  const bad = /[^A-Za-z0-9 _.()-]/.exec(name);
  if (bad) return `The profile name can contain only letters, digits, spaces and _ - . ( ); "${name}" contains "${bad[0]}".`;
  return undefined;
}

/** Reason a label is invalid, or undefined: 1–maxLength printable characters without surrounding whitespace. */
export function checkLabel(label: string, maxLength = MAX_LABEL_LENGTH, what = 'The app label'): string | undefined {
  if (label.length === 0) return `${what} can't be empty.`;
  if (label.length > maxLength) return `${what} can have at most ${maxLength} characters; "${label}" has ${label.length}.`;
  if (label !== label.trim()) return `${what} can't start or end with whitespace: "${label}".`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(label)) return `${what} contains a control character.`;
  return undefined;
}

/** Reason a contact email is invalid, or undefined (a pragmatic shape check, not RFC 5322). */
export function checkEmail(email: string): string | undefined {
  if (email.length > 254) return `The email address is longer than 254 characters (it has ${email.length}).`;
  if (!/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(email)) {
    return `"${email}" is not an email address.`;
  }
  return undefined;
}

function assertValid(fieldName: string, reason: string | undefined): void {
  if (reason !== undefined) throw new MetadataInputError(fieldName, reason);
}

/** Throws MetadataInputError unless the app developer name is valid. */
export function assertAppName(name: string): void {
  assertValid('appName', checkAppName(name));
}

/** `_yyyymmdd` (a real calendar date, 20xx) at the end of an app name: the suffix `cert rotate --parallel-app` adds. */
const ROTATION_SUFFIX = /^(.+)_(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

/**
 * The name the integration's other components are named after. An app `<Name>_<yyyymmdd>` is the second app a
 * zero-downtime rotation deployed beside `<Name>` (`cert rotate --parallel-app`): it pre-authorizes `<Name>`'s
 * profile and permission sets and serves `<Name>`'s integration user, so every command given the new app name
 * finds those, before and after `--finish` retires the old app. Any other app name is its own base.
 */
export function integrationBaseName(appName: string): string {
  const m = ROTATION_SUFFIX.exec(appName);
  if (!m) return appName;
  const [, base, y, mo, d] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return day.getUTCDate() === Number(d) ? base : appName;
}

/**
 * Derives every component name from the app developer name (the profile and permission sets from its
 * integrationBaseName). Throws MetadataInputError for an
 * invalid app name or override, or when two derived names collide.
 */
export function componentNames(appName: string, overrides: NameOverrides = {}): ComponentNames {
  assertAppName(appName);
  const oauthSettings = `${appName}_oauth`;
  const base = integrationBaseName(appName);
  const names: ComponentNames = {
    appName,
    eca: appName,
    oauthSettings,
    oauthPolicy: overrides.oauthPolicy ?? `${oauthSettings}_defaultPolicy`,
    appPolicy: overrides.appPolicy ?? `${appName}_defaultPolicy`,
    globalSettings: `${appName}_glbloauth`,
    profile: overrides.profile ?? `${base} Integration`,
    permissionSet: overrides.permissionSet ?? (base === DEFAULT_APP_NAME ? DEFAULT_PERMISSION_SET_NAME : `${base}_${DEFAULT_PERMISSION_SET_NAME}`),
    viewAllDataPermissionSet: `${base}_View_All_Data`,
    setupAuditPermissionSet: `${base}_Setup_Audit`,
    eventSettings: 'Event',
    realTimeEventSettings: 'RealTimeEvent',
  };
  assertValid('oauthPolicy', checkDeveloperName(names.oauthPolicy, MAX_DEVELOPER_NAME_LENGTH, 'The OAuth policy name'));
  assertValid('appPolicy', checkDeveloperName(names.appPolicy, MAX_DEVELOPER_NAME_LENGTH, 'The app policy name'));
  assertValid('profile', checkProfileName(names.profile));
  assertValid('permissionSet', checkPermissionSetName(names.permissionSet));
  const permissionSets = [names.permissionSet, names.viewAllDataPermissionSet, names.setupAuditPermissionSet];
  if (new Set(permissionSets).size !== permissionSets.length) {
    throw new MetadataInputError('permissionSet', `The permission set name "${names.permissionSet}" is already used by an optional permission set.`);
  }
  if (names.oauthPolicy === names.appPolicy) {
    throw new MetadataInputError('oauthPolicy', `The OAuth policy and the app policy can't share the name "${names.oauthPolicy}".`);
  }
  return names;
}

/** `<fullName>.<suffix>-meta.xml` */
export function sourceFileName(type: MetadataTypeName, fullName: string): string {
  return `${fullName}.${METADATA_TYPES[type].suffix}-meta.xml`;
}

/** `<directoryName>/<fullName>.<suffix>-meta.xml` (posix, relative to a package or stage directory). */
export function sourceFilePath(type: MetadataTypeName, fullName: string): string {
  return `${METADATA_TYPES[type].directoryName}/${sourceFileName(type, fullName)}`;
}

export type ComponentRef = {
  readonly type: MetadataTypeName;
  readonly fullName: string;
  /** Posix path relative to the directory that holds the type folders. */
  readonly path: string;
};

export type ComponentKey =
  | 'eca'
  | 'oauthSettings'
  | 'oauthPolicy'
  | 'appPolicy'
  | 'globalSettings'
  | 'profile'
  | 'permissionSet'
  | 'viewAllDataPermissionSet'
  | 'setupAuditPermissionSet'
  | 'eventSettings'
  | 'realTimeEventSettings';

const COMPONENT_TYPES: Record<ComponentKey, MetadataTypeName> = {
  eca: 'ExternalClientApplication',
  oauthSettings: 'ExtlClntAppOauthSettings',
  oauthPolicy: 'ExtlClntAppOauthConfigurablePolicies',
  appPolicy: 'ExtlClntAppConfigurablePolicies',
  globalSettings: 'ExtlClntAppGlobalOauthSettings',
  profile: 'Profile',
  permissionSet: 'PermissionSet',
  viewAllDataPermissionSet: 'PermissionSet',
  setupAuditPermissionSet: 'PermissionSet',
  eventSettings: 'Settings',
  realTimeEventSettings: 'Settings',
};

/** Type, fullName and relative source path of each component. */
export function componentRefs(names: ComponentNames): Record<ComponentKey, ComponentRef> {
  const refs = {} as Record<ComponentKey, ComponentRef>;
  for (const key of Object.keys(COMPONENT_TYPES) as ComponentKey[]) {
    const type = COMPONENT_TYPES[key];
    const fullName = names[key];
    refs[key] = { type, fullName, path: sourceFilePath(type, fullName) };
  }
  return refs;
}

/** Which force-app folder (SOURCE_LAYOUT key) holds each component's template; the global settings have none. */
export const TEMPLATE_LOCATION: Record<Exclude<ComponentKey, 'globalSettings'>, keyof typeof SOURCE_LAYOUT> = {
  eca: 'main',
  oauthSettings: 'main',
  oauthPolicy: 'main',
  appPolicy: 'main',
  profile: 'main',
  permissionSet: 'main',
  viewAllDataPermissionSet: 'viewAllData',
  setupAuditPermissionSet: 'setupAudit',
  eventSettings: 'eventLogGeneration',
  realTimeEventSettings: 'realTimeEvents',
};

/** Posix paths, relative to a force-app directory, of the source templates (the files for the default app name, or for the app a generated project holds). */
export function templatePaths(appName: string = DEFAULT_APP_NAME): Record<Exclude<ComponentKey, 'globalSettings'>, string> {
  const refs = componentRefs(componentNames(appName));
  const paths = {} as Record<Exclude<ComponentKey, 'globalSettings'>, string>;
  for (const key of Object.keys(TEMPLATE_LOCATION) as Array<Exclude<ComponentKey, 'globalSettings'>>) {
    paths[key] = `${SOURCE_LAYOUT[TEMPLATE_LOCATION[key]]}/${refs[key].path}`;
  }
  return paths;
}
