/**
 * Editions the emulator can impersonate, and what each one has. Keep every edition-dependent
 * behaviour in this table so it is easy to change.
 */
export type EditionName = 'Developer' | 'Enterprise' | 'EnterpriseEventMonitoring' | 'Unlimited' | 'Professional' | 'Sandbox';

export const EDITION_NAMES: readonly EditionName[] = [
  'Developer',
  'Enterprise',
  'EnterpriseEventMonitoring',
  'Unlimited',
  'Professional',
  'Sandbox',
];

export interface EditionProfile {
  /** Organization.OrganizationType */
  organizationType: string;
  isSandbox: boolean;
  /** EventLogFile exists as an object at all (Professional/Essentials: no). */
  eventLogFiles: boolean;
  /** Paid Event Monitoring (add-on, Shield, or included): every event type, hourly files, RealTimeEvent settings. */
  eventMonitoringAddOn: boolean;
  /** Event types that get log files when there is no add-on. */
  freeTypesOnly: boolean;
  /** Days of event log files kept. */
  retentionDays: number;
  /** Hourly files exist. */
  hourly: boolean;
  /** The Salesforce Integration user licence, its profile and the API integration PSL exist. */
  integrationLicence: boolean;
  integrationSeats: number;
  salesforceSeats: number;
  /** Org-wide API access (Professional without the API add-on has none). */
  apiEnabled: boolean;
  instanceName: string;
  trialExpirationDate: string | null;
}

export const EDITIONS: Record<EditionName, EditionProfile> = {
  // UNVERIFIED: Developer Edition is documented as having all log types with one-day retention;
  // we model that as every event type, daily only (hourly needs the add-on), 1 day.
  Developer: {
    organizationType: 'Developer Edition',
    isSandbox: false,
    eventLogFiles: true,
    eventMonitoringAddOn: false,
    freeTypesOnly: false,
    retentionDays: 1,
    hourly: false,
    integrationLicence: true,
    integrationSeats: 5,
    salesforceSeats: 2,
    apiEnabled: true,
    instanceName: 'USA1',
    trialExpirationDate: null,
  },
  // Enterprise without the Event Monitoring add-on: only the free types, daily, short retention.
  // UNVERIFIED: retention of free event log files modelled as 1 day.
  Enterprise: {
    organizationType: 'Enterprise Edition',
    isSandbox: false,
    eventLogFiles: true,
    eventMonitoringAddOn: false,
    freeTypesOnly: true,
    retentionDays: 1,
    hourly: false,
    integrationLicence: true,
    integrationSeats: 5,
    salesforceSeats: 100,
    apiEnabled: true,
    instanceName: 'USA2S',
    trialExpirationDate: null,
  },
  EnterpriseEventMonitoring: {
    organizationType: 'Enterprise Edition',
    isSandbox: false,
    eventLogFiles: true,
    eventMonitoringAddOn: true,
    freeTypesOnly: false,
    retentionDays: 30,
    hourly: true,
    integrationLicence: true,
    integrationSeats: 5,
    salesforceSeats: 100,
    apiEnabled: true,
    instanceName: 'USA3S',
    trialExpirationDate: null,
  },
  // The Anzenna guide lists Unlimited as "Included".
  Unlimited: {
    organizationType: 'Unlimited Edition',
    isSandbox: false,
    eventLogFiles: true,
    eventMonitoringAddOn: true,
    freeTypesOnly: false,
    retentionDays: 30,
    hourly: true,
    integrationLicence: true,
    integrationSeats: 5,
    salesforceSeats: 500,
    apiEnabled: true,
    instanceName: 'USA4S',
    trialExpirationDate: null,
  },
  // UNVERIFIED: Professional modelled with the API add-on (so the plugin can detect the edition),
  // without EventLogFile and without the Salesforce Integration licence.
  Professional: {
    organizationType: 'Professional Edition',
    isSandbox: false,
    eventLogFiles: false,
    eventMonitoringAddOn: false,
    freeTypesOnly: true,
    retentionDays: 0,
    hourly: false,
    integrationLicence: false,
    integrationSeats: 0,
    salesforceSeats: 10,
    apiEnabled: true,
    instanceName: 'USA5S',
    trialExpirationDate: null,
  },
  // An Enterprise sandbox with the add-on.
  Sandbox: {
    organizationType: 'Enterprise Edition',
    isSandbox: true,
    eventLogFiles: true,
    eventMonitoringAddOn: true,
    freeTypesOnly: false,
    retentionDays: 30,
    hourly: true,
    integrationLicence: true,
    integrationSeats: 5,
    salesforceSeats: 100,
    apiEnabled: true,
    instanceName: 'CS42',
    trialExpirationDate: null,
  },
};

export function isEditionName(value: string): value is EditionName {
  return (EDITION_NAMES as readonly string[]).includes(value);
}
