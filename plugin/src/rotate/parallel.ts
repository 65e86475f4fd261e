/**
 * Zero-downtime rotation. An External Client App holds one certificate, so the gap-free way is a second app,
 * `<App>_<yyyymmdd>`, rendered from the same templates (metadata/) with the new certificate and its own
 * consumer key, pre-authorizing the same profile and permission set(s) (only the app's components are
 * deployed: stage2). The old app stays until the vendor logs in through the new one; `--finish` then
 * retires the old app (finish.ts).
 *
 * How --finish knows the two apps: `--parallel-app` writes `<output-dir>/<app file base>.rotation.json`
 * (app names, new consumer key, certificate fingerprint; no secret), which --finish reads and removes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Messages } from '@salesforce/core';
import { writeWithMode } from '../cert/index.js';
import type { KeyMaterial } from '../cert/key-material.js';
import { DEFAULT_CONTACT_EMAIL, fileBaseForApp } from '../defaults.js';
import { checkAppName, getText, integrationBaseName, loadTemplates, parseMetadataXml, renderDocuments, writeBundle, type IpRelaxationPolicy, type RenderedBundle } from '../metadata/index.js';
import { deployDirectory } from '../org/metadata-transfer.js';
import { readComponentXml } from '../org/metadata-read.js';
import { consumerKeyOf, readOurComponents } from '../org/state.js';
import { createStaging } from '../local/staging.js';
import { parallelAppPlan, type RotationAction } from '../plan/rotation.js';
import { proveKey, type Context } from './certificate.js';
import { newKeyMaterial } from './cut-over.js';
import type { RotateOptions } from './options.js';
import type { OrgView } from './org-view.js';
import { handoffOf, type RotateResult } from './result.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.rotate');

export type RotationState = { appName: string; newAppName: string; consumerKey: string; certificateSha256: string; createdAt: string };

export const stateFilePath = (options: RotateOptions): string => join(options.outputDir, `${fileBaseForApp(options.appName)}.rotation.json`);

/** `<Base>_<yyyymmdd>` (UTC): a second rotation of `Anzenna_20261206` makes `Anzenna_<its date>`, not a longer name. */
export function parallelAppName(appName: string, now: Date): string {
  return `${integrationBaseName(appName)}_${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

type PlannedParallel = { plan: RotationAction[]; keys: KeyMaterial; bundle: RenderedBundle; newAppName: string; result: RotateResult };

async function renderParallelApp(options: RotateOptions, view: OrgView, newAppName: string, keys: KeyMaterial): Promise<RenderedBundle> {
  const policy = view.ours.get('oauthPolicy');
  const text = (xml: string | undefined, field: string): string | undefined => (xml ? getText(parseMetadataXml(xml, 'the app (org)'), field) : undefined);
  const permissionSets = (text(policy, 'commaSeparatedPermissionSet') ?? '').split(',').map((s) => s.trim());
  const names = view.ours.names;
  return renderDocuments(await loadTemplates(options.sourceDir), {
    appName: newAppName,
    contactEmail: text(view.ours.get('eca'), 'contactEmail') ?? DEFAULT_CONTACT_EMAIL,
    ipRelaxation: (text(policy, 'ipRelaxationPolicyType') ?? 'Bypass') as IpRelaxationPolicy,
    viewAllData: permissionSets.includes(names.viewAllDataPermissionSet),
    setupAudit: permissionSets.includes(names.setupAuditPermissionSet),
    profileName: names.profile,
    permissionSetName: names.permissionSet,
    oauth: { certificatePem: keys.certificatePem, callbackUrl: view.facts.myDomainUrl },
  });
}

export async function planParallelApp(ctx: Context, view: OrgView): Promise<PlannedParallel> {
  const { options } = ctx;
  const newAppName = parallelAppName(options.appName, (options.now ?? (() => new Date()))());
  const problem = checkAppName(newAppName);
  if (problem) throw messages.createError('error.ParallelAppNameInvalid', [newAppName, problem]);
  if ((await readOurComponents(ctx.conn, newAppName)).appExists) throw messages.createError('error.ParallelAppExists', [newAppName, options.appName]);
  const keys = await newKeyMaterial(options, newAppName);
  const bundle = await renderParallelApp(options, view, newAppName, keys);
  const plan = parallelAppPlan({
    appName: options.appName,
    newAppName,
    toSha256: keys.info.sha256Fingerprint,
    preAuthorized: [...bundle.preAuthorized.profiles, ...bundle.preAuthorized.permissionSets],
    newPair: keys.write && keys.privateKeyPath && keys.certificatePath ? { privateKeyPath: keys.privateKeyPath, certificatePath: keys.certificatePath } : undefined,
    proveAs: keys.privateKey ? view.username : undefined,
  });
  const result: RotateResult = {
    mode: 'parallel-app',
    appName: options.appName,
    newAppName,
    keyMode: keys.mode,
    consumerKey: bundle.consumerKey,
    certificateSha256: keys.info.sha256Fingerprint,
    previousCertificateSha256: view.currentSha256,
    certificateExpiresAt: keys.info.notAfter,
    certificatePath: keys.certificatePath,
    privateKeyPath: keys.privateKeyPath,
    proof: 'skipped',
    rolledBack: false,
    dryRun: options.dryRun,
    plan,
    handoff: handoffOf(view, bundle.consumerKey, messages.getMessage('info.next.dryRun')),
  };
  return { plan, keys, bundle, newAppName, result };
}

async function deployApp(ctx: Context, planned: PlannedParallel): Promise<string> {
  const staging = await createStaging('rotate');
  try {
    const staged = await writeBundle({ ...planned.bundle, documents: planned.bundle.documents.filter((d) => d.stage === 'stage2') }, join(staging.dir, 'bundle'));
    ctx.ui.step(messages.getMessage('step.deployParallel', [planned.newAppName]));
    const outcome = await deployDirectory(ctx.conn, [staged.dirs.stage2], `the External Client App ${planned.newAppName}`, { checkOnly: false, onProgress: (m) => ctx.ui.status(m) });
    ctx.ui.done(outcome.status);
  } finally {
    await staging.dispose();
  }
  // Salesforce may keep a key of its own: the one the org holds is the one to hand over.
  const orgKey = consumerKeyOf(await readComponentXml(ctx.conn, 'ExtlClntAppGlobalOauthSettings', planned.bundle.names.globalSettings).catch(() => undefined));
  return orgKey ?? planned.bundle.consumerKey;
}

export async function applyParallelApp(ctx: Context, view: OrgView, planned: PlannedParallel, journal: string[]): Promise<RotateResult> {
  const { options } = ctx;
  if (planned.keys.write) {
    await planned.keys.write();
    journal.push('wrote the new key pair');
  }
  const consumerKey = await deployApp(ctx, planned);
  journal.push(`deployed ${planned.newAppName}`);
  const state: RotationState = { appName: options.appName, newAppName: planned.newAppName, consumerKey, certificateSha256: planned.keys.info.sha256Fingerprint, createdAt: new Date().toISOString() };
  await writeWithMode(stateFilePath(options), `${JSON.stringify(state, null, 2)}\n`, 0o644);
  if (planned.keys.privateKey) await proveKey(ctx, view, consumerKey, planned.keys.privateKey, messages.getMessage('step.proveParallel', [view.username, planned.newAppName]));
  const next = messages.getMessage('info.next.parallel', [options.orgName, planned.newAppName, options.appName]);
  return { ...planned.result, consumerKey, proof: planned.keys.privateKey ? 'passed' : 'vendor', handoff: handoffOf(view, consumerKey, next) };
}

export async function readRotationState(options: RotateOptions): Promise<RotationState> {
  const path = stateFilePath(options);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) throw messages.createError('error.RotationStateMissing', [path, options.appName]);
  return JSON.parse(text) as RotationState;
}
