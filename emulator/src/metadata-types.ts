/**
 * The metadata types the emulator deploys and retrieves: directory, suffix, root element, and a
 * schema of known elements (types, enums, required fields) used by deploy validation.
 */

export type ElementSpec =
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'int' }
  | { kind: 'enum'; enumName: string; values: readonly string[] }
  | { kind: 'complex'; typeName: string; children: Record<string, ElementSpec>; required?: readonly string[] }
  /** Any content (not validated). */
  | { kind: 'any' }
  /** Known only in a range of API versions (outside: "invalid at this location"). */
  | { kind: 'versioned'; min: number; max: number; spec: ElementSpec };

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

/** OAuth scope tokens accepted in commaSeparatedOauthScopes (Metadata API 67.0). */
export const OAUTH_SCOPES = [
  'Basic', 'Api', 'Web', 'Full', 'Chatter', 'CustomApplications', 'RefreshToken', 'OpenID', 'Profile', 'Email', 'Address', 'Phone',
  'OfflineAccess', 'CustomPermissions', 'Wave', 'Eclair', 'Pardot', 'Lightning', 'Content', 'CDPIngest', 'CDPProfile', 'CDPQuery',
  'Chatbot', 'CDPSegment', 'CDPIdentityResolution', 'CDPCalculatedInsight', 'SFApiPlatform', 'Interaction', 'EinsteinGPT',
  'PwdlessLogin', 'ForgotPassword', 'UserRegistration', 'MCP', 'SCRT',
] as const;

const attribute = C('ExtlClntAppOauthSettingsAttribute', { formula: S, key: S });
const policyAttribute = C('ExtlClntAppOauthPoliciesAttribute', { formula: S, key: S });
const ipRange = C('ExtlClntAppOauthIpRange', { description: S, endIpAddress: S, startIpAddress: S });
const userPermission = C('ProfileUserPermission', { enabled: B, name: S }, ['enabled', 'name']);
const psUserPermission = C('PermissionSetUserPermission', { enabled: B, name: S }, ['enabled', 'name']);

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
    fullName: S, areAttributesIncludedInAssetToken: B, areCustomPermsIncludedInAssetToken: B, assetTokenAudiences: S,
    assetTokenSigningCertificate: S, assetTokenValidity: I, clientAssertionCertificate: S, commaSeparatedCustomScopes: S,
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
    fullName: S, callbackUrl: S, certificate: S, consumerKey: S, consumerSecret: S, externalClientApplication: S,
    idTokenConfig: C('ExternalAppIdTokenConfig', { idTokenAudience: S, idTokenIncludeAttributes: B, idTokenIncludeCustomPermissions: B, idTokenIncludeStandardClaims: B, idTokenValidityInMinutes: I }),
    isClientCredentialsFlowEnabled: B, isCodeCredFlowEnabled: B, isCodeCredPostOnly: B, isConsumerSecretOptional: B, isDeviceFlowEnabled: B,
    isDPopEnabled: B, isEnforceRefreshTokenTTL: B, isIntrospectAllTokens: B, isMtlsEnabled: B, isNamedUserJwtEnabled: B, isPkceRequired: B,
    isRefreshTokenRotationEnabled: B, isSecretRequiredForRefreshToken: B, isSecretRequiredForTokenExchange: B, isTokenExchangeEnabled: B,
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
    fullName: S, apexHandler: S, clientCredentialsFlowUser: S, commaSeparatedCustomScopes: S, commaSeparatedPermissionSet: S,
    commaSeparatedProfile: S, customAttributes: policyAttribute, executeHandlerAs: S, externalClientApplication: S,
    guestJwtSessionTimeoutType: E('JWTSessionTimeoutType', ['UserSession', 'Custom']),
    namedUserJwtSessionTimeoutType: E('JWTSessionTimeoutType', ['UserSession', 'Custom']),
    guestJwtTimeout: I, namedUserJwtTimeout: I,
    ipRelaxationPolicyType: S,
    isClientCredentialsFlowEnabled: B, isGuestCodeCredFlowEnabled: B,
    // Deprecated: accepted only for API 61.0–63.0 (HARDIS c698968f2).
    isNamedUserJwtEnabled: { kind: 'versioned', min: 61, max: 63, spec: B },
    isTokenExchangeFlowEnabled: B, label: S,
    permittedUsersPolicyType: E('PermittedUsersPolicyType', ['AllSelfAuthorized', 'AdminApprovedPreAuthorized']),
    policyAction: E('PolicyAction', ['Block', 'RaiseSessionLevel', 'StepUpMFA']),
    refreshTokenPolicyType: E('RefreshTokenPolicyType', ['Infinite', 'SpecificLifetime', 'SpecificInactivity', 'Zero']),
    refreshTokenValidityPeriod: I, refreshTokenValidityUnit: S,
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
    fullName: S, externalClientApplication: S, isEnabled: B, isOauthPluginEnabled: B, isSamlPluginEnabled: B, isMobilePluginEnabled: B,
    isNotificationPluginEnabled: B, isPushPluginEnabled: B, isCanvasPluginEnabled: B, isAttestPluginEnabled: B, label: S,
    startPage: E('ExtlClntAppStartPage', ['None', 'Custom', 'OAuth', 'SAML']), startUrl: S,
  },
};

const PROFILE_COMMON = {
  applicationVisibilities: ANY, categoryGroupVisibilities: ANY, classAccesses: ANY, customMetadataTypeAccesses: ANY, customPermissions: ANY,
  customSettingAccesses: ANY, description: S, externalDataSourceAccesses: ANY, fieldPermissions: ANY, flowAccesses: ANY, objectPermissions: ANY,
  pageAccesses: ANY, recordTypeVisibilities: ANY, fullName: S,
};

const PROFILE: TypeSpec = {
  name: 'Profile',
  dir: 'profiles',
  suffix: 'profile',
  root: () => 'Profile',
  idPrefix: '00e',
  order: 1,
  elements: {
    ...PROFILE_COMMON, custom: B, layoutAssignments: ANY, loginFlows: ANY, loginHours: ANY, loginIpRanges: ANY, profileActionOverrides: ANY,
    tabVisibilities: ANY, userLicense: S, userPermissions: userPermission,
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
    ...PROFILE_COMMON, emailRoutingAddressAccesses: ANY, externalCredentialPrincipalAccesses: ANY, hasActivationRequired: B, label: S,
    license: S, servicePresenceStatusAccesses: ANY, tabSettings: ANY, userLicense: S, userPermissions: psUserPermission,
  },
};

/** Settings we validate (root element `<Name>Settings`). Others are accepted as-is. */
export const SETTINGS_ELEMENTS: Record<string, Record<string, ElementSpec>> = {
  Event: {
    fullName: S, bypassMeteringBlock: B, enableApexLimitEvents: B, enableDeleteMonitoringData: B, enableDynamicStreamingChannel: B,
    enableEventLogGeneration: B, enableEventLogWaveIntegration: B, enableLightningLoggerEvents: B, enableLoginForensics: B,
    enablePlatformTracing: B, enableStreamingApi: B, enableTerminateOldestSession: B, enableTransactionSecurityPolicies: B,
    eventLogRetentionDuration: I,
  },
  RealTimeEvent: {
    fullName: S,
    realTimeEvents: C('RealTimeEvent', { entityName: S, isEnabled: B }, ['entityName', 'isEnabled']),
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
