/**
 * What setup needs to know about the org and the running admin before it writes anything: edition,
 * sandbox or production, My Domain, the admin's rights, and free seats of the integration licences.
 * Every read here is a query; nothing is written.
 */
import type { Connection } from '@jsforce/jsforce-node';
import { Messages, type SfError } from '@salesforce/core';
import { queryRecords, retryRead } from '../faults/org-faults.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.org');

export const INTEGRATION_USER_LICENSE = 'Salesforce Integration';
export const INTEGRATION_PSL = 'SalesforceAPIIntegrationPsl';

/** Editions with no Event Monitoring at all (Anzenna guide, edition table; integration licences likewise). */
const EDITIONS_WITHOUT_EVENT_MONITORING = [
  'Professional Edition',
  'Essentials Edition',
  'Team Edition',
  'Personal Edition',
  'Contact Manager Edition',
  'Base Edition',
  'Group Edition',
];
/** Editions that include it; Enterprise needs the add-on, which no field reveals (we infer it from the logs). */
const EDITIONS_WITH_EVENT_MONITORING = ['Unlimited Edition', 'Performance Edition', 'Developer Edition'];

export type EventMonitoringSupport = 'included' | 'add-on' | 'unknown';

export type OrgFacts = {
  orgId: string;
  name: string;
  edition: string;
  isSandbox: boolean;
  myDomainUrl: string;
  eventMonitoring: EventMonitoringSupport;
};

export type AdminFacts = {
  id: string;
  username: string;
  email: string;
  timeZoneSidKey: string;
  localeSidKey: string;
  languageLocaleKey: string;
  emailEncodingKey: string;
  canDeploy: boolean;
  canManageUsers: boolean;
};

export type LicenceFacts = {
  integrationLicence?: { total: number; used: number };
  apiIntegrationPsl?: { id: string; total: number; used: number };
};

type OrganizationRow = { Id: string; Name: string; OrganizationType: string; IsSandbox: boolean };

export function eventMonitoringSupport(edition: string): EventMonitoringSupport | 'none' {
  if (EDITIONS_WITHOUT_EVENT_MONITORING.includes(edition)) return 'none';
  if (EDITIONS_WITH_EVENT_MONITORING.includes(edition)) return 'included';
  if (edition === 'Enterprise Edition') return 'add-on';
  return 'unknown';
}

/** The org as it is, whatever its edition (verify reports an edition without Event Monitoring instead of stopping). */
export type OrganizationFacts = Omit<OrgFacts, 'eventMonitoring'> & { eventMonitoring: EventMonitoringSupport | 'none' };

export async function readOrganization(conn: Connection): Promise<OrganizationFacts> {
  const [org] = await queryRecords<OrganizationRow>(conn, 'SELECT Id, Name, OrganizationType, IsSandbox FROM Organization');
  return {
    orgId: org.Id,
    name: org.Name,
    edition: org.OrganizationType,
    isSandbox: Boolean(org.IsSandbox),
    myDomainUrl: new URL(conn.instanceUrl).origin,
    eventMonitoring: eventMonitoringSupport(org.OrganizationType),
  };
}

/** The error (and its actions) for an edition without Event Monitoring. */
export function editionWithoutEventMonitoringError(name: string, edition: string): SfError {
  return messages.createError('error.EditionWithoutEventMonitoring', [name, edition]);
}

export async function readOrgFacts(conn: Connection): Promise<OrgFacts> {
  const org = await readOrganization(conn);
  if (org.eventMonitoring === 'none') throw editionWithoutEventMonitoringError(org.name, org.edition);
  return { ...org, eventMonitoring: org.eventMonitoring };
}

type AdminRow = {
  Id: string;
  Username: string;
  Email: string;
  TimeZoneSidKey: string;
  LocaleSidKey: string;
  LanguageLocaleKey: string;
  EmailEncodingKey: string;
};
type PermissionRow = {
  PermissionSet: {
    PermissionsModifyAllData: boolean;
    PermissionsCustomizeApplication: boolean;
    PermissionsManageUsers: boolean;
  };
};

/** The running user and its effective rights (profile-owned and assigned permission sets together). */
/**
 * The running user and its effective rights, in one query: every user has an assignment of its profile's
 * own permission set, so the assignments carry both the user's fields and all its grants.
 */
export async function readAdminFacts(conn: Connection, username: string): Promise<AdminFacts> {
  const quoted = username.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const rows = await queryRecords<{ Assignee: AdminRow; PermissionSet: PermissionRow['PermissionSet'] }>(
      conn,
      'SELECT Assignee.Id, Assignee.Username, Assignee.Email, Assignee.TimeZoneSidKey, Assignee.LocaleSidKey, Assignee.LanguageLocaleKey, ' +
        'Assignee.EmailEncodingKey, PermissionSet.PermissionsModifyAllData, PermissionSet.PermissionsCustomizeApplication, ' +
        `PermissionSet.PermissionsManageUsers FROM PermissionSetAssignment WHERE Assignee.Username = '${quoted}'`
  );
  if (rows.length === 0) {
    throw messages.createError('error.AdminUnreadable', [username]);
  }
  const user = rows[0].Assignee;
  const any = (pick: (p: PermissionRow['PermissionSet']) => boolean): boolean => rows.some((r) => pick(r.PermissionSet));
  return {
    id: user.Id,
    username: user.Username,
    email: user.Email,
    timeZoneSidKey: user.TimeZoneSidKey,
    localeSidKey: user.LocaleSidKey,
    languageLocaleKey: user.LanguageLocaleKey,
    emailEncodingKey: user.EmailEncodingKey,
    canDeploy: any((p) => p.PermissionsModifyAllData || p.PermissionsCustomizeApplication),
    canManageUsers: any((p) => p.PermissionsModifyAllData || p.PermissionsManageUsers),
  };
}

export function assertAdminRights(admin: AdminFacts): void {
  const missing: string[] = [];
  if (!admin.canDeploy) missing.push('Customize Application (to deploy the app, profile and permission set)');
  if (!admin.canManageUsers) missing.push('Manage Users (to create the integration user and assign its licence and permission set)');
  if (missing.length > 0) {
    throw messages.createError('error.InsufficientAdminRights', [admin.username, missing.join(' and ')]);
  }
}

type UserLicenseRow = { TotalLicenses: number; UsedLicenses: number };
type PslRow = { Id: string; TotalLicenses: number; UsedLicenses: number };

export async function readLicenceFacts(conn: Connection): Promise<LicenceFacts> {
  const [licence] = await queryRecords<UserLicenseRow>(conn, `SELECT TotalLicenses, UsedLicenses FROM UserLicense WHERE Name = '${INTEGRATION_USER_LICENSE}'`);
  const [psl] = await queryRecords<PslRow>(conn, `SELECT Id, TotalLicenses, UsedLicenses FROM PermissionSetLicense WHERE DeveloperName = '${INTEGRATION_PSL}'`);
  return {
    integrationLicence: licence ? { total: Number(licence.TotalLicenses), used: Number(licence.UsedLicenses) } : undefined,
    apiIntegrationPsl: psl ? { id: psl.Id, total: Number(psl.TotalLicenses), used: Number(psl.UsedLicenses) } : undefined,
  };
}

/** A new integration user needs a free seat of both licences; an existing one already holds them. */
export function assertSeatsFree(licences: LicenceFacts, needUserSeat: boolean, needPslSeat: boolean): void {
  const { integrationLicence, apiIntegrationPsl } = licences;
  if (!integrationLicence) {
    throw messages.createError('error.IntegrationLicenceMissing', [INTEGRATION_USER_LICENSE]);
  }
  if (needUserSeat && integrationLicence.used >= integrationLicence.total) {
    throw messages.createError('error.IntegrationLicenceExhausted', [String(integrationLicence.total), INTEGRATION_USER_LICENSE]);
  }
  if (!apiIntegrationPsl) {
    throw messages.createError('error.ApiIntegrationPslMissing');
  }
  if (needPslSeat && apiIntegrationPsl.used >= apiIntegrationPsl.total) {
    throw messages.createError('error.ApiIntegrationPslExhausted', [String(apiIntegrationPsl.total)]);
  }
}

/** One permission set (or a profile's own one) assigned to a user, with the permissions asked about that it enables. */
export type PermissionGrant = { permissionSet: string; ownedByProfile: boolean; enabled: string[] };

/**
 * Where a user's effective permissions come from: every assignment (the profile's own permission set
 * included, as Salesforce lists it) with the given permissions (API names, e.g. ModifyAllData) it enables.
 */
export async function readPermissionGrants(conn: Connection, userId: string, permissions: readonly string[]): Promise<PermissionGrant[]> {
  // A permission the org does not have (an add-on's, say) is no field at all, and naming it fails the whole
  // query: ask only for the fields PermissionSet has here (when the describe fails, ask for all).
  const fields = await retryRead('describe', () => conn.describe('PermissionSet'), { attempts: 1 })
    .then((d) => new Set(d.fields.map((f) => f.name)))
    .catch(() => undefined);
  const asked = fields ? permissions.filter((p) => fields.has(`Permissions${p}`)) : permissions;
  const columns = ['PermissionSet.Name', 'PermissionSet.IsOwnedByProfile', ...asked.map((p) => `PermissionSet.Permissions${p}`)].join(', ');
  const rows = await queryRecords<{ PermissionSet: Record<string, unknown> }>(conn, `SELECT ${columns} FROM PermissionSetAssignment WHERE AssigneeId = '${userId}'`);
  return rows.map((r) => ({
    permissionSet: String(r.PermissionSet.Name),
    ownedByProfile: r.PermissionSet.IsOwnedByProfile === true,
    enabled: asked.filter((p) => r.PermissionSet[`Permissions${p}`] === true),
  }));
}
