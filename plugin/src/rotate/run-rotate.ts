/**
 * `sf anzenna cert rotate` as an orchestration: read the org and the current pair → plan (plan/rotation.ts,
 * pure) → the production confirmation → apply under the lock (local/) → prove → the result. Three ways:
 * a cut-over (default), a second app beside the first (--parallel-app), and retiring the old app (--finish).
 */
import type { Org } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { acquireLock } from '../local/lock.js';
import type { RotationAction } from '../plan/rotation.js';
import { applyCutOver, planCutOver } from './cut-over.js';
import type { RotateOptions, RotateUi } from './options.js';
import { readOrgView, type OrgView } from './org-view.js';
import { applyFinish, planFinish } from './finish.js';
import { applyParallelApp, planParallelApp } from './parallel.js';
import { handoffOf, type RotateResult } from './result.js';

export type { RotateOptions, RotateUi } from './options.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.rotate');

/** In a production org, show the plan and ask (the command's prompt, as setup's), unless told not to. */
async function confirmProduction(view: OrgView, plan: readonly RotationAction[], options: RotateOptions, ui: RotateUi): Promise<void> {
  if (view.facts.isSandbox || options.dryRun) return;
  if (!(await ui.confirm(plan))) throw messages.createError('error.RotationNotConfirmed');
}

async function withLock<T>(options: RotateOptions, run: () => Promise<T>): Promise<T> {
  const lock = options.dryRun ? undefined : await acquireLock(options.appName, options.outputDir);
  try {
    return await run();
  } finally {
    await lock?.release();
  }
}

async function cutOver(org: Org, options: RotateOptions, ui: RotateUi, journal: string[]): Promise<RotateResult> {
  const ctx = { conn: org.getConnection(), options, ui };
  ui.step(messages.getMessage('step.read'));
  const cut = await planCutOver(options, await readOrgView(ctx.conn, org.getUsername() ?? '', options));
  const { view } = cut;
  ui.done();
  for (const w of cut.keys.warnings) ui.warn(w);
  await confirmProduction(view, cut.plan, options, ui);
  const done = options.dryRun ? { proof: 'skipped' as const, backupDir: undefined } : await applyCutOver(ctx, view, cut, journal);
  const next =
    done.proof === 'vendor' ? messages.getMessage('info.next.vendor', [options.orgName, options.appName]) : messages.getMessage(done.proof === 'passed' ? 'info.next.proved' : 'info.next.dryRun');
  return {
    mode: 'cut-over',
    appName: options.appName,
    keyMode: cut.keys.mode,
    consumerKey: view.consumerKey,
    certificateSha256: cut.keys.info.sha256Fingerprint,
    previousCertificateSha256: view.currentSha256,
    certificateExpiresAt: cut.keys.info.notAfter,
    certificatePath: cut.keys.certificatePath,
    privateKeyPath: cut.keys.privateKeyPath,
    backupDir: done.backupDir,
    proof: done.proof,
    rolledBack: false,
    dryRun: options.dryRun,
    plan: cut.plan,
    handoff: handoffOf(view, view.consumerKey, next),
  };
}

async function parallel(org: Org, options: RotateOptions, ui: RotateUi, journal: string[]): Promise<RotateResult> {
  const ctx = { conn: org.getConnection(), options, ui };
  ui.step(messages.getMessage('step.read'));
  const view = await readOrgView(ctx.conn, org.getUsername() ?? '', options);
  const planned = await planParallelApp(ctx, view);
  ui.done();
  await confirmProduction(view, planned.plan, options, ui);
  return options.dryRun ? planned.result : applyParallelApp(ctx, view, planned, journal);
}

async function finish(org: Org, options: RotateOptions, ui: RotateUi, journal: string[]): Promise<RotateResult> {
  const ctx = { conn: org.getConnection(), options, ui };
  ui.step(messages.getMessage('step.read'));
  const planned = await planFinish(ctx, org.getUsername() ?? '');
  ui.done();
  await confirmProduction(planned.view, planned.plan, options, ui);
  return options.dryRun ? planned.result : applyFinish(ctx, planned, journal);
}

/** Rotates the app's certificate. `journal` receives each step as it is done (what an interruption reports). */
export async function runRotate(org: Org, options: RotateOptions, ui: RotateUi, journal: string[] = []): Promise<RotateResult> {
  const run = options.finish ? finish : options.parallelApp ? parallel : cutOver;
  return withLock(options, () => run(org, options, ui, journal));
}
