/**
 * `sf anzenna revoke`: read what the org holds of the integration, plan (plan/revoke.ts), confirm in
 * production, apply in order (the app disabled through a deploy of its app policy, its OAuth tokens revoked,
 * our permission set assignments removed, the user deactivated only when asked). The user stays for the
 * audit trail; the app keeps its consumer key, so a later setup restores the integration as it was.
 */
import type { Org } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { getText, parseMetadataXml } from '../metadata/index.js';
import { deleteApp, disableApp } from '../org/app-retire.js';
import { readOrganization } from '../org/facts.js';
import { deactivateUser, readIntegrationUser, removePermissionSetAssignments, type IntegrationUserState } from '../org/integration-user.js';
import { countAppTokens, revokeAndCount } from '../org/oauth-usage.js';
import { consumerKeyOf, readOurComponents, type OurComponents } from '../org/state.js';
import { defaultIntegrationUsername } from '../project/inputs.js';
import { applyInOrder, type Applied } from '../plan/apply-in-order.js';
import { planRevoke, type RevokeAction, type RevokeSnapshot } from '../plan/revoke.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.revoke');

export type RevokeOptions = {
  appName: string;
  integrationUser?: string;
  deactivateUser: boolean;
  deleteApp: boolean;
  dryRun: boolean;
};

export type RevokeUi = {
  step(title: string): void;
  done(summary?: string): void;
  warn(message: string): void;
  /** Asked before a production org is changed; false stops the run. */
  confirm(plan: readonly RevokeAction[]): Promise<boolean>;
};

export type RevokeResult = {
  appName: string;
  username: string;
  dryRun: boolean;
  isSandbox: boolean;
  plan: RevokeAction[];
  /** The actions carried out (none on a dry run). */
  done: RevokeAction[];
  /** The app's consumer key, kept: a later `sf anzenna setup` restores the integration with it. */
  consumerKey?: string;
  userActive: boolean;
  /** Tokens the org still lists for the app after revoking them (undefined: not revoked, or it cannot tell). */
  tokensLeft?: number;
};

type Read = { ours: OurComponents; user: IntegrationUserState; snapshot: RevokeSnapshot; isSandbox: boolean };

async function readRevokeState(org: Org, options: RevokeOptions): Promise<Read> {
  const conn = org.getConnection();
  const username = options.integrationUser ?? defaultIntegrationUsername(options.appName, org.getUsername() ?? '');
  const [facts, ours, user, tokens] = await Promise.all([
    readOrganization(conn),
    readOurComponents(conn, options.appName),
    readIntegrationUser(conn, username),
    countAppTokens(conn, options.appName),
  ]);
  const policyXml = ours.get('appPolicy');
  const policy = policyXml ? parseMetadataXml(policyXml, 'app policy (org)') : undefined;
  const names = ours.names;
  const mine = [names.permissionSet, names.viewAllDataPermissionSet, names.setupAuditPermissionSet];
  const snapshot: RevokeSnapshot = {
    appName: options.appName,
    appPolicy: policy && { isEnabled: getText(policy, 'isEnabled'), isOauthPluginEnabled: getText(policy, 'isOauthPluginEnabled') },
    tokenCount: ours.appExists ? tokens.count : 0,
    appExists: ours.appExists,
    appInUsage: ours.appExists && tokens.appInUsage,
    username,
    userExists: Boolean(user.id),
    userActive: user.isActive !== false && Boolean(user.id),
    ourPermissionSets: user.permissionSets.filter((p) => mine.includes(p)),
  };
  return { ours, user, snapshot, isSandbox: facts.isSandbox };
}

/** Carries out one action; for the token revocation, returns how many tokens the org still lists afterwards. */
async function apply(org: Org, read: Read, action: RevokeAction): Promise<number | undefined> {
  const conn = org.getConnection();
  if (action.kind === 'disable-app') await disableApp(conn, read.ours);
  else if (action.kind === 'delete-app') await deleteApp(conn, read.ours);
  else if (action.kind === 'revoke-tokens') return revokeAndCount(conn, read.snapshot.appName);
  else if (action.kind === 'revoke-permission-set') await removePermissionSetAssignments(conn, read.user, [action.target]);
  else if (read.user.id) await deactivateUser(conn, read.user.id);
  return undefined;
}

/** Carries out the plan in order; warns when the org still lists tokens a deactivation does not end. */
async function applyPlan(org: Org, read: Read, plan: readonly RevokeAction[], ui: RevokeUi, journal: string[]): Promise<Applied<RevokeAction>> {
  const applied = await applyInOrder(plan, { run: (action) => apply(org, read, action), title: (action) => messages.getMessage(`step.${action.kind}`, [action.target]), ui, journal });
  // A deactivated user's sessions end with it: only warn when tokens stay usable.
  if (applied.tokensLeft && !applied.done.some((a) => a.kind === 'deactivate-user')) ui.warn(messages.getMessage('warning.tokensLeft', [String(applied.tokensLeft), read.snapshot.appName]));
  return applied;
}

/** Revokes the integration. `journal` receives each action as it is done (what an interruption reports). */
export async function runRevoke(org: Org, options: RevokeOptions, ui: RevokeUi, journal: string[] = []): Promise<RevokeResult> {
  ui.step(messages.getMessage('info.reading'));
  const read = await readRevokeState(org, options);
  ui.done();
  if (!read.ours.appExists && !read.snapshot.userExists) throw messages.createError('error.NothingToRevoke', [options.appName, read.snapshot.username]);
  const plan = planRevoke(read.snapshot, options);
  let applied: Applied<RevokeAction> = { done: [] };
  if (!options.dryRun && plan.length > 0) {
    if (!read.isSandbox && !(await ui.confirm(plan))) throw messages.createError('error.RevokeNotConfirmed');
    applied = await applyPlan(org, read, plan, ui, journal);
  }
  const { done, tokensLeft } = applied;
  const deactivated = done.some((a) => a.kind === 'deactivate-user');
  return {
    appName: options.appName,
    username: read.snapshot.username,
    dryRun: options.dryRun,
    isSandbox: read.isSandbox,
    plan,
    done,
    consumerKey: consumerKeyOf(read.ours.get('globalSettings')),
    userActive: read.snapshot.userActive && !deactivated,
    tokensLeft,
  };
}
