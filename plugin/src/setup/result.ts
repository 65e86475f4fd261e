/**
 * What setup hands over: the fields the vendors ask for, ready-to-paste blocks for Anzenna and for an
 * Elastic-based collector (AQUILA/CyTech), and the checks that ran. Never key material: only the path.
 */
import { Messages } from '@salesforce/core';
import type { CheckOutcome, CheckStatus } from '../checks/model.js';
import { myDomainPair } from '../auth/jwt-login.js';
import type { Action } from '../plan/plan.js';
import type { VendorChoice } from '../project/inputs.js';

export type { CheckOutcome, CheckStatus } from '../checks/model.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.setup');

export type SetupChange = { action: string; detail: string };

export type EventTypeLine = { eventType: string; files: number; newestLogDate?: string; intervals: string[] };

export type SetupResult = {
  appName: string;
  /** Null on a dry run where the app does not exist yet: the real run makes the key. */
  consumerKey: string | null;
  /** The org's My Domain URL. */
  instanceUrl: string;
  username: string;
  adminEmail: string;
  tokenUrl: string;
  audience: string;
  /** Null on a dry run that would generate the pair: nothing was written, and the real run makes another. */
  privateKeyPath?: string | null;
  certificatePath?: string | null;
  certificateExpiresAt: string | null;
  certificateSha256: string | null;
  keyMode: 'vendor' | 'own' | 'reused' | 'generated';
  orgId: string;
  edition: string;
  isSandbox: boolean;
  dryRun: boolean;
  /** On a dry run: which hand-off values are null because they are not real yet. */
  dryRunNote?: string;
  metadataSource: 'project' | 'bundled';
  /** False when the org already matched and nothing was written. */
  changed: boolean;
  changes: SetupChange[];
  /** The plan: what was (or, with --dry-run, would be) done, action by action; [] when nothing needed doing. */
  plan: Action[];
  checks: CheckOutcome[];
  eventLogs?: { types: EventTypeLine[]; sampleFile?: { id: string; eventType: string; logDate: string; bytes: number; headerMatches: boolean } };
  /** With --verify: the outcome of every `sf anzenna verify` check run at the end. */
  verification?: {
    ok: boolean;
    verdict: string;
    summary: { pass: number; warn: number; fail: number; skip: number };
    checks: Array<{ id: string; status: CheckStatus; message: string; actions?: string[] }>;
  };
  /** The hand-off, for the vendors chosen with --vendor: only their blocks are present. */
  vendor: VendorBlocks;
};

/** Values that are not real yet on a dry run (no app, no key pair written) are null. */
export type AnzennaBlock = { consumerKey: string | null; salesforceUrl: string; adminEmail: string };

/**
 * For Elastic's Salesforce input (elastic/beats x-pack/filebeat/input/salesforce, JWT through go-sfdc): its
 * JWT `url` is both the audience and the token host (`url + /services/oauth2/token`), so `audienceUrl` is
 * the My Domain URL and `tokenUrl` is derived from it; `apiVersion` is the input's required `version`.
 */
export type ElasticBlock = {
  audienceUrl: string;
  clientKeyPath: string | null;
  username: string;
  clientId: string | null;
  instanceUrl: string;
  tokenUrl: string;
  apiVersion: string;
  /** The same, ready to paste, in Elastic's own configuration keys (filebeat input and integration package). */
  configSnippet: string | null;
};

export type VendorBlocks = {
  /** The vendors whose blocks follow (--vendor both: both). */
  selected: Array<'anzenna' | 'elastic'>;
  anzenna?: AnzennaBlock;
  elastic?: ElasticBlock;
};

export type VendorInput = {
  vendor: VendorChoice;
  consumerKey: string;
  /** The org's My Domain URL. */
  myDomainUrl: string;
  adminEmail: string;
  username: string;
  apiVersion: string;
  privateKeyPath?: string;
};

export const VENDOR_KEY_HELD = messages.getMessage('value.vendorHoldsKey');

export const selectedVendors = (choice: VendorChoice): Array<'anzenna' | 'elastic'> => (choice === 'both' ? ['anzenna', 'elastic'] : [choice]);

/** Elastic's configuration keys (reference: elastic/beats filebeat-input-salesforce docs; elastic/integrations packages/salesforce manifest). */
export function elasticSnippet(block: Omit<ElasticBlock, 'configSnippet'>): string {
  const q = (v: string | null): string => JSON.stringify(v);
  const major = String(Number.parseInt(block.apiVersion, 10));
  return [
    '# filebeat.inputs (Elastic\'s Salesforce input, JWT bearer flow)',
    '- type: salesforce',
    '  enabled: true',
    `  url: ${q(block.instanceUrl)}`,
    `  version: ${major}`,
    '  auth.oauth2.jwt_bearer_flow:',
    '    enabled: true',
    `    url: ${q(block.audienceUrl)}`,
    `    client.id: ${q(block.clientId)}`,
    `    client.username: ${q(block.username)}`,
    `    client.key_path: ${q(block.clientKeyPath)}`,
    '',
    '# Elastic Agent, Salesforce integration settings (same values)',
    `# instance_url: ${block.instanceUrl}`,
    '# jwt_enabled: true',
    `# jwt_url: ${block.audienceUrl}`,
    `# client_id: ${block.clientId}`,
    `# username: ${block.username}`,
    `# client_key_path: ${block.clientKeyPath}`,
    `# api_version: ${block.apiVersion}`,
  ].join('\n');
}

export function vendorBlocks(input: VendorInput): VendorBlocks {
  const selected = selectedVendors(input.vendor);
  const pair = myDomainPair(input.myDomainUrl);
  const elastic = {
    audienceUrl: pair.audience,
    clientKeyPath: input.privateKeyPath ?? VENDOR_KEY_HELD,
    username: input.username,
    clientId: input.consumerKey,
    instanceUrl: input.myDomainUrl,
    tokenUrl: pair.tokenUrl,
    apiVersion: input.apiVersion,
  };
  return {
    selected,
    ...(selected.includes('anzenna') ? { anzenna: { consumerKey: input.consumerKey, salesforceUrl: input.myDomainUrl, adminEmail: input.adminEmail } } : {}),
    ...(selected.includes('elastic') ? { elastic: { ...elastic, configSnippet: elasticSnippet(elastic) } } : {}),
  };
}
