/**
 * The revocation plan: a pure function (what the org holds, the options) → ordered actions, the same data as
 * setup's plan (plan.ts): disable the app (no new logins), revoke its OAuth tokens (live sessions end), take
 * back our permission set assignments, and, only when asked, deactivate the user. No org, no clock.
 */
import { formatChange, type FieldChange } from './plan.js';

export type RevokeActionKind = 'disable-app' | 'revoke-tokens' | 'revoke-permission-set' | 'delete-app' | 'deactivate-user';

export type RevokeAction = { kind: RevokeActionKind; target: string; changes: FieldChange[]; reason: string };

export type RevokeSnapshot = {
  appName: string;
  /** The app policy's switches as the org has them (undefined: no app policy found). */
  appPolicy?: { isEnabled?: string; isOauthPluginEnabled?: string };
  /** Tokens issued through the app (undefined: the usage resource could not tell). */
  tokenCount?: number;
  appExists: boolean;
  /** Whether the org lists the app in its OAuth usage at all. */
  appInUsage: boolean;
  username: string;
  userExists: boolean;
  userActive: boolean;
  /** Our permission sets assigned to the user. */
  ourPermissionSets: readonly string[];
};

export type RevokeOptions = { deactivateUser: boolean; deleteApp?: boolean };

const isOff = (value: string | undefined): boolean => value?.toLowerCase() === 'false';

/** The app policy's switches to turn off (none: no policy, or both already off). Shared with `cert rotate --finish`. */
export function disableChanges(policy: RevokeSnapshot['appPolicy']): FieldChange[] {
  if (!policy) return [];
  const changes: FieldChange[] = [];
  if (!isOff(policy.isEnabled)) changes.push({ field: 'isEnabled', from: policy.isEnabled ?? 'true', to: 'false' });
  if (!isOff(policy.isOauthPluginEnabled)) changes.push({ field: 'isOauthPluginEnabled', from: policy.isOauthPluginEnabled ?? 'true', to: 'false' });
  return changes;
}

/** The token count to bring to 0, or undefined when there is nothing to revoke. Shared with `cert rotate --finish`. */
export function tokenChanges(appInUsage: boolean, tokenCount: number | undefined): FieldChange[] | undefined {
  if (!appInUsage || tokenCount === 0) return undefined;
  return [{ field: 'OAuth tokens', from: tokenCount === undefined ? 'unknown' : String(tokenCount), to: '0' }];
}

export function planRevoke(org: RevokeSnapshot, options: RevokeOptions): RevokeAction[] {
  const actions: RevokeAction[] = [];
  const disable = disableChanges(org.appPolicy);
  if (disable.length > 0) actions.push({ kind: 'disable-app', target: org.appName, changes: disable, reason: 'no new logins through the app' });
  const tokens = tokenChanges(org.appInUsage, org.tokenCount);
  if (tokens) actions.push({ kind: 'revoke-tokens', target: org.appName, changes: tokens, reason: 'live sessions end at once' });
  for (const ps of org.ourPermissionSets) {
    actions.push({ kind: 'revoke-permission-set', target: ps, changes: [{ field: 'assigned', from: 'yes', to: 'no' }], reason: `assigned to ${org.username}` });
  }
  if (options.deleteApp && org.appExists) {
    actions.push({ kind: 'delete-app', target: org.appName, changes: [{ field: 'External Client App and its settings and policies', from: 'present', to: 'deleted' }], reason: '--delete-app: a later setup makes a new consumer key' });
  }
  if (options.deactivateUser && org.userExists && org.userActive) {
    actions.push({ kind: 'deactivate-user', target: org.username, changes: [{ field: 'IsActive', from: 'true', to: 'false' }], reason: '--deactivate-user' });
  }
  return actions;
}

const VERBS: Record<RevokeActionKind, string> = {
  'disable-app': 'disable the app',
  'revoke-tokens': 'revoke every OAuth token of',
  'revoke-permission-set': 'remove permission set',
  'delete-app': 'delete the app',
  'deactivate-user': 'deactivate user',
};

/** One line per action, then one indented line per field change (as setup's plan). */
export function formatRevokePlan(plan: readonly RevokeAction[]): string[] {
  if (plan.length === 0) return ['No changes: the integration is already revoked.'];
  return plan.flatMap((a) => [`- ${VERBS[a.kind]} ${a.target} (${a.reason})`, ...a.changes.map((c) => `    ${formatChange(c)}`)]);
}
