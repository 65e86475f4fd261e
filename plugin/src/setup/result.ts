/**
 * What setup hands over: the fields the vendors ask for, ready-to-paste blocks for Anzenna and for an
 * Elastic-based collector (AQUILA/CyTech), and the checks that ran. Never key material: only the path.
 */
import type { CheckOutcome, CheckStatus } from '../checks/model.js';
import type { Action } from '../plan/plan.js';

export type { CheckOutcome, CheckStatus } from '../checks/model.js';

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
  vendor: {
    anzenna: { consumerKey: string | null; salesforceUrl: string; adminEmail: string };
    elastic: {
      audienceUrl: string;
      clientKeyPath: string | null;
      username: string;
      clientId: string | null;
      instanceUrl: string;
      tokenUrl: string;
    };
  };
};

export function vendorBlocks(input: {
  consumerKey: string;
  instanceUrl: string;
  adminEmail: string;
  username: string;
  tokenUrl: string;
  audience: string;
  privateKeyPath?: string;
}): SetupResult['vendor'] {
  return {
    anzenna: { consumerKey: input.consumerKey, salesforceUrl: input.instanceUrl, adminEmail: input.adminEmail },
    elastic: {
      audienceUrl: input.audience,
      clientKeyPath: input.privateKeyPath ?? '(the vendor holds the private key)',
      username: input.username,
      clientId: input.consumerKey,
      instanceUrl: input.instanceUrl,
      tokenUrl: input.tokenUrl,
    },
  };
}
