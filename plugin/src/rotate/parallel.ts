/**
 * Zero-downtime rotation. An External Client App holds one certificate, so the gap-free way is a second app,
 * `<App>_<yyyymmdd>`, rendered from the same templates (metadata/) with the new certificate and its own
 * consumer key, pre-authorizing the same profile and permission set(s) (only the app's components are
 * deployed: stage2). The old app stays until the vendor logs in through the new one; `--finish` then
 * retires the old app (finish.ts).
 *
 * How --finish knows the two apps: `--parallel-app` records them (rotation-state.ts), which --finish reads
 * and removes. A run interrupted after its deploy was sent is picked up by the next --parallel-app: an app
 * of today's name whose certificate is the one recorded is ours, and is handed over rather than refused.
 */
import { join } from 'node:path';
import { Messages } from '@salesforce/core';
import { checkCertificate, describeCertificate, findKeyPair, parseCertificatePem } from '../cert/index.js';
import { prepareKeyMaterial, type KeyMaterial } from '../cert/key-material.js';
import { DEFAULT_CONTACT_EMAIL, fileBaseForApp } from '../defaults.js';
import { checkAppName, getText, integrationBaseName, loadTemplates, parseMetadataXml, renderDocuments, writeBundle, type IpRelaxationPolicy, type RenderedBundle } from '../metadata/index.js';
import { lastSuccessfulLogin } from '../org/app-logins.js';
import { deployDirectory } from '../org/metadata-transfer.js';
import { readComponentXml } from '../org/metadata-read.js';
import { certificateOf, consumerKeyOf, readOurComponents, type OurComponents } from '../org/state.js';
import { createStaging } from '../local/staging.js';
import { parallelAppPlan, type RotationAction } from '../plan/rotation.js';
import { proveKey, type Context } from './certificate.js';
import { newKeyMaterial } from './cut-over.js';
import type { RotateOptions } from './options.js';
import { readRotationState, saveRotationState, type RotationState } from './rotation-state.js';
import { keyFilePaths } from '../project/inputs.js';
import type { OrgView } from './org-view.js';
import { handoffOf, type RotateResult } from './result.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.rotate');

/** `<Base>_<yyyymmdd>` (UTC): a second rotation of `Anzenna_20261206` makes `Anzenna_<its date>`, not a longer name. */
export function parallelAppName(appName: string, now: Date): string {
  return `${integrationBaseName(appName)}_${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** `bundle` undefined: the app is already in the org (an interrupted run deployed it) and is not deployed again. */
type PlannedParallel = { plan: RotationAction[]; keys: KeyMaterial; bundle?: RenderedBundle; newAppName: string; result: RotateResult };

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

/** The result of a planned --parallel-app run, before anything is done (filled in by applyParallelApp). */
function plannedResult(ctx: Context, view: OrgView, p: { newAppName: string; keys: KeyMaterial; consumerKey: string; certificateSha256: string; plan: RotationAction[] }): RotateResult {
  return {
    mode: 'parallel-app',
    appName: ctx.options.appName,
    newAppName: p.newAppName,
    keyMode: p.keys.mode,
    consumerKey: p.consumerKey,
    certificateSha256: p.certificateSha256,
    previousCertificateSha256: view.currentSha256,
    certificateExpiresAt: p.keys.info.notAfter,
    certificatePath: p.keys.certificatePath,
    privateKeyPath: p.keys.privateKeyPath,
    proof: 'skipped',
    rolledBack: false,
    dryRun: ctx.options.dryRun,
    plan: p.plan,
    handoff: handoffOf(view, p.consumerKey, messages.getMessage('info.next.dryRun')),
  };
}

/**
 * The certificate (and key) of a picked-up second app: the files given again (-c, -k, --certificate-url), else
 * the pair generated for it in the output directory, else the org's certificate alone (the vendor holds the key).
 */
async function pickedUpKeys(options: RotateOptions, newAppName: string, orgPem: string | undefined): Promise<KeyMaterial> {
  if (options.certificateFile || options.certificateUrl) return newKeyMaterial(options, newAppName);
  const paths = keyFilePaths(options.outputDir, newAppName);
  const pair = await findKeyPair(options.outputDir, fileBaseForApp(newAppName));
  if (pair.haveKey && pair.haveCert) return prepareKeyMaterial({ ...options, certificateFile: paths.certificate, privateKeyFile: paths.key, paths, appName: newAppName, fresh: false });
  if (!orgPem) throw messages.createError('error.ParallelAppExists', [newAppName, options.appName]);
  const { info, warnings } = checkCertificate(orgPem, `the certificate of ${newAppName}`);
  return { mode: 'vendor', certificatePem: orgPem, info, warnings };
}

/**
 * Today's second app is already in the org. When the rotation record names it and its certificate is the one
 * recorded, an interrupted --parallel-app deployed it: pick it up (its consumer key, the pair written for it)
 * and go on with the proof and the hand-off. Anything else is someone else's app: refused.
 */
async function planPickUp(ctx: Context, view: OrgView, newAppName: string, existing: OurComponents): Promise<PlannedParallel> {
  const { options } = ctx;
  const state = await readRotationState(options).catch(() => undefined);
  const settings = existing.get('globalSettings');
  const orgPem = certificateOf(settings);
  const orgSha = orgPem ? describeCertificate(parseCertificatePem(orgPem, `the certificate of ${newAppName}`)).sha256Fingerprint : undefined;
  if (!state || state.newAppName !== newAppName || (orgSha && orgSha !== state.certificateSha256)) {
    throw messages.createError('error.ParallelAppExists', [newAppName, options.appName]);
  }
  const keys = await pickedUpKeys(options, newAppName, orgPem);
  if (keys.info.sha256Fingerprint !== state.certificateSha256) throw messages.createError('error.ParallelAppExists', [newAppName, options.appName]);
  const consumerKey = consumerKeyOf(settings) ?? state.consumerKey;
  const plan = keys.privateKey ? [{ kind: 'prove-login' as const, target: view.username, changes: [], reason: `${newAppName} was deployed by an interrupted run: picked up, not deployed again` }] : [];
  const result = plannedResult(ctx, view, { newAppName, keys, consumerKey, certificateSha256: state.certificateSha256, plan });
  return { plan, keys, newAppName, result };
}

export async function planParallelApp(ctx: Context, view: OrgView): Promise<PlannedParallel> {
  const { options } = ctx;
  const newAppName = parallelAppName(options.appName, (options.now ?? (() => new Date()))());
  const problem = checkAppName(newAppName);
  if (problem) throw messages.createError('error.ParallelAppNameInvalid', [newAppName, problem]);
  const existing = await readOurComponents(ctx.conn, newAppName);
  if (existing.appExists) return planPickUp(ctx, view, newAppName, existing);
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
  const result = plannedResult(ctx, view, { newAppName, keys, consumerKey: bundle.consumerKey, certificateSha256: keys.info.sha256Fingerprint, plan });
  return { plan, keys, bundle, newAppName, result };
}

async function deployApp(ctx: Context, planned: PlannedParallel, bundle: RenderedBundle): Promise<string> {
  const staging = await createStaging('rotate');
  try {
    const staged = await writeBundle({ ...bundle, documents: bundle.documents.filter((d) => d.stage === 'stage2') }, join(staging.dir, 'bundle'));
    ctx.ui.step(messages.getMessage('step.deployParallel', [planned.newAppName]));
    const outcome = await deployDirectory(ctx.conn, [staged.dirs.stage2], `the External Client App ${planned.newAppName}`, { checkOnly: false, onProgress: (m) => ctx.ui.status(m) });
    ctx.ui.done(outcome.status);
  } finally {
    await staging.dispose();
  }
  // Salesforce may keep a key of its own: the one the org holds is the one to hand over.
  const orgKey = consumerKeyOf(await readComponentXml(ctx.conn, 'ExtlClntAppGlobalOauthSettings', bundle.names.globalSettings).catch(() => undefined));
  return orgKey ?? bundle.consumerKey;
}

export async function applyParallelApp(ctx: Context, view: OrgView, planned: PlannedParallel, journal: string[]): Promise<RotateResult> {
  const { options } = ctx;
  const { bundle } = planned;
  const state: RotationState = bundle
    ? { appName: options.appName, newAppName: planned.newAppName, consumerKey: bundle.consumerKey, certificateSha256: planned.keys.info.sha256Fingerprint, createdAt: new Date().toISOString() }
    : { ...(await readRotationState(options)), consumerKey: planned.result.consumerKey };
  if (bundle) {
    if (planned.keys.write) {
      await planned.keys.write();
      journal.push('wrote the new key pair');
    }
    // Recorded before the deploy: if this run is stopped while the deploy may still land, the next one picks it up.
    await saveRotationState(options, state);
    state.consumerKey = await deployApp(ctx, planned, bundle);
    journal.push(`deployed ${planned.newAppName}`);
  }
  await saveRotationState(options, state);
  if (planned.keys.privateKey) {
    // Recorded before the login: if its time cannot be read back, --finish still discounts one login.
    state.proofRun = true;
    await saveRotationState(options, state);
    await proveKey(ctx, view, state.consumerKey, planned.keys.privateKey, messages.getMessage('step.proveParallel', [view.username, planned.newAppName]));
    state.ownLoginAt = (await lastSuccessfulLogin(ctx.conn, view.username, planned.newAppName).catch(() => undefined))?.lastSuccessAt;
    await saveRotationState(options, state);
  }
  const next = messages.getMessage('info.next.parallel', [options.orgName, planned.newAppName, options.appName]);
  return { ...planned.result, consumerKey: state.consumerKey, proof: planned.keys.privateKey ? 'passed' : 'vendor', handoff: handoffOf(view, state.consumerKey, next) };
}
