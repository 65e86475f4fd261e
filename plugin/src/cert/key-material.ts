/**
 * The certificate setup deploys and, when we hold it, the private key that proves the login:
 * - vendor:    --certificate-file alone (the Anzenna way: the vendor keeps the key);
 * - own:       --certificate-file with --private-key-file;
 * - reused:    a pair from an earlier run found in the output directory (so a re-run changes nothing);
 * - generated: a new pair, written only once the org has passed preflight (and never on --dry-run).
 * Everything is checked here, before the first request that changes the org.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { Messages } from '@salesforce/core';
import {
  assertKeyMatchesCertificate,
  buildKeyAndCertificate,
  checkCertificate,
  downloadCertificate,
  findKeyPair,
  parseCertificatePem,
  parsePrivateKeyPem,
  prepareOutputDir,
  privateKeyPem,
  writeKeyPair,
  type CertificateInfo,
  type KeyFormat,
} from './index.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.org');

export type KeyMode = 'vendor' | 'own' | 'reused' | 'generated';

export type KeyMaterial = {
  mode: KeyMode;
  certificatePem: string;
  certificatePath?: string;
  privateKey?: KeyObject;
  privateKeyPath?: string;
  info: CertificateInfo;
  warnings: string[];
  /** For a generated pair: writes both files (key 0600). */
  write?: () => Promise<void>;
};

export type KeyMaterialOptions = {
  certificateFile?: string;
  /** The vendor's certificate by URL (downloaded here, before any request to the org). */
  certificateUrl?: string;
  privateKeyFile?: string;
  outputDir: string;
  /** Where a pair of an earlier run is found and a new one written (keyFilePaths). */
  paths: { key: string; certificate: string };
  appName: string;
  keySize: number;
  keyFormat: KeyFormat;
  validityDays: number;
  /** Generate a new pair even when one is already in place (cert rotate: the old pair is backed up first). */
  fresh?: boolean;
};

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw messages.createError('error.FileUnreadable', [what, path, (error as NodeJS.ErrnoException).code ?? (error as Error).message]);
  }
}

async function loadPair(certPath: string, keyPath: string, mode: KeyMode): Promise<KeyMaterial> {
  const certificatePem = await readText(certPath, 'the certificate');
  const { info, warnings } = checkCertificate(certificatePem, certPath);
  const privateKey = parsePrivateKeyPem(await readText(keyPath, 'the private key'), keyPath);
  assertKeyMatchesCertificate(privateKey, parseCertificatePem(certificatePem, certPath), keyPath, certPath);
  return { mode, certificatePem, certificatePath: certPath, privateKey, privateKeyPath: keyPath, info, warnings };
}

export async function prepareKeyMaterial(options: KeyMaterialOptions): Promise<KeyMaterial> {
  if (options.privateKeyFile && !options.certificateFile) {
    throw messages.createError('error.CertificateFileMissing');
  }
  if (options.certificateUrl) {
    const certificatePem = await downloadCertificate(options.certificateUrl);
    const { info, warnings } = checkCertificate(certificatePem, options.certificateUrl);
    return { mode: 'vendor', certificatePem, info, warnings };
  }
  if (options.certificateFile && options.privateKeyFile) {
    return loadPair(options.certificateFile, options.privateKeyFile, 'own');
  }
  if (options.certificateFile) {
    const certificatePem = await readText(options.certificateFile, 'the certificate');
    const { info, warnings } = checkCertificate(certificatePem, options.certificateFile);
    return { mode: 'vendor', certificatePem, certificatePath: options.certificateFile, info, warnings };
  }

  // Finishes or discards a pair write of ours that a killed run left behind, then looks at what is there.
  const fileBase = basename(options.paths.key, '.key');
  const { keyPath, certPath, haveKey, haveCert } = await findKeyPair(dirname(options.paths.key), fileBase);
  if (options.fresh) return generatePair(options, fileBase, keyPath, certPath);
  if (haveKey && haveCert) return loadPair(certPath, keyPath, 'reused');
  if (haveKey !== haveCert) {
    throw messages.createError('error.KeyPairIncomplete', [haveKey ? keyPath : certPath, haveKey ? 'certificate' : 'key']);
  }

  return generatePair(options, fileBase, keyPath, certPath);
}

async function generatePair(options: KeyMaterialOptions, fileBase: string, keyPath: string, certPath: string): Promise<KeyMaterial> {
  const { keyPair, certificatePem } = await buildKeyAndCertificate({
    commonName: `${options.appName} JWT bearer`,
    organization: options.appName,
    keySize: options.keySize,
    validityDays: options.validityDays,
  });
  const { info, warnings } = checkCertificate(certificatePem, 'the generated certificate');
  return {
    mode: 'generated',
    certificatePem,
    certificatePath: certPath,
    privateKey: keyPair.privateKey,
    privateKeyPath: keyPath,
    info,
    warnings,
    write: async () => {
      await prepareOutputDir(options.outputDir, true);
      await writeKeyPair({ dir: options.outputDir, fileBase, privateKeyPem: privateKeyPem(keyPair.privateKey, options.keyFormat), certificatePem });
    },
  };
}
