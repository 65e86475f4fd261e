/**
 * The certificate rotation as a plan: pure data, like plan.ts (kind, target, field changes, reason), so
 * `cert rotate --dry-run`, the production confirmation and `result.plan` show exactly what is carried out.
 * Its own action kinds, beside setup's: a rotation never creates users or deploys the whole bundle.
 */
import { formatChange, type FieldChange } from './plan.js';
import { disableChanges, tokenChanges, type RevokeSnapshot } from './revoke.js';

export type RotationActionKind =
  | 'back-up-key-pair'
  | 'write-key-pair'
  | 'deploy-certificate'
  | 'prove-login'
  | 'deploy-parallel-app'
  | 'disable-app'
  | 'revoke-tokens'
  | 'delete-app';

export type RotationAction = { kind: RotationActionKind; target: string; changes: FieldChange[]; reason: string };

export type CutOverFacts = {
  appName: string;
  /** SHA-256 fingerprints (hex with colons) of the certificate the app trusts now and of the new one. */
  fromSha256?: string;
  toSha256: string;
  /** Where the current pair is backed up (none: nothing local to back up, the org's certificate is saved there). */
  backupDir: string;
  /** An interrupted cut-over already backed the pair up into backupDir: reused, not copied again. */
  resumed?: boolean;
  /** A generated pair to write, with where. */
  newPair?: { privateKeyPath: string; certificatePath: string };
  /** We hold the new key: the JWT login is proved here (else the vendor's first login is). */
  proveAs?: string;
};

/** Cut-over: back up, (write the new pair), deploy the certificate (same consumer key), prove. */
export function cutOverPlan(facts: CutOverFacts): RotationAction[] {
  const actions: RotationAction[] = [
    facts.resumed
      ? {
          kind: 'back-up-key-pair',
          target: facts.backupDir,
          changes: [{ field: 'folder', from: 'written by an interrupted rotation', to: `${facts.backupDir} (kept: it holds the pair the org trusts)` }],
          reason: 'the pair that run wrote was never confirmed in the org: it is set aside in unconfirmed/ inside that folder, and replaced',
        }
      : { kind: 'back-up-key-pair', target: facts.backupDir, changes: [{ field: 'folder', from: 'none', to: `${facts.backupDir} (keys 0600)` }], reason: 'keep the current pair' },
  ];
  if (facts.newPair) {
    const p = facts.newPair;
    actions.push({ kind: 'write-key-pair', target: p.privateKeyPath, changes: [{ field: 'files', from: 'the current pair', to: `${p.privateKeyPath} (0600), ${p.certificatePath}` }], reason: 'a generated pair' });
  }
  actions.push({
    kind: 'deploy-certificate',
    target: `${facts.appName} global OAuth settings`,
    changes: [{ field: 'certificate (SHA-256)', from: facts.fromSha256 ?? '(unreadable)', to: facts.toSha256 }],
    reason: 'the consumer key stays the same',
  });
  if (facts.proveAs) actions.push({ kind: 'prove-login', target: facts.proveAs, changes: [], reason: 'JWT bearer login with the new key; on failure the previous certificate is deployed back' });
  return actions;
}

/** Zero downtime: a second app beside the first, with its own consumer key and the same profile and permission set. */
export function parallelAppPlan(facts: { appName: string; newAppName: string; toSha256: string; preAuthorized: readonly string[]; newPair?: { privateKeyPath: string; certificatePath: string }; proveAs?: string }): RotationAction[] {
  const actions: RotationAction[] = [];
  if (facts.newPair) {
    const p = facts.newPair;
    actions.push({ kind: 'write-key-pair', target: p.privateKeyPath, changes: [{ field: 'files', from: 'none', to: `${p.privateKeyPath} (0600), ${p.certificatePath}` }], reason: 'a generated pair for the new app' });
  }
  actions.push({
    kind: 'deploy-parallel-app',
    target: facts.newAppName,
    changes: [
      { field: 'certificate (SHA-256)', from: '(missing)', to: facts.toSha256 },
      { field: 'pre-authorized', from: '(missing)', to: facts.preAuthorized.join(', ') },
    ],
    reason: `${facts.appName} stays until the vendor logs in through ${facts.newAppName}`,
  });
  if (facts.proveAs) actions.push({ kind: 'prove-login', target: facts.proveAs, changes: [], reason: `JWT bearer login through ${facts.newAppName}` });
  return actions;
}

export type FinishFacts = {
  oldAppName: string;
  newAppName: string;
  deleteApp: boolean;
  /** The old app's policy switches as the org has them. */
  appPolicy: RevokeSnapshot['appPolicy'];
  /** Whether the org lists the old app's OAuth usage, and its token count (undefined: unknown). */
  appInUsage: boolean;
  tokenCount?: number;
};

/**
 * --finish: retire the old app. Switched off (no new logins) and its tokens revoked (live sessions end), and
 * with --delete-app then deleted. The same field changes, in the same order, as `revoke` plans.
 */
export function finishPlan(facts: FinishFacts): RotationAction[] {
  const reason = `the vendor uses ${facts.newAppName}`;
  const actions: RotationAction[] = [];
  // Switched off first even when it is deleted after: no new logins while its tokens go or its deletion runs.
  const disable = disableChanges(facts.appPolicy);
  if (disable.length > 0) actions.push({ kind: 'disable-app', target: facts.oldAppName, changes: disable, reason });
  const tokens = tokenChanges(facts.appInUsage, facts.tokenCount);
  if (tokens) actions.push({ kind: 'revoke-tokens', target: facts.oldAppName, changes: tokens, reason: 'its live sessions end at once' });
  if (facts.deleteApp) {
    actions.push({ kind: 'delete-app', target: facts.oldAppName, changes: [{ field: 'External Client App and its settings and policies', from: 'present', to: 'deleted' }], reason });
  }
  return actions;
}

const VERBS: Record<RotationActionKind, string> = {
  'back-up-key-pair': 'back up the current pair into',
  'write-key-pair': 'write a new key pair',
  'deploy-certificate': 'deploy the new certificate to the',
  'prove-login': 'prove a JWT login as',
  'deploy-parallel-app': 'deploy a second External Client App',
  'disable-app': 'disable the External Client App',
  'revoke-tokens': 'revoke every OAuth token of',
  'delete-app': 'delete the External Client App',
};

/** One line per action, then one indented line per field change (as formatPlan does for setup). */
export function formatRotationPlan(plan: readonly RotationAction[]): string[] {
  return plan.flatMap((a) => [`${a.kind === 'prove-login' ? '?' : a.kind === 'delete-app' ? '-' : '~'} ${VERBS[a.kind]} ${a.target} (${a.reason})`, ...a.changes.map((c) => `    ${formatChange(c)}`)]);
}
