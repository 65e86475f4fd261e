/** What `cert rotate` hands back: never key material, only paths and fingerprints. */
import type { KeyMode } from '../cert/key-material.js';
import type { RotationAction } from '../plan/rotation.js';
import type { OrgView } from './org-view.js';

export type RotateHandoff = {
  /** The consumer key the vendor uses (unchanged in a cut-over; the new app's with --parallel-app). */
  consumerKey: string;
  salesforceUrl: string;
  username: string;
  /** What the admin does next, in one sentence (e.g. how to watch for the vendor's first login). */
  next: string;
};

export type RotateResult = {
  mode: 'cut-over' | 'parallel-app' | 'finish';
  appName: string;
  /** With --parallel-app: the new app; with --finish: the app kept. */
  newAppName?: string;
  /** With --finish: the app retired, and how. */
  retiredAppName?: string;
  retired?: 'disabled' | 'deleted';
  keyMode?: KeyMode;
  consumerKey: string;
  certificateSha256?: string;
  previousCertificateSha256?: string;
  certificateExpiresAt?: string;
  certificatePath?: string;
  privateKeyPath?: string;
  backupDir?: string;
  /** The JWT login with the new key: passed here, the vendor's to make (no key here), or not tried (dry run). */
  proof: 'passed' | 'vendor' | 'skipped';
  rolledBack: boolean;
  /** With --finish: tokens the org still lists for the old app after revoking them (undefined: not revoked, or unknown). */
  tokensLeft?: number;
  dryRun: boolean;
  plan: RotationAction[];
  handoff: RotateHandoff;
};

export function handoffOf(view: OrgView, consumerKey: string, next: string): RotateHandoff {
  return { consumerKey, salesforceUrl: view.facts.myDomainUrl, username: view.username, next };
}
