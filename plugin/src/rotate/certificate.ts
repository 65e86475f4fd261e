/**
 * The certificate steps of a rotation: the dated backup of the current pair, deploying a certificate into
 * the app's global OAuth settings (the org's own copy with only `<certificate>` changed, so the consumer key
 * and every other field stay), and the JWT proof with a key (auth/, with its propagation retry).
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Connection } from '@salesforce/core';
import { jwtLogin, type JwtLoginResult } from '../auth/jwt-login.js';
import { CERTIFICATE_MODE, PRIVATE_KEY_MODE, writeWithMode } from '../cert/index.js';
import { fileBaseForApp } from '../defaults.js';
import { normalizeCertificatePem, parseMetadataXml, serializeMetadataXml, setText } from '../metadata/index.js';
import { deployComponentXml } from '../org/metadata-transfer.js';
import type { RotateOptions, RotateUi } from './options.js';
import { sameCertificate } from '../plan/drift.js';
import { readLocalPair, type LocalPair, type OrgView } from './org-view.js';

export type Context = { conn: Connection; options: RotateOptions; ui: RotateUi };

/** `backup-20261206T035500Z`: UTC, sortable, no characters a file system refuses. */
export function backupDirFor(outputDir: string, now: Date): string {
  return join(outputDir, `backup-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
}

/**
 * A cut-over interrupted after it wrote its new pair and before the org was seen to trust it leaves the
 * output directory holding a pair the org does not trust, and the newest backup folder holding the pair it
 * does. Returns that backup (the pair to keep, the folder to reuse), or undefined when the output directory
 * is not in that state.
 */
export async function interruptedCutOver(view: OrgView, outputDir: string, appName: string): Promise<{ dir: string; pair: LocalPair } | undefined> {
  if (!view.localPair || sameCertificate(view.localPair.certificatePem, view.currentCertificatePem)) return undefined;
  const newest = (await readdir(outputDir).catch(() => [] as string[])).filter((n) => /^backup-\d{8}T\d{6}Z$/.test(n)).sort().at(-1);
  if (!newest) return undefined;
  const dir = join(outputDir, newest);
  const pair = await readLocalPair(dir, appName).catch(() => undefined);
  return pair && sameCertificate(pair.certificatePem, view.currentCertificatePem) ? { dir, pair } : undefined;
}

/** Copies the local pair (key 0600) into `dir`, or, without one, the certificate the app trusts now. Returns what was saved. */
export async function backUp(view: OrgView, appName: string, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const base = join(dir, fileBaseForApp(appName));
  const pair = view.localPair;
  if (pair) {
    await writeWithMode(`${base}.key`, pair.keyPem, PRIVATE_KEY_MODE);
    await writeWithMode(`${base}.crt`, pair.certificatePem, CERTIFICATE_MODE);
    return [`${base}.key`, `${base}.crt`];
  }
  await writeWithMode(`${base}.crt`, `${normalizeCertificatePem(view.currentCertificatePem)}\n`, CERTIFICATE_MODE);
  return [`${base}.crt`];
}

/** The app's global OAuth settings as the org has them, with another certificate. */
export function withCertificate(orgXml: string, certificatePem: string): string {
  const doc = parseMetadataXml(orgXml, 'global OAuth settings (org)');
  setText(doc, 'certificate', normalizeCertificatePem(certificatePem));
  return serializeMetadataXml(doc);
}

export async function deployCertificate(ctx: Context, view: OrgView, certificatePem: string, title: string): Promise<void> {
  const name = view.ours.names.globalSettings;
  const xml = withCertificate(view.ours.get('globalSettings') ?? '', certificatePem);
  ctx.ui.step(title);
  const outcome = await deployComponentXml(ctx.conn, [{ type: 'ExtlClntAppGlobalOauthSettings', fullName: name, xml, mode: 0o600 }], `the global OAuth settings of ${view.ours.names.appName}`, {
    onProgress: (m) => ctx.ui.status(m),
  });
  ctx.ui.done(outcome.status);
}

export async function proveKey(ctx: Context, view: OrgView, consumerKey: string, privateKey: KeyObject, title: string): Promise<JwtLoginResult> {
  ctx.ui.step(title);
  const login = await jwtLogin({
    consumerKey,
    username: view.username,
    privateKey,
    myDomainUrl: view.facts.myDomainUrl,
    isSandbox: view.facts.isSandbox,
    waitMs: ctx.options.waitMinutes * 60_000,
    onRetry: (m) => ctx.ui.status(m),
    sleep: ctx.options.sleep,
  });
  ctx.ui.done('logged in');
  return login;
}
