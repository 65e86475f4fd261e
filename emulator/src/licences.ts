/**
 * User permissions, user licences and permission set licences: which permission exists and which
 * licence allows it. Salesforce does not publish these tables; every row marked UNVERIFIED is our
 * best guess and is kept here so it is easy to change.
 */

/** Known user permission API names and their Setup labels. */
export const USER_PERMISSIONS: Record<string, string> = {
  ApiEnabled: 'API Enabled',
  ApiUserOnly: 'API Only User',
  ViewEventLogFiles: 'View Event Log Files',
  ViewAllData: 'View All Data',
  ModifyAllData: 'Modify All Data',
  ViewSetup: 'View Setup and Configuration',
  CustomizeApplication: 'Customize Application',
  ManageUsers: 'Manage Users',
  ManageInternalUsers: 'Manage Internal Users',
  ManageProfilesPermissionsets: 'Manage Profiles and Permission Sets',
  AssignPermissionSets: 'Assign Permission Sets',
  ModifyMetadata: 'Modify Metadata Through Metadata API Functions',
  AuthorApex: 'Author Apex',
  ViewAllUsers: 'View All Users',
  ViewRoles: 'View Roles and Role Hierarchy',
  RunReports: 'Run Reports',
  ExportReport: 'Export Reports',
  PasswordNeverExpires: 'Password Never Expires',
  LightningExperienceUser: 'Lightning Experience User',
  ExternalClientAppAdmin: 'View all External Client Apps, view their settings, and edit their policies',
  ExternalClientAppDeveloper: 'Create, edit, and delete External Client Apps',
  ExternalClientAppViewer: 'View all External Client Apps and view their settings',
  ViewClientSecret: 'View External Client Apps Consumer Secrets in Metadata',
  ManageConnectedApps: 'Manage Connected Apps',
  DeleteEventMonitoringRecords: 'Delete Event Monitoring Records',
};

/**
 * UNVERIFIED: permissions that exist only when the org has paid Event Monitoring
 * (the API name is unverified; in other orgs a deploy naming it fails with "Unknown user permission").
 */
export const ADD_ON_PERMISSIONS: Record<string, string> = {
  ViewRealTimeEventMonitoringData: 'View Real-Time Event Monitoring Data',
};

export const ALL = '*';

/**
 * Which user permissions a user licence allows (ALL = every permission).
 * UNVERIFIED: the Salesforce Integration row (the brief's choice: API access and read-only
 * monitoring permissions, never Modify All Data).
 */
export const USER_LICENCE_ALLOWS: Record<string, readonly string[]> = {
  Salesforce: [ALL],
  'Salesforce Integration': ['ApiEnabled', 'ApiUserOnly', 'ViewEventLogFiles', 'ViewSetup', 'ViewAllData', 'PasswordNeverExpires'],
};

/**
 * Permission set licences: what a permission set tied to the licence may grant on top of the user licence.
 * UNVERIFIED: "many of the same permissions as the System Administrator profile" modelled as
 * everything except the org-administration ones below.
 */
export const PSL_ALLOWS: Record<string, { exclude: readonly string[]; requiresUserLicence: string }> = {
  SalesforceAPIIntegrationPsl: {
    exclude: ['ModifyAllData', 'ManageUsers', 'ManageInternalUsers', 'CustomizeApplication', 'ModifyMetadata', 'AuthorApex'],
    requiresUserLicence: 'Salesforce Integration',
  },
};

export function permissionLabel(name: string): string {
  return USER_PERMISSIONS[name] ?? ADD_ON_PERMISSIONS[name] ?? name;
}

export function userLicenceAllows(licence: string, permission: string): boolean {
  const allowed = USER_LICENCE_ALLOWS[licence] ?? [ALL];
  return allowed.includes(ALL) || allowed.includes(permission);
}

export function pslAllows(pslDeveloperName: string, permission: string): boolean {
  const row = PSL_ALLOWS[pslDeveloperName];
  if (!row) return true;
  return !row.exclude.includes(permission);
}
