/**
 * sObject definitions: the fields the emulator knows, with types for SOQL comparisons and describe.
 */
import { ADD_ON_PERMISSIONS, USER_PERMISSIONS } from './licences.js';

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'boolean'
  | 'int'
  | 'double'
  | 'datetime'
  | 'date'
  | 'picklist'
  | 'reference'
  | 'base64';

export interface FieldDef {
  name: string;
  type: FieldType;
  label?: string;
  referenceTo?: string[];
  relationshipName?: string;
  picklistValues?: readonly string[];
  length?: number;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  groupable?: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  /** 'only': only through the Tooling API; 'both': both APIs; absent: data API only. */
  tooling?: 'only' | 'both';
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
}

const f = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, ...extra });
const ref = (name: string, to: string | string[], relationshipName: string, extra: Partial<FieldDef> = {}): FieldDef =>
  f(name, 'reference', { referenceTo: Array.isArray(to) ? to : [to], relationshipName, ...extra });

const audit = (): FieldDef[] => [
  f('CreatedDate', 'datetime'),
  ref('CreatedById', 'User', 'CreatedBy'),
  f('LastModifiedDate', 'datetime'),
  ref('LastModifiedById', 'User', 'LastModifiedBy'),
  f('SystemModstamp', 'datetime'),
];

const permissionFields = (): FieldDef[] =>
  [...Object.keys(USER_PERMISSIONS), ...Object.keys(ADD_ON_PERMISSIONS)].map((p) =>
    f(`Permissions${p}`, 'boolean', { createable: true, updateable: true })
  );

/** EventLogFile.EventType restricted picklist values (public ELF downloaders' list). */
export const EVENT_TYPES = [
  'ApexCallout', 'ApexExecution', 'ApexRestApi', 'ApexSoap', 'ApexTrigger', 'ApexUnexpectedException', 'API',
  'ApiTotalUsage', 'AsyncReportRun', 'AuraRequest', 'BulkApi', 'BulkApi2', 'ChangeSetOperation',
  'ConcurrentLongRunningApexLimit', 'Console', 'ContentDistribution', 'ContentDocumentLink', 'ContentTransfer',
  'ContinuationCallout', 'CorsViolation', 'Dashboard', 'DocumentAttachmentDownloads', 'ExternalCrossOrgCallout',
  'ExternalCustomApexCallout', 'ExternalDataSourceCallout', 'ExternalODataCallout', 'FlowExecution',
  'HostnameRedirects', 'InsecureExternalAssets', 'KnowledgeArticleView', 'LightningError', 'LightningInteraction',
  'LightningLogger', 'LightningPageView', 'LightningPerformance', 'Login', 'LoginAs', 'Logout',
  'MetadataApiOperation', 'MultiBlockReport', 'NamedCredential', 'OneCommerceUsage', 'PackageInstall',
  'PlatformEncryption', 'QueuedExecution', 'Report', 'ReportExport', 'RestApi', 'Sandbox', 'Search', 'SearchClick',
  'Sites', 'TimeBasedWorkflow', 'TransactionSecurity', 'UITracking', 'URI', 'VisualforceRequest', 'WaveChange',
  'WaveDownload', 'WaveInteraction', 'WavePerformance',
] as const;

export const TIME_ZONES = [
  'America/Los_Angeles', 'America/Denver', 'America/Chicago', 'America/New_York', 'America/Vancouver', 'America/Sao_Paulo',
  'Europe/London', 'Europe/Paris', 'Europe/Berlin', 'Europe/Amsterdam', 'Asia/Tokyo', 'Asia/Kolkata', 'Asia/Singapore',
  'Australia/Sydney', 'GMT', 'Pacific/Auckland',
];
export const LOCALES = ['en_US', 'en_GB', 'en_CA', 'en_AU', 'de_DE', 'fr_FR', 'es_ES', 'ja_JP', 'nl_NL', 'it_IT', 'pt_BR'];
export const EMAIL_ENCODINGS = ['UTF-8', 'ISO-8859-1', 'Shift_JIS', 'ISO-2022-JP', 'EUC-JP', 'ks_c_5601-1987', 'Big5', 'GB2312'];
export const LANGUAGES = ['en_US', 'de', 'es', 'fr', 'it', 'ja', 'sv', 'ko', 'zh_TW', 'zh_CN', 'pt_BR', 'nl_NL', 'da', 'th', 'fi', 'ru', 'es_MX', 'no'];

export const OBJECTS: ObjectDef[] = [
  {
    name: 'Organization',
    label: 'Organization',
    labelPlural: 'Organizations',
    keyPrefix: '00D',
    tooling: 'both',
    fields: [
      f('Id', 'id'),
      f('Name', 'string'),
      f('InstanceName', 'string'),
      f('IsSandbox', 'boolean'),
      f('TrialExpirationDate', 'datetime'),
      f('NamespacePrefix', 'string'),
      f('OrganizationType', 'picklist', {
        picklistValues: ['Team Edition', 'Professional Edition', 'Enterprise Edition', 'Developer Edition', 'Personal Edition', 'Unlimited Edition', 'Contact Manager Edition', 'Base Edition'],
      }),
      f('PrimaryContact', 'string'),
      f('Country', 'string'),
      f('LanguageLocaleKey', 'picklist'),
      f('TimeZoneSidKey', 'picklist'),
      f('DefaultLocaleSidKey', 'picklist'),
      f('IsReadOnly', 'boolean'),
      ...audit(),
    ],
  },
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    tooling: 'both',
    createable: true,
    updateable: true,
    fields: [
      f('Id', 'id'),
      f('Username', 'string', { label: 'Username', createable: true, updateable: true, length: 80 }),
      f('LastName', 'string', { label: 'Last Name', createable: true, updateable: true, length: 80 }),
      f('FirstName', 'string', { label: 'First Name', createable: true, updateable: true, nillable: true, length: 40 }),
      f('Name', 'string', { label: 'Full Name' }),
      f('Email', 'email', { label: 'Email', createable: true, updateable: true, length: 128 }),
      f('Alias', 'string', { label: 'Alias', createable: true, updateable: true, length: 8 }),
      f('CommunityNickname', 'string', { label: 'Nickname', createable: true, updateable: true, nillable: true, length: 40 }),
      f('TimeZoneSidKey', 'picklist', { label: 'Time Zone', createable: true, updateable: true, picklistValues: TIME_ZONES }),
      f('LocaleSidKey', 'picklist', { label: 'Locale', createable: true, updateable: true, picklistValues: LOCALES }),
      f('EmailEncodingKey', 'picklist', { label: 'Email Encoding', createable: true, updateable: true, picklistValues: EMAIL_ENCODINGS }),
      f('LanguageLocaleKey', 'picklist', { label: 'Language', createable: true, updateable: true, picklistValues: LANGUAGES }),
      ref('ProfileId', 'Profile', 'Profile', { label: 'Profile ID', createable: true, updateable: true }),
      f('IsActive', 'boolean', { label: 'Active', createable: true, updateable: true }),
      f('UserType', 'picklist', { picklistValues: ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'] }),
      f('Title', 'string', { createable: true, updateable: true, nillable: true }),
      f('Department', 'string', { createable: true, updateable: true, nillable: true }),
      f('CompanyName', 'string', { createable: true, updateable: true, nillable: true }),
      f('LastLoginDate', 'datetime', { nillable: true }),
      ...audit(),
    ],
  },
  {
    name: 'Profile',
    label: 'Profile',
    labelPlural: 'Profiles',
    keyPrefix: '00e',
    tooling: 'both',
    fields: [
      f('Id', 'id'),
      f('Name', 'string'),
      f('Description', 'string', { nillable: true }),
      ref('UserLicenseId', 'UserLicense', 'UserLicense'),
      f('UserType', 'picklist'),
      ...permissionFields(),
      ...audit(),
    ],
  },
  {
    name: 'UserLicense',
    label: 'User License',
    labelPlural: 'User Licenses',
    keyPrefix: '100',
    tooling: 'both',
    fields: [
      f('Id', 'id'),
      f('Name', 'string'),
      f('MasterLabel', 'string'),
      f('LicenseDefinitionKey', 'string'),
      f('Status', 'picklist', { picklistValues: ['Active', 'Disabled'] }),
      f('TotalLicenses', 'int'),
      f('UsedLicenses', 'int'),
      f('UsedLicensesLastUpdated', 'datetime'),
      ...audit(),
    ],
  },
  {
    name: 'PermissionSet',
    label: 'Permission Set',
    labelPlural: 'Permission Sets',
    keyPrefix: '0PS',
    tooling: 'both',
    fields: [
      f('Id', 'id'),
      f('Name', 'string'),
      f('Label', 'string'),
      f('Description', 'string', { nillable: true }),
      f('IsOwnedByProfile', 'boolean'),
      f('IsCustom', 'boolean'),
      f('NamespacePrefix', 'string', { nillable: true }),
      ref('ProfileId', 'Profile', 'Profile', { nillable: true }),
      ref('LicenseId', ['UserLicense', 'PermissionSetLicense'], 'License', { nillable: true }),
      f('HasActivationRequired', 'boolean'),
      f('Type', 'picklist', { picklistValues: ['Regular', 'Profile', 'Session', 'Standard', 'Group'] }),
      ...permissionFields(),
      ...audit(),
    ],
  },
  {
    name: 'PermissionSetAssignment',
    label: 'Permission Set Assignment',
    labelPlural: 'Permission Set Assignments',
    keyPrefix: '0Pa',
    tooling: 'both',
    createable: true,
    deletable: true,
    fields: [
      f('Id', 'id'),
      ref('AssigneeId', 'User', 'Assignee', { label: 'Assignee ID', createable: true }),
      ref('PermissionSetId', 'PermissionSet', 'PermissionSet', { label: 'Permission Set ID', createable: true }),
      ref('PermissionSetGroupId', 'PermissionSetGroup', 'PermissionSetGroup', { nillable: true, createable: true }),
      f('IsActive', 'boolean'),
      f('ExpirationDate', 'datetime', { nillable: true, createable: true }),
      f('SystemModstamp', 'datetime'),
    ],
  },
  {
    name: 'PermissionSetLicense',
    label: 'Permission Set License',
    labelPlural: 'Permission Set Licenses',
    keyPrefix: '0PL',
    tooling: 'both',
    fields: [
      f('Id', 'id'),
      f('DeveloperName', 'string'),
      f('MasterLabel', 'string'),
      f('PermissionSetLicenseKey', 'string'),
      f('Status', 'picklist', { picklistValues: ['Active', 'Disabled'] }),
      f('TotalLicenses', 'int'),
      f('UsedLicenses', 'int'),
      f('ExpirationDate', 'date', { nillable: true }),
      ...audit(),
    ],
  },
  {
    // One row per login attempt of a known user (JWT bearer logins here). Field names per the Object Reference;
    // LoginType, Status and Application values as in public captures (see emulator/README.md).
    name: 'LoginHistory',
    label: 'Login History',
    labelPlural: 'Login History',
    keyPrefix: '0Ya',
    fields: [
      f('Id', 'id'),
      ref('UserId', 'User', 'User', { label: 'User ID' }),
      f('LoginTime', 'datetime', { label: 'Login Time' }),
      f('LoginType', 'picklist', { label: 'Login Type', picklistValues: ['Remote Access 2.0', 'Application', 'Remote Access Client', 'Partner Product', 'SAML Idp Initiated SSO'], groupable: true }),
      f('LoginUrl', 'string', { label: 'Login URL' }),
      f('SourceIp', 'string', { label: 'Source IP' }),
      f('Status', 'string', { label: 'Status', groupable: true }),
      f('Application', 'string', { label: 'Application', groupable: true }),
      f('Browser', 'string'),
      f('Platform', 'string'),
      f('ApiType', 'string', { label: 'API Type' }),
      f('ApiVersion', 'string', { label: 'API Version' }),
      f('ClientVersion', 'string'),
      f('TlsProtocol', 'string', { label: 'TLS Protocol' }),
      f('CipherSuite', 'string'),
      f('CountryIso', 'string', { nillable: true }),
      f('LoginGeoId', 'string', { nillable: true }),
      f('AuthenticationServiceId', 'string', { nillable: true }),
      f('AuthMethodReference', 'string', { nillable: true }),
      f('LoginSubType', 'string', { nillable: true }),
    ],
  },
  {
    name: 'PermissionSetLicenseAssign',
    label: 'Permission Set License Assignment',
    labelPlural: 'Permission Set License Assignments',
    keyPrefix: '2LA',
    tooling: 'both',
    createable: true,
    deletable: true,
    fields: [
      f('Id', 'id'),
      ref('AssigneeId', 'User', 'Assignee', { label: 'Assignee ID', createable: true }),
      ref('PermissionSetLicenseId', 'PermissionSetLicense', 'PermissionSetLicense', {
        label: 'Permission Set License ID',
        createable: true,
      }),
      ...audit(),
    ],
  },
  {
    name: 'EventLogFile',
    label: 'Event Log File',
    labelPlural: 'Event Log Files',
    keyPrefix: '0AT',
    fields: [
      f('Id', 'id'),
      f('EventType', 'picklist', { label: 'Event Type', picklistValues: EVENT_TYPES, groupable: true }),
      f('LogDate', 'datetime', { label: 'Log Date' }),
      f('LogFileLength', 'double', { label: 'Log File Length' }),
      f('LogFile', 'base64', { label: 'Log File' }),
      f('LogFileContentType', 'string', { label: 'Log File Content Type' }),
      f('LogFileFieldNames', 'string', { label: 'Log File Field Names', length: 1333 }),
      f('LogFileFieldTypes', 'string', { label: 'Log File Field Types', length: 1333 }),
      f('Interval', 'picklist', { label: 'Interval', picklistValues: ['Daily', 'Hourly'], groupable: true }),
      f('Sequence', 'int', { label: 'Sequence' }),
      f('ApiVersion', 'double', { label: 'API Version' }),
      f('IsDeleted', 'boolean'),
      ...audit(),
    ],
  },
  {
    name: 'ExternalClientApplication',
    label: 'External Client App',
    labelPlural: 'External Client Apps',
    keyPrefix: '0xI',
    tooling: 'both',
    fields: [
      f('Id', 'id'),
      f('DeveloperName', 'string'),
      f('MasterLabel', 'string'),
      f('NamespacePrefix', 'string', { nillable: true }),
      f('ContactEmail', 'email', { nillable: true }),
      f('Description', 'string', { nillable: true }),
      f('DistributionState', 'picklist', { picklistValues: ['Local', 'Packaged'] }),
      f('IsProtected', 'boolean'),
      ...audit(),
    ],
  },
  {
    name: 'ExtlClntAppOauthSettings',
    label: 'External Client App OAuth Settings',
    labelPlural: 'External Client App OAuth Settings',
    keyPrefix: '0Xs',
    tooling: 'only',
    fields: [
      f('Id', 'id'),
      f('DeveloperName', 'string'),
      f('MasterLabel', 'string'),
      ref('ExternalClientApplicationId', 'ExternalClientApplication', 'ExternalClientApplication'),
      f('OauthScopesAPI', 'boolean'),
      f('OauthScopesREFRESH_TOKEN', 'boolean'),
      f('OauthScopesWEB', 'boolean'),
      f('OauthScopesFULL', 'boolean'),
      f('OauthScopesOPENID', 'boolean'),
      f('OauthScopesOFFLINE_ACCESS', 'boolean'),
      ...audit(),
    ],
  },
  {
    name: 'ScratchOrgInfo',
    label: 'Scratch Org Info',
    labelPlural: 'Scratch Org Infos',
    keyPrefix: '2SR',
    fields: [f('Id', 'id')],
  },
];

const BY_NAME = new Map(OBJECTS.map((o) => [o.name.toLowerCase(), o]));

export function findObject(name: string): ObjectDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export function findField(obj: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return obj.fields.find((fd) => fd.name.toLowerCase() === lower);
}

export function findRelationship(obj: ObjectDef, relName: string): FieldDef | undefined {
  const lower = relName.toLowerCase();
  return obj.fields.find((fd) => fd.relationshipName?.toLowerCase() === lower);
}

export function objectByKeyPrefix(id: string): ObjectDef | undefined {
  const prefix = id.slice(0, 3);
  return OBJECTS.find((o) => o.keyPrefix === prefix);
}
