/**
 * The metadata types the emulator deploys and retrieves: directory, suffix, root element, and a
 * schema of known elements (types, enums, required fields) used by deploy validation.
 *
 * This is the project's single table of metadata fields (from the Metadata API Developer Guide 67.0 and
 * Salesforce's type definitions): the test-side file validator (test/metadata/schema.ts) derives its
 * tables from TYPES and SETTINGS_ELEMENTS. The annotations (`minApi`, `repeat`, `allowed`, `deprecated`)
 * document the guide; deploy validation does not enforce them (except `versioned`).
 */

/** What the guide says about an element beyond its type. */
export interface ElementNotes {
  /** First API version that has the element. */
  minApi?: number;
  /** The element may repeat (a list). */
  repeat?: boolean;
  /** Documented values of a string element that is not an enum in the WSDL. */
  allowed?: readonly string[];
  /** Deprecated: why (the file validator reports its use). */
  deprecated?: string;
}

export type ElementSpec = ElementNotes &
  (
    | { kind: 'string' }
    | { kind: 'boolean' }
    | { kind: 'int' }
    | { kind: 'enum'; enumName: string; values: readonly string[] }
    | { kind: 'complex'; typeName: string; children: Record<string, ElementSpec>; required?: readonly string[] }
    /** Any content (not validated). */
    | { kind: 'any' }
    /** Known only in a range of API versions (outside: "invalid at this location"). */
    | { kind: 'versioned'; min: number; max: number; spec: ElementSpec }
  );

export interface TypeSpec {
  name: string;
  dir: string;
  suffix: string;
  /** Root element of the file. */
  root: (fullName: string) => string;
  /** Known top-level elements; undefined = not validated. */
  elements?: Record<string, ElementSpec>;
  required?: readonly string[];
  idPrefix?: string;
  /** Source-like file with a companion -meta.xml (ApexClass). */
  hasMetaFile?: boolean;
  /** Deploy order (lower first). */
  order: number;
}

const S: ElementSpec = { kind: 'string' };
const B: ElementSpec = { kind: 'boolean' };
const I: ElementSpec = { kind: 'int' };
const ANY: ElementSpec = { kind: 'any' };
const E = (enumName: string, values: readonly string[]): ElementSpec => ({ kind: 'enum', enumName, values });
const C = (typeName: string, children: Record<string, ElementSpec>, required?: readonly string[]): ElementSpec => ({ kind: 'complex', typeName, children, required });
/** The element exists from API `minApi` on. */
const since = (spec: ElementSpec, minApi: number): ElementSpec => ({ ...spec, minApi });
/** A repeating element. */
const many = (spec: ElementSpec): ElementSpec => ({ ...spec, repeat: true });
const NAMED_USER_JWT_DEPRECATED = 'only accepted for API 61.0-63.0';

/** Documented values of ExtlClntAppOauthConfigurablePolicies.ipRelaxationPolicyType (a string in the WSDL). */
export const IP_RELAXATION_VALUES = ['Enforce', 'Bypass', 'Bypass_2factor', 'Enforce_RelaxRefresh'] as const;

/** OAuth scope tokens accepted in commaSeparatedOauthScopes (Metadata API 67.0). */
export const OAUTH_SCOPES = [
  'Basic', 'Api', 'Web', 'Full', 'Chatter', 'CustomApplications', 'RefreshToken', 'OpenID', 'Profile', 'Email', 'Address', 'Phone',
  'OfflineAccess', 'CustomPermissions', 'Wave', 'Eclair', 'Pardot', 'Lightning', 'Content', 'CDPIngest', 'CDPProfile', 'CDPQuery',
  'Chatbot', 'CDPSegment', 'CDPIdentityResolution', 'CDPCalculatedInsight', 'SFApiPlatform', 'Interaction', 'EinsteinGPT',
  'PwdlessLogin', 'ForgotPassword', 'UserRegistration', 'MCP', 'SCRT',
] as const;

const attribute = many(C('ExtlClntAppOauthSettingsAttribute', { formula: S, key: S }));
const policyAttribute = many(C('ExtlClntAppOauthPoliciesAttribute', { formula: S, key: S }));
const ipRange = many(C('ExtlClntAppOauthIpRange', { description: S, endIpAddress: S, startIpAddress: S }, ['startIpAddress', 'endIpAddress']));
const userPermission = many(C('ProfileUserPermission', { enabled: B, name: S }, ['enabled', 'name']));
const psUserPermission = many(C('PermissionSetUserPermission', { enabled: B, name: S }, ['enabled', 'name']));

const ECA: TypeSpec = {
  name: 'ExternalClientApplication',
  dir: 'externalClientApps',
  suffix: 'eca',
  root: () => 'ExternalClientApplication',
  idPrefix: '0xI',
  order: 10,
  // UNVERIFIED: label treated as required (it is the app's MasterLabel).
  required: ['label'],
  elements: {
    fullName: S, contactEmail: S, contactPhone: S, description: S,
    distributionState: E('ExtlClntAppDistState', ['Local', 'Packaged', 'Managed', 'AutoInstalled']),
    iconUrl: S, infoUrl: S, isProtected: B, label: S, logoUrl: S,
    managedType: E('ExtlClntAppManagedType', ['Local', 'Global']),
    orgScopedExternalApp: S,
  },
};

const OAUTH_SETTINGS: TypeSpec = {
  name: 'ExtlClntAppOauthSettings',
  dir: 'extlClntAppOauthSettings',
  suffix: 'ecaOauth',
  root: () => 'ExtlClntAppOauthSettings',
  idPrefix: '0Xs',
  order: 20,
  required: ['externalClientApplication'],
  elements: {
    fullName: S, areAttributesIncludedInAssetToken: since(B, 61), areCustomPermsIncludedInAssetToken: since(B, 61), assetTokenAudiences: since(S, 61),
    assetTokenSigningCertificate: since(S, 61), assetTokenValidity: since(I, 61), clientAssertionCertificate: S, commaSeparatedCustomScopes: S,
    commaSeparatedOauthScopes: S, customAttributes: attribute, externalClientApplication: S, isFirstPartyAppEnabled: B, label: S,
    oauthLink: S, singleLogoutUrl: S, trustedIpRanges: ipRange,
  },
};

const GLOBAL_SETTINGS: TypeSpec = {
  name: 'ExtlClntAppGlobalOauthSettings',
  dir: 'extlClntAppGlobalOauthSets',
  suffix: 'ecaGlblOauth',
  root: () => 'ExtlClntAppGlobalOauthSettings',
  idPrefix: '0Xg',
  order: 30,
  required: ['externalClientApplication'],
  elements: {
    fullName: S, callbackUrl: S, certificate: since(S, 60), consumerKey: S, consumerSecret: S, externalClientApplication: S,
    idTokenConfig: C('ExternalAppIdTokenConfig', { idTokenAudience: S, idTokenIncludeAttributes: B, idTokenIncludeCustomPermissions: B, idTokenIncludeStandardClaims: B, idTokenValidityInMinutes: I }),
    isClientCredentialsFlowEnabled: since(B, 60), isCodeCredFlowEnabled: since(B, 61), isCodeCredPostOnly: since(B, 61), isConsumerSecretOptional: B,
    isDeviceFlowEnabled: since(B, 60), isDPopEnabled: since(B, 65), isEnforceRefreshTokenTTL: since(B, 65), isIntrospectAllTokens: B, isMtlsEnabled: since(B, 65),
    isNamedUserJwtEnabled: { ...since(B, 61), deprecated: NAMED_USER_JWT_DEPRECATED }, isPkceRequired: B,
    isRefreshTokenRotationEnabled: since(B, 60), isSecretRequiredForRefreshToken: B, isSecretRequiredForTokenExchange: since(B, 60), isTokenExchangeEnabled: since(B, 60),
    label: S, shouldRotateConsumerKey: B, shouldRotateConsumerSecret: B,
  },
};

const OAUTH_POLICIES: TypeSpec = {
  name: 'ExtlClntAppOauthConfigurablePolicies',
  dir: 'extlClntAppOauthPolicies',
  suffix: 'ecaOauthPlcy',
  root: () => 'ExtlClntAppOauthConfigurablePolicies',
  idPrefix: '0Xp',
  order: 50,
  required: ['externalClientApplication'],
  elements: {
    fullName: S, apexHandler: since(S, 61), clientCredentialsFlowUser: since(S, 60), commaSeparatedCustomScopes: since(S, 61), commaSeparatedPermissionSet: S,
    commaSeparatedProfile: S, customAttributes: policyAttribute, executeHandlerAs: since(S, 61), externalClientApplication: S,
    guestJwtSessionTimeoutType: since(E('JWTSessionTimeoutType', ['UserSession', 'Custom']), 65),
    namedUserJwtSessionTimeoutType: since(E('JWTSessionTimeoutType', ['UserSession', 'Custom']), 65),
    guestJwtTimeout: since(I, 61), namedUserJwtTimeout: since(I, 61),
    // A string in the WSDL; the guide lists the values.
    ipRelaxationPolicyType: { ...S, allowed: IP_RELAXATION_VALUES },
    isClientCredentialsFlowEnabled: since(B, 60), isGuestCodeCredFlowEnabled: since(B, 61),
    // Deprecated: accepted only for API 61.0–63.0 (HARDIS c698968f2).
    isNamedUserJwtEnabled: { kind: 'versioned', min: 61, max: 63, spec: B, deprecated: NAMED_USER_JWT_DEPRECATED },
    isTokenExchangeFlowEnabled: since(B, 60), label: S,
    permittedUsersPolicyType: E('PermittedUsersPolicyType', ['AllSelfAuthorized', 'AdminApprovedPreAuthorized']),
    policyAction: E('PolicyAction', ['Block', 'RaiseSessionLevel', 'StepUpMFA']),
    refreshTokenPolicyType: E('RefreshTokenPolicyType', ['Infinite', 'SpecificLifetime', 'SpecificInactivity', 'Zero']),
    refreshTokenValidityPeriod: I, refreshTokenValidityUnit: { ...S, allowed: ['Days', 'Hours', 'Months'] },
    requiredSessionLevel: E('SessionSecurityLevel', ['LOW', 'STANDARD', 'HIGH_ASSURANCE']),
    sessionTimeoutInMinutes: I, singleLogoutUrl: S, startUrl: S,
  },
};

const POLICIES: TypeSpec = {
  name: 'ExtlClntAppConfigurablePolicies',
  dir: 'extlClntAppPolicies',
  suffix: 'ecaPlcy',
  root: () => 'ExtlClntAppConfigurablePolicies',
  idPrefix: '0Xc',
  order: 40,
  required: ['externalClientApplication', 'isEnabled'],
  elements: {
    fullName: S, externalClientApplication: S, isEnabled: B, isOauthPluginEnabled: since(B, 60), isSamlPluginEnabled: since(B, 63), isMobilePluginEnabled: since(B, 63),
    isNotificationPluginEnabled: since(B, 63), isPushPluginEnabled: since(B, 63), isCanvasPluginEnabled: since(B, 66), isAttestPluginEnabled: since(B, 65), label: S,
    startPage: since(E('ExtlClntAppStartPage', ['None', 'Custom', 'OAuth', 'SAML']), 63), startUrl: since(S, 63),
  },
};

const LIST = many(ANY);
const PROFILE_COMMON = {
  applicationVisibilities: LIST, categoryGroupVisibilities: LIST, classAccesses: LIST, customMetadataTypeAccesses: LIST, customPermissions: LIST,
  customSettingAccesses: LIST, description: S, externalDataSourceAccesses: LIST, fieldPermissions: LIST, flowAccesses: LIST, objectPermissions: LIST,
  pageAccesses: LIST, recordTypeVisibilities: LIST, fullName: S,
};

const PROFILE: TypeSpec = {
  name: 'Profile',
  dir: 'profiles',
  suffix: 'profile',
  root: () => 'Profile',
  idPrefix: '00e',
  order: 1,
  elements: {
    ...PROFILE_COMMON, custom: B, layoutAssignments: LIST, loginFlows: LIST, loginHours: ANY, loginIpRanges: LIST, profileActionOverrides: LIST,
    tabVisibilities: LIST, userLicense: S, userPermissions: userPermission,
  },
};

const PERMISSION_SET: TypeSpec = {
  name: 'PermissionSet',
  dir: 'permissionsets',
  suffix: 'permissionset',
  root: () => 'PermissionSet',
  idPrefix: '0PS',
  order: 2,
  required: ['label'],
  elements: {
    ...PROFILE_COMMON, emailRoutingAddressAccesses: LIST, externalCredentialPrincipalAccesses: LIST, hasActivationRequired: B, label: S,
    license: since(S, 38), servicePresenceStatusAccesses: LIST, tabSettings: LIST, userLicense: S, userPermissions: psUserPermission,
  },
};

/** Required top-level elements of the settings we validate. */
export const SETTINGS_REQUIRED: Record<string, readonly string[]> = { RealTimeEvent: ['realTimeEvents'] };

/** Settings we validate (root element `<Name>Settings`). Others are accepted as-is. */
export const SETTINGS_ELEMENTS: Record<string, Record<string, ElementSpec>> = {
  Event: {
    fullName: S, bypassMeteringBlock: B, enableApexLimitEvents: B, enableDeleteMonitoringData: B, enableDynamicStreamingChannel: B,
    enableEventLogGeneration: B, enableEventLogWaveIntegration: B, enableLightningLoggerEvents: B, enableLoginForensics: { ...B, deprecated: 'API 47-49 only' },
    enablePlatformTracing: B, enableStreamingApi: B, enableTerminateOldestSession: { ...B, deprecated: 'API 47-49 only' }, enableTransactionSecurityPolicies: B,
    eventLogRetentionDuration: I,
  },
  RealTimeEvent: {
    fullName: S,
    realTimeEvents: many(C('RealTimeEvent', { entityName: S, isEnabled: B }, ['entityName', 'isEnabled'])),
  },
  ExternalClientApp: {
    fullName: S, enableClientSecretInRestApiAccess: B, enableConsumerSecretApiAccess: B, enablePackageEcaOauthFromDevOrg: B,
  },
};

const SETTINGS: TypeSpec = {
  name: 'Settings',
  dir: 'settings',
  suffix: 'settings',
  root: (fullName) => `${fullName}Settings`,
  order: 0,
};

const APEX_CLASS: TypeSpec = {
  name: 'ApexClass',
  dir: 'classes',
  suffix: 'cls',
  root: () => 'ApexClass',
  idPrefix: '01p',
  hasMetaFile: true,
  order: 5,
};

export const TYPES: TypeSpec[] = [ECA, OAUTH_SETTINGS, GLOBAL_SETTINGS, OAUTH_POLICIES, POLICIES, PROFILE, PERMISSION_SET, SETTINGS, APEX_CLASS];

export function typeByName(name: string): TypeSpec | undefined {
  return TYPES.find((t) => t.name === name);
}

export function typeByDir(dir: string, suffix: string): TypeSpec | undefined {
  return TYPES.find((t) => t.dir === dir && t.suffix === suffix);
}

export const MD_NS = 'http://soap.sforce.com/2006/04/metadata';
