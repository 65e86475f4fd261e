/**
 * The key material on this machine, if any: the files given (flags or sfdx-project.json), else the pair
 * setup writes (`./anzenna-jwt/<app>.key` and `.crt`). Nothing here is required: without a key the live
 * login is skipped, without a certificate file there is nothing to compare. A file that is there but
 * unreadable is reported by the checks that need it, never thrown.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { checkCertificate, parsePrivateKeyPem, type CertificateInfo } from '../cert/index.js';

export type LocalKeys = {
  certificatePath?: string;
  certificatePem?: string;
  certificateInfo?: CertificateInfo;
  certificateError?: string;
  privateKeyPath?: string;
  privateKey?: KeyObject;
  privateKeyError?: string;
};

export type LocalKeyOptions = {
  certificateFile?: string;
  privateKeyFile?: string;
  /** Where setup keeps a generated pair (keyFilePaths). */
  defaults: { key: string; certificate: string };
};

async function readCertificate(path: string): Promise<Pick<LocalKeys, 'certificatePem' | 'certificateInfo' | 'certificateError'>> {
  try {
    const pem = await readFile(path, 'utf8');
    try {
      return { certificatePem: pem, certificateInfo: checkCertificate(pem, path).info };
    } catch (error) {
      // An expired certificate still has a fingerprint to compare: keep the PEM, report the problem.
      return { certificatePem: pem, certificateError: (error as Error).message };
    }
  } catch (error) {
    return { certificateError: `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.` };
  }
}

async function readKey(path: string): Promise<Pick<LocalKeys, 'privateKey' | 'privateKeyError'>> {
  try {
    return { privateKey: parsePrivateKeyPem(await readFile(path, 'utf8'), path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { privateKeyError: code ? `Cannot read ${path}: ${code}.` : (error as Error).message };
  }
}

export async function loadLocalKeys(options: LocalKeyOptions): Promise<LocalKeys> {
  const given = options.certificateFile !== undefined || options.privateKeyFile !== undefined;
  const defaultCert = options.defaults.certificate;
  const defaultKey = options.defaults.key;
  const certificatePath = given ? options.certificateFile : existsSync(defaultCert) ? defaultCert : undefined;
  const privateKeyPath = given ? options.privateKeyFile : existsSync(defaultKey) ? defaultKey : undefined;
  return {
    ...(certificatePath ? { certificatePath, ...(await readCertificate(certificatePath)) } : {}),
    ...(privateKeyPath ? { privateKeyPath, ...(await readKey(privateKeyPath)) } : {}),
  };
}
