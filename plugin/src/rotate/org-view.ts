/**
 * What a rotation needs to know before it changes anything: the org (My Domain, sandbox or not), the app as
 * the org holds it (the shared reader, org/state.ts), its consumer key and the certificate it trusts, the
 * integration user's name, and the key pair in the output directory (the one the rotation replaces).
 */
import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { describeCertificate, findKeyPair, parseCertificatePem, parsePrivateKeyPem } from '../cert/index.js';
import { fileBaseForApp } from '../defaults.js';
import { readOrgFacts, type OrgFacts } from '../org/facts.js';
import { certificateOf, consumerKeyOf, readOurComponents, type OurComponents } from '../org/state.js';
import { defaultIntegrationUsername } from '../project/inputs.js';
import type { RotateOptions } from './options.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.rotate');

export type LocalPair = { keyPath: string; certPath: string; keyPem: string; certificatePem: string; privateKey: KeyObject };

export type OrgView = {
  facts: OrgFacts;
  ours: OurComponents;
  username: string;
  consumerKey: string;
  /** The certificate the app trusts now: the org's, else (unreadable there) the local pair's. */
  currentCertificatePem: string;
  currentSha256: string;
  /** The pair in the output directory under the app's file name, when there is one. */
  localPair?: LocalPair;
};

export async function readLocalPair(outputDir: string, appName: string): Promise<LocalPair | undefined> {
  const { keyPath, certPath, haveKey, haveCert } = await findKeyPair(outputDir, fileBaseForApp(appName));
  if (!haveKey || !haveCert) return undefined;
  const [keyPem, certificatePem] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
  return { keyPath, certPath, keyPem, certificatePem, privateKey: parsePrivateKeyPem(keyPem, keyPath) };
}

export async function readOrgView(conn: Connection, adminUsername: string, options: RotateOptions, appName = options.appName): Promise<OrgView> {
  const [facts, ours, localPair] = await Promise.all([readOrgFacts(conn), readOurComponents(conn, appName), readLocalPair(options.outputDir, appName)]);
  if (!ours.appExists) throw messages.createError('error.AppNotFound', [appName]);
  const settings = ours.get('globalSettings');
  const consumerKey = consumerKeyOf(settings);
  if (!consumerKey) throw messages.createError('error.ConsumerKeyUnreadable', [appName]);
  const orgPem = certificateOf(settings);
  const currentCertificatePem = orgPem ?? localPair?.certificatePem;
  if (!currentCertificatePem) throw messages.createError('error.PreviousCertificateUnknown', [appName, options.outputDir]);
  const currentSha256 = describeCertificate(parseCertificatePem(currentCertificatePem, `the certificate of ${appName}`)).sha256Fingerprint;
  const username = options.integrationUser ?? defaultIntegrationUsername(options.appName, adminUsername);
  return { facts, ours, username, consumerKey, currentCertificatePem, currentSha256, localPair };
}
