/**
 * Cut-over rotation: preflight the new certificate (the same checks as setup, cert/key-material.ts) → back
 * up the current pair → (write a generated pair) → deploy the new certificate, consumer key unchanged →
 * prove a JWT login with the new key. When that proof fails, the previous certificate is deployed back
 * (and the previous pair put back in place), the old key is proved again, and RotationRolledBackError says
 * what happened. With the vendor's certificate there is no key here: the vendor's first login is the proof.
 */
import { join } from 'node:path';
import { Messages, SfError } from '@salesforce/core';
import { prepareKeyMaterial, type KeyMaterial } from '../cert/key-material.js';
import { writeKeyPair } from '../cert/index.js';
import { fileBaseForApp } from '../defaults.js';
import { sameCertificate } from '../plan/drift.js';
import { cutOverPlan, type RotationAction } from '../plan/rotation.js';
import { keyFilePaths } from '../project/inputs.js';
import { backUp, backupDirFor, deployCertificate, interruptedCutOver, proveKey, type Context } from './certificate.js';
import type { RotateOptions } from './options.js';
import type { LocalPair, OrgView } from './org-view.js';
import type { RotateResult } from './result.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.rotate');

/** `view`: the org view the cut-over works from (after an interrupted one: with the backed-up pair as the current pair). */
/** Where a resumed cut-over keeps the pair the interrupted run wrote: inside the backup folder it reuses. */
export const UNCONFIRMED_DIR = 'unconfirmed';

export type CutOver = { keys: KeyMaterial; plan: RotationAction[]; backupDir: string; view: OrgView; resumed: boolean; unconfirmed?: LocalPair };

/** The new certificate (and key), checked, for an app called `appName` (its pair's file name). */
export async function newKeyMaterial(options: RotateOptions, appName: string): Promise<KeyMaterial> {
  return prepareKeyMaterial({
    certificateFile: options.certificateFile,
    certificateUrl: options.certificateUrl,
    privateKeyFile: options.privateKeyFile,
    outputDir: options.outputDir,
    paths: keyFilePaths(options.outputDir, appName),
    appName,
    keySize: options.keySize,
    keyFormat: options.keyFormat,
    validityDays: options.validityDays,
    fresh: true,
  });
}

export async function planCutOver(options: RotateOptions, given: OrgView): Promise<CutOver> {
  const keys = await newKeyMaterial(options, options.appName);
  // Only a generated pair is written before the deploy, so only then can a run have been cut off in between.
  const interrupted = keys.mode === 'generated' ? await interruptedCutOver(given, options.outputDir, options.appName) : undefined;
  const view: OrgView = interrupted ? { ...given, localPair: interrupted.pair } : given;
  if (sameCertificate(view.currentCertificatePem, keys.certificatePem)) throw messages.createError('error.CertificateUnchanged', [options.appName, keys.info.sha256Fingerprint]);
  const backupDir = interrupted?.dir ?? backupDirFor(options.outputDir, (options.now ?? (() => new Date()))());
  const plan = cutOverPlan({
    appName: options.appName,
    fromSha256: view.currentSha256,
    toSha256: keys.info.sha256Fingerprint,
    backupDir,
    resumed: Boolean(interrupted),
    newPair: keys.write && keys.privateKeyPath && keys.certificatePath ? { privateKeyPath: keys.privateKeyPath, certificatePath: keys.certificatePath } : undefined,
    proveAs: keys.privateKey ? view.username : undefined,
  });
  return { keys, plan, backupDir, view, resumed: Boolean(interrupted), unconfirmed: interrupted ? given.localPair : undefined };
}

/** The previous pair back into the output directory (a generated pair replaced it). */
async function restorePair(options: RotateOptions, view: OrgView, keys: KeyMaterial): Promise<void> {
  if (!keys.write || !view.localPair) return;
  await writeKeyPair({ dir: options.outputDir, fileBase: fileBaseForApp(options.appName), privateKeyPem: view.localPair.keyPem, certificatePem: view.localPair.certificatePem });
}

async function rollBack(ctx: Context, view: OrgView, cut: CutOver, failure: SfError): Promise<never> {
  ctx.ui.warn(messages.getMessage('warning.rollingBack', [failure.message.split('\n')[0]]));
  try {
    await deployCertificate(ctx, view, view.currentCertificatePem, messages.getMessage('step.deployPrevious'));
  } catch (error) {
    throw SfError.create({
      name: 'RotationRollbackFailedError',
      message: messages.getMessage('error.RotationRollbackFailed', [ctx.options.appName, (error as Error).message.split('\n')[0]]),
      actions: messages.getMessages('error.RotationRollbackFailed.actions', [cut.backupDir]),
      data: { rolledBack: false, newKeyError: `${failure.name}: ${failure.message}`, backupDir: cut.backupDir },
    });
  }
  await restorePair(ctx.options, view, cut.keys);
  let oldKeyProof = 'no previous key here (the vendor holds it)';
  if (view.localPair) {
    oldKeyProof = await proveKey(ctx, view, view.consumerKey, view.localPair.privateKey, messages.getMessage('step.provePrevious')).then(
      () => 'passed',
      (error: Error) => `failed: ${error.message.split('\n')[0]}`
    );
  }
  const data = { rolledBack: true, newKeyError: `${failure.name}: ${failure.message}`, previousCertificateSha256: view.currentSha256, oldKeyProof, backupDir: cut.backupDir };
  throw SfError.create({
    name: 'RotationRolledBackError',
    message: messages.getMessage('error.RotationRolledBack', [ctx.options.appName, failure.message.split('\n')[0], oldKeyProof]),
    actions: messages.getMessages('error.RotationRolledBack.actions', [cut.backupDir]),
    data,
  });
}

/** Carries out a planned cut-over; `journal` receives each step as it is done (what an interruption reports). */
export async function applyCutOver(ctx: Context, view: OrgView, cut: CutOver, journal: string[]): Promise<Pick<RotateResult, 'proof' | 'backupDir'>> {
  const { keys } = cut;
  if (!cut.resumed) {
    await backUp(view, ctx.options.appName, cut.backupDir);
    journal.push(`backed up the current pair into ${cut.backupDir}`);
  } else if (cut.unconfirmed) {
    // Never confirmed in the org, but a deploy of it may have landed after all: set aside, not destroyed.
    const aside = join(cut.backupDir, UNCONFIRMED_DIR);
    await backUp({ ...view, localPair: cut.unconfirmed }, ctx.options.appName, aside);
    journal.push(`set the unconfirmed pair aside in ${aside}`);
  }
  if (keys.write) {
    await keys.write();
    journal.push('wrote the new key pair');
  }
  try {
    await deployCertificate(ctx, view, keys.certificatePem, messages.getMessage('step.deployNew'));
  } catch (error) {
    await restorePair(ctx.options, view, keys);
    throw error;
  }
  journal.push('deployed the new certificate');
  if (!keys.privateKey) return { proof: 'vendor', backupDir: cut.backupDir };
  try {
    await proveKey(ctx, view, view.consumerKey, keys.privateKey, messages.getMessage('step.proveNew', [view.username]));
  } catch (error) {
    if (!(error instanceof SfError)) throw error;
    return rollBack(ctx, view, cut, error);
  }
  return { proof: 'passed', backupDir: cut.backupDir };
}
