/**
 * One call that makes a key pair and a self-signed certificate and writes both files: what
 * `sf anzenna cert generate` does, and what `setup` does when no vendor certificate is given.
 */
import { checkKeySize, generateRsaKeyPair, privateKeyPem, type KeyFormat } from './key-pair.js';
import { createSelfSignedCertificate } from './certificate.js';
import { describeCertificate, parseCertificatePem } from './inspect.js';
import { keyPairPaths, prepareOutputDir, recoverKeyPair, refuseExisting, writeKeyPair } from './files.js';
import { SfError } from '@salesforce/core';

export const DEFAULT_VALIDITY_DAYS = 730;
export const MAX_VALIDITY_DAYS = 3650;

export type GenerateOptions = {
  outputDir: string;
  /** Base of the file names: `<fileBase>.key` and `<fileBase>.crt`. */
  fileBase: string;
  commonName: string;
  organization?: string;
  keySize: number;
  keyFormat: KeyFormat;
  validityDays: number;
  force: boolean;
  createDir?: boolean;
  now?: Date;
  /** Called once every input and the output directory have passed their checks, before the slow part. */
  onChecked?: () => void;
};

export type GeneratedCertificate = {
  privateKeyPath: string;
  certificatePath: string;
  keyFormat: KeyFormat;
  keySize: number;
  subject: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  sha256Fingerprint: string;
};

export function checkValidityDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
    throw new SfError(`A validity of ${days} days is not allowed.`, 'InvalidValidityError', [
      `Use a whole number of days from 1 to ${MAX_VALIDITY_DAYS} (default ${DEFAULT_VALIDITY_DAYS}, two years).`,
    ]);
  }
  return days;
}

/** Builds the key and certificate in memory; nothing is written. */
export async function buildKeyAndCertificate(
  options: Pick<GenerateOptions, 'commonName' | 'organization' | 'keySize' | 'validityDays' | 'now'>
): Promise<{ keyPair: Awaited<ReturnType<typeof generateRsaKeyPair>>; certificatePem: string }> {
  checkKeySize(options.keySize);
  checkValidityDays(options.validityDays);
  const keyPair = await generateRsaKeyPair(options.keySize);
  const certificatePem = createSelfSignedCertificate({
    privateKey: keyPair.privateKey,
    publicKey: keyPair.publicKey,
    subject: { commonName: options.commonName, organization: options.organization },
    validityDays: options.validityDays,
    now: options.now,
  });
  return { keyPair, certificatePem };
}

export async function generateCertificateFiles(options: GenerateOptions): Promise<GeneratedCertificate> {
  // Check every input before the slow part and before touching the disk.
  checkKeySize(options.keySize);
  checkValidityDays(options.validityDays);
  const dir = await prepareOutputDir(options.outputDir, options.createDir ?? false);
  await recoverKeyPair(dir, options.fileBase);
  const { keyPath: privateKeyPath, certPath: certificatePath } = keyPairPaths(dir, options.fileBase);
  await refuseExisting([privateKeyPath, certificatePath], options.force);
  options.onChecked?.();

  const { keyPair, certificatePem } = await buildKeyAndCertificate(options);
  await writeKeyPair({ dir, fileBase: options.fileBase, privateKeyPem: privateKeyPem(keyPair.privateKey, options.keyFormat), certificatePem });

  const info = describeCertificate(parseCertificatePem(certificatePem));
  return {
    privateKeyPath,
    certificatePath,
    keyFormat: options.keyFormat,
    keySize: keyPair.bits,
    subject: info.subject,
    serialNumber: info.serialNumber,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    sha256Fingerprint: info.sha256Fingerprint,
  };
}
