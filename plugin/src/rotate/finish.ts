/**
 * `cert rotate --finish`: after a --parallel-app rotation, retire the old app once the vendor logs in through
 * the new one. The old app is switched off and its OAuth tokens revoked (the vendor's live sessions through
 * it end at once), or, with --delete-app, its tokens revoked and the app deleted (a destructive deploy).
 * Both through the same shared pieces as `sf anzenna revoke` (org/app-retire.ts, org/oauth-usage.ts).
 */
import { rm } from 'node:fs/promises';
import { Messages } from '@salesforce/core';
import { getText, parseMetadataXml } from '../metadata/index.js';
import { lastSuccessfulLogin } from '../org/app-logins.js';
import { deleteApp, disableApp } from '../org/app-retire.js';
import { countAppTokens, revokeAndCount } from '../org/oauth-usage.js';
import { readOurComponents, type OurComponents } from '../org/state.js';
import { applyInOrder } from '../plan/apply-in-order.js';
import { finishPlan, type RotationAction } from '../plan/rotation.js';
import type { Context } from './certificate.js';
import { readOrgView, type OrgView } from './org-view.js';
import { readRotationState, stateFilePath, type RotationState } from './rotation-state.js';
import { handoffOf, type RotateResult } from './result.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.rotate');

export type PlannedFinish = { view: OrgView; plan: RotationAction[]; state: RotationState; old: OurComponents; result: RotateResult };

/**
 * Refuses to retire the old app before the vendor has logged in through the new one (unless --force). The
 * proof this machine ran after --parallel-app is a login too: only a later one counts (LoginHistory's times).
 */
async function checkNewAppUsed(ctx: Context, view: OrgView, state: RotationState): Promise<void> {
  if (ctx.options.force) return;
  const { successes } = await lastSuccessfulLogin(ctx.conn, view.username, state.newAppName);
  const vendor = state.ownLoginAt
    ? successes.length > 0 && Date.parse(successes[0]) > Date.parse(state.ownLoginAt)
    : successes.length > (state.proofRun ? 1 : 0);
  if (!vendor) throw messages.createError('error.NewAppNotUsed', [state.newAppName, view.username], [ctx.options.orgName, state.newAppName]);
}

export async function planFinish(ctx: Context, adminUsername: string): Promise<PlannedFinish> {
  const { options } = ctx;
  const state = await readRotationState(options);
  const [view, old, tokens] = await Promise.all([
    readOrgView(ctx.conn, adminUsername, options, state.newAppName),
    readOurComponents(ctx.conn, options.appName),
    countAppTokens(ctx.conn, options.appName),
  ]);
  const policyXml = old.get('appPolicy');
  // Without its policy the old app cannot be switched off: never report it retired while it still takes logins.
  if (old.appExists && !policyXml && !options.deleteApp) throw messages.createError('error.OldAppPolicyUnreadable', [options.appName], [options.appName]);
  const policy = policyXml ? parseMetadataXml(policyXml, 'the app policy (org)') : undefined;
  // An old app already gone (deleted by hand, or by an interrupted --finish --delete-app) is retired: nothing to do.
  if (old.appExists) await checkNewAppUsed(ctx, view, state);
  const plan = old.appExists
    ? finishPlan({
        oldAppName: options.appName,
        newAppName: state.newAppName,
        deleteApp: options.deleteApp,
        appPolicy: policy && { isEnabled: getText(policy, 'isEnabled'), isOauthPluginEnabled: getText(policy, 'isOauthPluginEnabled') },
        appInUsage: tokens.appInUsage,
        tokenCount: tokens.count,
      })
    : [];
  const retired = options.deleteApp || !old.appExists ? 'deleted' : 'disabled';
  const result: RotateResult = {
    mode: 'finish',
    appName: options.appName,
    newAppName: state.newAppName,
    retiredAppName: options.appName,
    retired,
    consumerKey: view.consumerKey,
    certificateSha256: view.currentSha256,
    proof: 'skipped',
    rolledBack: false,
    dryRun: options.dryRun,
    plan,
    handoff: handoffOf(view, view.consumerKey, messages.getMessage(`info.next.finished.${retired}`, [state.newAppName, options.appName])),
  };
  return { view, plan, state, old, result };
}

/** Carries out one action; for the token revocation, returns how many tokens the org still lists afterwards. */
async function applyAction(ctx: Context, old: OurComponents, action: RotationAction): Promise<number | undefined> {
  const progress = (m: string): void => ctx.ui.status(m);
  if (action.kind === 'disable-app') await disableApp(ctx.conn, old, progress);
  else if (action.kind === 'revoke-tokens') return revokeAndCount(ctx.conn, action.target);
  else if (action.kind === 'delete-app') await deleteApp(ctx.conn, old, progress);
  return undefined;
}

const STEP: Partial<Record<RotationAction['kind'], string>> = { 'disable-app': 'step.disable', 'revoke-tokens': 'step.revokeTokens', 'delete-app': 'step.deleteApp' };

/** In order: no new logins, then the live sessions end, then (asked for) the app goes. The state file goes last. */
export async function applyFinish(ctx: Context, planned: PlannedFinish, journal: string[]): Promise<RotateResult> {
  const { tokensLeft } = await applyInOrder(planned.plan, {
    run: (action) => applyAction(ctx, planned.old, action),
    title: (action) => messages.getMessage(STEP[action.kind] ?? 'step.disable', [action.target]),
    ui: ctx.ui,
    journal,
  });
  // The integration user serves the new app too, so deactivating it is no remedy here: the session timeout is.
  if (tokensLeft) ctx.ui.warn(messages.getMessage('warning.tokensLeft', [String(tokensLeft), ctx.options.appName]));
  await rm(stateFilePath(ctx.options), { force: true });
  return { ...planned.result, tokensLeft };
}
