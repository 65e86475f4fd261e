/**
 * Apply: carries out a plan in order with today's safety. The key pair first (only now that preflight
 * passed), then each deploy rolled back on any error (profile and permission sets before the app, whose
 * policy names them), the settings best effort beside the user steps, then the user. A dry run validates
 * the deploys (check-only) and writes nothing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Connection } from '@salesforce/core';
import { Messages, SfError } from '@salesforce/core';
import { getText, parseMetadataXml, removeElements, serializeMetadataXml, writeBundle, type RenderBundleResult, type StageName } from '../metadata/index.js';
import { applyIntegrationUser } from '../org/integration-user.js';
import { deployDirectory, type ComponentFailure, type DeployOutcome } from '../org/metadata-transfer.js';
import { isProfileOnlyFallback } from '../plan/drift.js';
import { formatActionChange, STAGE_TITLES, type Action, type DesiredState } from '../plan/plan.js';
import type { CheckLog } from './check-log.js';
import type { SetupOptions, SetupUi } from './options.js';
import type { Preflight } from './preflight.js';
import type { SetupChange } from './result.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.setup');

export type Applied = {
  changes: SetupChange[];
  /** The best-effort settings deploys, running beside what follows; settled before the run ends. */
  settings: Promise<void>;
  deployedApp: boolean;
};

type Context = { conn: Connection; options: SetupOptions; ui: SetupUi; log: CheckLog; changes: SetupChange[] };

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** "The External Client App already matches the source." (one app; the profile and permission sets: plural). */
export const alreadyMatches = (stage: 'stage1' | 'stage2'): string =>
  stage === 'stage1' ? messages.getMessage('check.deploy.alreadyMatches.stage1', [STAGE_TITLES[stage]]) : messages.getMessage('check.deploy.alreadyMatches.stage2', [STAGE_TITLES[stage]]);

/** The old `changes` entries (result.changes), derived from the actions. */
const CHANGE_NAMES: Record<Action['kind'], string> = {
  'write-key-pair': 'write key pair',
  deploy: 'deploy',
  'switch-setting-on': 'deploy',
  'create-user': 'create user',
  'set-profile': 'set profile',
  'assign-licence': 'assign permission set licence',
  'assign-permission-set': 'assign permission set',
  'revoke-permission-set': 'remove permission set',
};

export function changeOf(action: Action): SetupChange {
  const name = CHANGE_NAMES[action.kind];
  const detail = action.kind === 'switch-setting-on' ? `${action.target} on` : `${action.target}: ${action.changes.map((c) => formatActionChange(action, c)).join('; ')}`;
  return { action: name, detail };
}

async function deployStages(ctx: Context, plan: readonly Action[], staged: RenderBundleResult): Promise<Map<string, string>> {
  const { options, ui, log } = ctx;
  const deploys = plan.filter((a) => a.kind === 'deploy');
  const stages = new Set(deploys.map((a) => a.stage));
  // A check-only deploy of the app cannot pass while the profile and permission set it names are not in the org.
  const skipApp = options.dryRun && stages.has('stage1') && stages.has('stage2');
  if (skipApp) log.skip('deploy.stage2', messages.getMessage('skip.appValidation'));
  for (const stage of ['stage1', 'stage2'] as const) if (!stages.has(stage)) log.pass(`deploy.${stage}`, alreadyMatches(stage));
  const knownIds = new Map<string, string>();
  for (const action of deploys.filter((a) => !(skipApp && a.stage === 'stage2'))) {
    const stage = action.stage as StageName;
    ui.step(messages.getMessage(options.dryRun ? 'step.validating' : 'step.deploying', [action.target]));
    const outcome = await deployStage(ctx, stage, staged, `the ${action.target}`);
    ui.done(outcome.status);
    for (const [key, id] of outcome.ids) knownIds.set(key.slice(key.indexOf(':') + 1), id);
    log.pass(`deploy.${stage}`, messages.getMessage(options.dryRun ? 'check.deploy.validated' : 'check.deploy.deployed', [action.target, outcome.id]));
    if (!options.dryRun) ctx.changes.push(changeOf(action));
  }
  return knownIds;
}

/**
 * The org refused the OAuth policy because it pre-authorizes a permission set carrying the Salesforce API
 * Integration licence (KB 001453686: such a set cannot hold assigned apps; UNVERIFIED for ECAs, and the
 * exact text is not known, so the licence name in the problem is what is matched).
 */
function licensedPermissionSetRefusal(error: unknown, policyName: string): ComponentFailure | undefined {
  const failures = error instanceof SfError ? (error.data as { failures?: ComponentFailure[] } | undefined)?.failures ?? [] : [];
  return failures.find((f) => f.type === 'ExtlClntAppOauthConfigurablePolicies' && f.fullName === policyName && /API Integration licen[cs]e/i.test(f.problem));
}

/** The staged OAuth policy with the permission sets left out: the profile alone pre-authorizes the user. */
async function stageProfileOnlyPolicy(staged: RenderBundleResult): Promise<string> {
  const file = staged.components.find((c) => c.key === 'oauthPolicy')?.file ?? '';
  const doc = parseMetadataXml(await readFile(file, 'utf8'), file);
  const sets = getText(doc, 'commaSeparatedPermissionSet') ?? '';
  removeElements(doc, 'commaSeparatedPermissionSet');
  await writeFile(file, serializeMetadataXml(doc));
  return sets;
}

/** One stage's deploy; the app's stage falls back to a profile-only policy when the org refuses the licensed permission set. */
async function deployStage(ctx: Context, stage: StageName, staged: RenderBundleResult, what: string): Promise<DeployOutcome> {
  const { options, ui } = ctx;
  const deploy = (): Promise<DeployOutcome> => deployDirectory(ctx.conn, [staged.dirs[stage]], what, { checkOnly: options.dryRun, onProgress: (m) => ui.status(m) });
  try {
    return await deploy();
  } catch (error) {
    const refusal = stage === 'stage2' ? licensedPermissionSetRefusal(error, staged.names.oauthPolicy) : undefined;
    if (!refusal) throw error;
    const sets = await stageProfileOnlyPolicy(staged);
    ui.status(messages.getMessage('status.policyProfileOnly', [sets]));
    const outcome = await deploy();
    ctx.log.warn('policy.permissionSets', messages.getMessage('warning.policyProfileOnly', [staged.names.profile, sets, refusal.problem]));
    return outcome;
  }
}

/** A re-run in an org that holds the profile-only policy (an earlier fallback) says so again rather than deploy. */
export function noteProfileOnlyPolicy(log: CheckLog, desired: DesiredState, orgPolicyXml: string | undefined): void {
  const ours = desired.bundle.documents.find((d) => d.key === 'oauthPolicy');
  if (!ours || !orgPolicyXml) return;
  const wanted = parseMetadataXml(ours.xml, ours.path);
  const sets = getText(wanted, 'commaSeparatedPermissionSet') ?? '';
  if (sets === '' || !isProfileOnlyFallback(wanted, parseMetadataXml(orgPolicyXml, `${ours.path} (org)`))) return;
  log.warn('policy.permissionSets', messages.getMessage('warning.policyProfileOnly', [desired.bundle.names.profile, sets, messages.getMessage('value.orgPolicyWithoutPermissionSets')]));
}

/** Each setting its own deploy (rolled back alone: production refuses deploys without rollback); a refusal is a warning. */
function deploySettings(ctx: Context, plan: readonly Action[], staged?: RenderBundleResult): Promise<void> {
  const { options, log } = ctx;
  const settings = plan.filter((a) => a.kind === 'switch-setting-on');
  if (!settings.some((a) => a.stage === 'event-log-generation')) log.pass('deploy.event-log-generation', messages.getMessage('check.eventLogGeneration.alreadyOn'));
  if (options.realTimeEvents && !settings.some((a) => a.stage === 'real-time-events')) log.pass('deploy.real-time-events', messages.getMessage('check.realTimeEvents.alreadyOn'));
  const run = (action: Action): Promise<void> =>
    deployDirectory(ctx.conn, [staged?.dirs[action.stage as StageName] ?? ''].filter(Boolean), `the ${action.target} setting`, { checkOnly: options.dryRun }).then(
      () => {
        log.pass(`deploy.${action.stage}`, messages.getMessage(options.dryRun ? 'check.setting.canSwitchOn' : 'check.setting.on', [capitalise(action.target)]));
        if (!options.dryRun) ctx.changes.push(changeOf(action));
      },
      (error: SfError) => {
        const failure = (error.data as { failures?: Array<{ problem: string }> } | undefined)?.failures?.[0]?.problem ?? error.message;
        log.warn(`deploy.${action.stage}`, messages.getMessage('warning.settingNotSwitchedOn', [capitalise(action.target), failure]));
      }
    );
  return Promise.all(settings.map(run)).then(() => undefined);
}

async function applyUser(ctx: Context, plan: readonly Action[], desired: DesiredState, pre: Preflight, knownIds: Map<string, string>): Promise<void> {
  const userActions = plan.filter((a) => ['create-user', 'set-profile', 'assign-licence', 'assign-permission-set', 'revoke-permission-set'].includes(a.kind));
  if (ctx.options.dryRun) {
    // Nothing is done on a dry run: the plan (result.plan) says what would be; the user is not marked as set up.
    if (userActions.length > 0) {
      ctx.log.skip('integrationUser', messages.getMessage('skip.userDryRun', [desired.user.username, userActions.length]));
      return;
    }
  } else if (userActions.length > 0) {
    ctx.ui.step(messages.getMessage('step.integrationUser'));
    await applyIntegrationUser(ctx.conn, pre.user, { ...desired.user, permissionSets: [...desired.user.permissionSets], revokePermissionSets: [...desired.user.revokePermissionSets], pslId: pre.licences.apiIntegrationPsl?.id ?? '' }, pre.admin, knownIds);
    ctx.changes.push(...userActions.map((a) => changeOf(a)));
    ctx.ui.done();
  }
  ctx.log.pass('integrationUser', messages.getMessage('check.integrationUser', [desired.user.username, desired.user.profileName, desired.user.permissionSets.join(', ')]));
}

/** Carries out `plan`. `stagingDir`: an empty directory outside any SFDX project, where the deploys are staged. */
export async function applyPlan(
  base: Context,
  plan: readonly Action[],
  desired: DesiredState,
  pre: Preflight,
  stagingDir: () => Promise<string>
): Promise<Applied> {
  const ctx = base;
  if (pre.keys.write && !base.options.dryRun) {
    await pre.keys.write();
    const action = plan.find((a) => a.kind === 'write-key-pair');
    if (action) ctx.changes.push(changeOf(action));
  }
  const needsStaging = plan.some((a) => a.kind === 'deploy' || a.kind === 'switch-setting-on');
  const staged = needsStaging ? await writeBundle(desired.bundle, await stagingDir()) : undefined;
  const knownIds = staged ? await deployStages(ctx, plan, staged) : new Map<string, string>();
  if (!staged) for (const stage of ['stage1', 'stage2'] as const) base.log.pass(`deploy.${stage}`, alreadyMatches(stage));
  if (!plan.some((a) => a.kind === 'deploy' && a.stage === 'stage2')) noteProfileOnlyPolicy(base.log, desired, pre.ours.get('oauthPolicy'));
  const settings = deploySettings(ctx, staged ? plan : [], staged);
  await applyUser(ctx, plan, desired, pre, knownIds);
  return { changes: ctx.changes, settings, deployedApp: plan.some((a) => a.kind === 'deploy' && a.stage === 'stage2') && !base.options.dryRun };
}
