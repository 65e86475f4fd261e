/**
 * The certificate rotation as a plan: pure data, like plan.ts (kind, target, field changes, reason), so
 * `cert rotate --dry-run`, the production confirmation and `result.plan` show exactly what is carried out.
 * Its own action kinds, beside setup's: a rotation never creates users or deploys the whole bundle.
 */
import { formatChange, type FieldChange } from './plan.js';

export type RotationActionKind =
  | 'back-up-key-pair'
  | 'write-key-pair'
  | 'deploy-certificate'
  | 'prove-login'
  | 'deploy-parallel-app'
  | 'disable-app'
  | 'delete-app';

export type RotationAction = { kind: RotationActionKind; target: string; changes: FieldChange[]; reason: string };

export type CutOverFacts = {
  appName: string;
  /** SHA-256 fingerprints (hex with colons) of the certificate the app trusts now and of the new one. */
  fromSha256?: string;
  toSha256: string;
  /** Where the current pair is backed up (none: nothing local to back up, the org's certificate is saved there). */
  backupDir: string;
  /** A generated pair to write, with where. */
  newPair?: { privateKeyPath: string; certificatePath: string };
  /** We hold the new key: the JWT login is proved here (else the vendor's first login is). */
  proveAs?: string;
};

/** Cut-over: back up, (write the new pair), deploy the certificate (same consumer key), prove. */
export function cutOverPlan(facts: CutOverFacts): RotationAction[] {
  const actions: RotationAction[] = [
    { kind: 'back-up-key-pair', target: facts.backupDir, changes: [{ field: 'folder', from: 'none', to: `${facts.backupDir} (keys 0600)` }], reason: 'keep the current pair' },
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

/** --finish: retire the old app (disabled, or deleted with --delete-app). */
export function finishPlan(oldAppName: string, newAppName: string, deleteApp: boolean): RotationAction[] {
  return deleteApp
    ? [{ kind: 'delete-app', target: oldAppName, changes: [{ field: 'External Client App', from: 'present', to: 'deleted' }], reason: `the vendor uses ${newAppName}` }]
    : [{ kind: 'disable-app', target: oldAppName, changes: [{ field: 'ExtlClntAppConfigurablePolicies isEnabled', from: 'true', to: 'false' }], reason: `the vendor uses ${newAppName}` }];
}

const VERBS: Record<RotationActionKind, string> = {
  'back-up-key-pair': 'back up the current pair into',
  'write-key-pair': 'write a new key pair',
  'deploy-certificate': 'deploy the new certificate to the',
  'prove-login': 'prove a JWT login as',
  'deploy-parallel-app': 'deploy a second External Client App',
  'disable-app': 'disable the External Client App',
  'delete-app': 'delete the External Client App',
};

/** One line per action, then one indented line per field change (as formatPlan does for setup). */
export function formatRotationPlan(plan: readonly RotationAction[]): string[] {
  return plan.flatMap((a) => [`${a.kind === 'prove-login' ? '?' : a.kind === 'delete-app' ? '-' : '~'} ${VERBS[a.kind]} ${a.target} (${a.reason})`, ...a.changes.map((c) => `    ${formatChange(c)}`)]);
}
