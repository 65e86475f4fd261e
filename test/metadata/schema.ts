/**
 * Test-side field and enum tables for the metadata types the project uses, transcribed from
 * ../shared/reference/salesforce-metadata-and-auth.md (MDAPI-DOC 67.0 + SFTYPES), kept
 * independent of the plugin code on purpose. validateMetadata() parses a file with
 * fast-xml-parser and reports unknown elements, bad values, repeats, missing required fields
 * and fields newer than the project's API version.
 */
import { XMLParser } from 'fast-xml-parser';

export type FieldSpec =
  | { kind: 'string' | 'boolean' | 'int'; required?: boolean; repeat?: boolean; minApi?: number; deprecated?: string }
  | { kind: 'enum'; values: readonly string[]; required?: boolean; repeat?: boolean; minApi?: number; deprecated?: string }
  | { kind: 'complex'; fields: Record<string, FieldSpec>; required?: boolean; repeat?: boolean; minApi?: number; deprecated?: string };

export type TypeSpec = { root: string; fields: Record<string, FieldSpec> };

const s = { kind: 'string' } as const;
const b = { kind: 'boolean' } as const;
const int = { kind: 'int' } as const;
const since = <T extends FieldSpec>(spec: T, minApi: number): T => ({ ...spec, minApi });

/** §1.4: allowed tokens of commaSeparatedOauthScopes. */
export const OAUTH_SCOPE_TOKENS = [
  'Basic', 'Api', 'Web', 'Full', 'Chatter', 'CustomApplications', 'RefreshToken', 'OpenID', 'Profile', 'Email', 'Address', 'Phone',
  'OfflineAccess', 'CustomPermissions', 'Wave', 'Eclair', 'Pardot', 'Lightning', 'Content', 'CDPIngest', 'CDPProfile', 'CDPQuery',
  'Chatbot', 'CDPSegment', 'CDPIdentityResolution', 'CDPCalculatedInsight', 'SFApiPlatform', 'Interaction', 'EinsteinGPT',
  'PwdlessLogin', 'ForgotPassword', 'UserRegistration', 'MCP', 'SCRT',
] as const;

export const IP_RELAXATION_VALUES = ['Enforce', 'Bypass', 'Bypass_2factor', 'Enforce_RelaxRefresh'] as const;

const keyFormula = { kind: 'complex', repeat: true, fields: { formula: s, key: s } } as const;

export const TYPE_SPECS: Record<string, TypeSpec> = {
  // §1.2
  ExternalClientApplication: {
    root: 'ExternalClientApplication',
    fields: {
      contactEmail: s,
      contactPhone: s,
      description: s,
      distributionState: { kind: 'enum', values: ['Local', 'Packaged', 'Managed', 'AutoInstalled'] },
      iconUrl: s,
      infoUrl: s,
      isProtected: b,
      label: s,
      logoUrl: s,
      managedType: { kind: 'enum', values: ['Local', 'Global'] },
      orgScopedExternalApp: s,
    },
  },
  // §1.3
  ExtlClntAppGlobalOauthSettings: {
    root: 'ExtlClntAppGlobalOauthSettings',
    fields: {
      callbackUrl: s,
      certificate: since(s, 60),
      consumerKey: s,
      consumerSecret: s,
      externalClientApplication: { kind: 'string', required: true },
      idTokenConfig: {
        kind: 'complex',
        fields: {
          idTokenAudience: s,
          idTokenIncludeAttributes: b,
          idTokenIncludeCustomPermissions: b,
          idTokenIncludeStandardClaims: b,
          idTokenValidityInMinutes: int,
        },
      },
      isClientCredentialsFlowEnabled: since(b, 60),
      isCodeCredFlowEnabled: since(b, 61),
      isCodeCredPostOnly: since(b, 61),
      isConsumerSecretOptional: b,
      isDeviceFlowEnabled: since(b, 60),
      isDPopEnabled: since(b, 65),
      isEnforceRefreshTokenTTL: since(b, 65),
      isIntrospectAllTokens: b,
      isMtlsEnabled: since(b, 65),
      isNamedUserJwtEnabled: { ...since(b, 61), deprecated: 'only accepted for API 61.0-63.0' },
      isPkceRequired: b,
      isRefreshTokenRotationEnabled: since(b, 60),
      isSecretRequiredForRefreshToken: b,
      isSecretRequiredForTokenExchange: since(b, 60),
      isTokenExchangeEnabled: since(b, 60),
      label: s,
      shouldRotateConsumerKey: b,
      shouldRotateConsumerSecret: b,
    },
  },
  // §1.4
  ExtlClntAppOauthSettings: {
    root: 'ExtlClntAppOauthSettings',
    fields: {
      areAttributesIncludedInAssetToken: since(b, 61),
      areCustomPermsIncludedInAssetToken: since(b, 61),
      assetTokenAudiences: since(s, 61),
      assetTokenSigningCertificate: since(s, 61),
      assetTokenValidity: since(int, 61),
      clientAssertionCertificate: s,
      commaSeparatedCustomScopes: s,
      commaSeparatedOauthScopes: s,
      customAttributes: keyFormula,
      externalClientApplication: { kind: 'string', required: true },
      isFirstPartyAppEnabled: b,
      label: s,
      oauthLink: s,
      singleLogoutUrl: s,
      trustedIpRanges: { kind: 'complex', repeat: true, fields: { description: s, startIpAddress: { kind: 'string', required: true }, endIpAddress: { kind: 'string', required: true } } },
    },
  },
  // §1.5
  ExtlClntAppOauthConfigurablePolicies: {
    root: 'ExtlClntAppOauthConfigurablePolicies',
    fields: {
      apexHandler: since(s, 61),
      clientCredentialsFlowUser: since(s, 60),
      commaSeparatedCustomScopes: since(s, 61),
      commaSeparatedPermissionSet: s,
      commaSeparatedProfile: s,
      customAttributes: keyFormula,
      executeHandlerAs: since(s, 61),
      externalClientApplication: { kind: 'string', required: true },
      guestJwtSessionTimeoutType: { kind: 'enum', values: ['UserSession', 'Custom'], minApi: 65 },
      guestJwtTimeout: since(int, 61),
      ipRelaxationPolicyType: { kind: 'enum', values: IP_RELAXATION_VALUES },
      isClientCredentialsFlowEnabled: since(b, 60),
      isGuestCodeCredFlowEnabled: since(b, 61),
      isNamedUserJwtEnabled: { kind: 'boolean', deprecated: 'only accepted for API 61.0-63.0' },
      isTokenExchangeFlowEnabled: since(b, 60),
      label: s,
      namedUserJwtSessionTimeoutType: { kind: 'enum', values: ['UserSession', 'Custom'], minApi: 65 },
      namedUserJwtTimeout: since(int, 61),
      permittedUsersPolicyType: { kind: 'enum', values: ['AllSelfAuthorized', 'AdminApprovedPreAuthorized'] },
      policyAction: { kind: 'enum', values: ['Block', 'RaiseSessionLevel', 'StepUpMFA'] },
      refreshTokenPolicyType: { kind: 'enum', values: ['Infinite', 'SpecificLifetime', 'SpecificInactivity', 'Zero'] },
      refreshTokenValidityPeriod: int,
      refreshTokenValidityUnit: { kind: 'enum', values: ['Days', 'Hours', 'Months'] },
      requiredSessionLevel: { kind: 'enum', values: ['LOW', 'STANDARD', 'HIGH_ASSURANCE'] },
      sessionTimeoutInMinutes: int,
      singleLogoutUrl: s,
      startUrl: s,
    },
  },
  // §1.6
  ExtlClntAppConfigurablePolicies: {
    root: 'ExtlClntAppConfigurablePolicies',
    fields: {
      externalClientApplication: { kind: 'string', required: true },
      isAttestPluginEnabled: since(b, 65),
      isCanvasPluginEnabled: since(b, 66),
      isEnabled: { kind: 'boolean', required: true },
      isMobilePluginEnabled: since(b, 63),
      isNotificationPluginEnabled: since(b, 63),
      isOauthPluginEnabled: since(b, 60),
      isPushPluginEnabled: since(b, 63),
      isSamlPluginEnabled: since(b, 63),
      label: s,
      startPage: { kind: 'enum', values: ['None', 'Custom', 'OAuth', 'SAML'], minApi: 63 },
      startUrl: since(s, 63),
    },
  },
  // §4.2 (the subset the reference documents)
  Profile: {
    root: 'Profile',
    fields: {
      custom: b,
      description: s,
      userLicense: s,
      userPermissions: { kind: 'complex', repeat: true, fields: { enabled: { kind: 'boolean', required: true }, name: { kind: 'string', required: true } } },
    },
  },
  // §4.4
  PermissionSet: {
    root: 'PermissionSet',
    fields: {
      description: s,
      hasActivationRequired: b,
      label: { kind: 'string', required: true },
      license: since(s, 38),
      userPermissions: { kind: 'complex', repeat: true, fields: { enabled: { kind: 'boolean', required: true }, name: { kind: 'string', required: true } } },
    },
  },
  // §5.1
  EventSettings: {
    root: 'EventSettings',
    fields: {
      bypassMeteringBlock: b,
      enableApexLimitEvents: b,
      enableDeleteMonitoringData: b,
      enableDynamicStreamingChannel: b,
      enableEventLogGeneration: b,
      enableEventLogWaveIntegration: b,
      enableLightningLoggerEvents: b,
      enableLoginForensics: { kind: 'boolean', deprecated: 'API 47-49 only' },
      enablePlatformTracing: b,
      enableStreamingApi: b,
      enableTerminateOldestSession: { kind: 'boolean', deprecated: 'API 47-49 only' },
      enableTransactionSecurityPolicies: b,
      eventLogRetentionDuration: int,
    },
  },
  // §5.2
  RealTimeEventSettings: {
    root: 'RealTimeEventSettings',
    fields: {
      realTimeEvents: {
        kind: 'complex',
        repeat: true,
        required: true,
        fields: { entityName: { kind: 'string', required: true }, isEnabled: { kind: 'boolean', required: true } },
      },
    },
  },
};

const NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: false,
  isArray: (_name, jpath, _isLeaf, isAttribute) => !isAttribute && String(jpath).split('.').length >= 2,
});

/** Parses a metadata file with fast-xml-parser: root element name and its node. */
export function parseWithFxp(xml: string): { root: string; node: Node } {
  const doc = parser.parse(xml, true) as Node;
  const roots = Object.keys(doc).filter((key) => key !== '?xml');
  if (roots.length !== 1) throw new Error(`expected one root element, found ${roots.join(', ')}`);
  const root = roots[0];
  const node = (Array.isArray(doc[root]) ? (doc[root] as Node[])[0] : doc[root]) as Node | string;
  return { root, node: typeof node === 'string' ? {} : node };
}

/** Leaf text of every top-level occurrence of a field (fast-xml-parser view). */
export function texts(node: Node, name: string): string[] {
  const value = node[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => (typeof item === 'string' ? item : String((item as Node)['#text'] ?? '')));
}

/** Child nodes of every top-level occurrence of a complex field. */
export function nodes(node: Node, name: string): Node[] {
  const value = node[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as Node[];
}

function checkFields(node: Node, fields: Record<string, FieldSpec>, path: string, apiVersion: number, problems: string[]): void {
  for (const [name, value] of Object.entries(node)) {
    if (name.startsWith('@_')) {
      problems.push(`${path}: unexpected attribute ${name.slice(2)}`);
      continue;
    }
    if (name === '#text') {
      if (String(value).trim() !== '') problems.push(`${path}: unexpected text "${String(value).trim()}"`);
      continue;
    }
    const spec = fields[name];
    if (spec === undefined) {
      problems.push(`${path}: unknown element <${name}>`);
      continue;
    }
    const occurrences = Array.isArray(value) ? value : [value];
    if (!spec.repeat && occurrences.length > 1) problems.push(`${path}: <${name}> appears ${occurrences.length} times`);
    if (spec.minApi !== undefined && spec.minApi > apiVersion) problems.push(`${path}: <${name}> needs API ${spec.minApi}.0, project uses ${apiVersion}.0`);
    if (spec.deprecated !== undefined) problems.push(`${path}: <${name}> is deprecated (${spec.deprecated})`);
    for (const occurrence of occurrences) {
      const here = `${path}/${name}`;
      if (spec.kind === 'complex') {
        if (typeof occurrence !== 'object' || occurrence === null) {
          problems.push(`${here}: expected child elements`);
          continue;
        }
        checkFields(occurrence as Node, spec.fields, here, apiVersion, problems);
        for (const [childName, childSpec] of Object.entries(spec.fields)) {
          if (childSpec.required && (occurrence as Node)[childName] === undefined) problems.push(`${here}: missing required <${childName}>`);
        }
        continue;
      }
      if (typeof occurrence === 'object' && occurrence !== null) {
        problems.push(`${here}: expected a value, found child elements`);
        continue;
      }
      const text = String(occurrence);
      if (spec.kind === 'boolean' && text !== 'true' && text !== 'false') problems.push(`${here}: "${text}" is not true/false`);
      if (spec.kind === 'int' && !/^-?\d+$/.test(text)) problems.push(`${here}: "${text}" is not an integer`);
      if (spec.kind === 'enum' && !spec.values.includes(text)) problems.push(`${here}: "${text}" is not one of ${spec.values.join(', ')}`);
      if (spec.kind === 'string' && text.trim() === '') problems.push(`${here}: empty value`);
    }
  }
}

/** Every problem found in a metadata file against the table of its expected type (empty = valid). */
export function validateMetadata(xml: string, typeSpec: TypeSpec, apiVersion: number): string[] {
  const problems: string[] = [];
  let parsed: { root: string; node: Node };
  try {
    parsed = parseWithFxp(xml);
  } catch (error) {
    return [`does not parse: ${(error as Error).message}`];
  }
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) problems.push('missing or different XML declaration');
  if (parsed.root !== typeSpec.root) problems.push(`root <${parsed.root}>, expected <${typeSpec.root}>`);
  const namespace = parsed.node['@_xmlns'];
  if (namespace !== NAMESPACE) problems.push(`root namespace ${String(namespace)}, expected ${NAMESPACE}`);
  const { ['@_xmlns']: _ignored, ...fields } = parsed.node;
  checkFields(fields, typeSpec.fields, typeSpec.root, apiVersion, problems);
  for (const [name, spec] of Object.entries(typeSpec.fields)) {
    if (spec.required && fields[name] === undefined) problems.push(`${typeSpec.root}: missing required <${name}>`);
  }
  return problems;
}

/** Splits a comma-separated metadata list the way the values are written ("a, b" or "a,b"). */
export function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
