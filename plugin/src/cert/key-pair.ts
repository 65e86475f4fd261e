/**
 * RSA key pairs for the JWT bearer flow. Keys come from Node's native generator (OpenSSL):
 * node-forge's pure-JS prime search takes seconds for 2048 bits and far longer for 4096.
 */
import { generateKeyPair as generateNative, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { SfError } from '@salesforce/core';

const generate = promisify(generateNative);

export const KEY_SIZES = [2048, 3072, 4096] as const;
export type KeySize = (typeof KEY_SIZES)[number];
export const KEY_FORMATS = ['pkcs8', 'pkcs1'] as const;
export type KeyFormat = (typeof KEY_FORMATS)[number];

export type RsaKeyPair = {
  privateKey: KeyObject;
  publicKey: KeyObject;
  bits: KeySize;
};

/** Refuses sizes Salesforce or our policy would not accept, with a named error and what to do instead. */
export function checkKeySize(bits: number): KeySize {
  if (!Number.isInteger(bits) || bits < 2048) {
    throw new SfError(`An RSA key of ${bits} bits is too weak: the minimum is 2048 bits.`, 'KeySizeTooSmallError', [
      'Use --key-size 2048 (the default), 3072 or 4096.',
    ]);
  }
  if (!(KEY_SIZES as readonly number[]).includes(bits)) {
    throw new SfError(`Key size ${bits} is not supported.`, 'UnsupportedKeySizeError', [
      `Use one of: ${KEY_SIZES.join(', ')}.`,
    ]);
  }
  return bits as KeySize;
}

export async function generateRsaKeyPair(bits: number): Promise<RsaKeyPair> {
  const size = checkKeySize(bits);
  const { privateKey, publicKey } = await generate('rsa', { modulusLength: size, publicExponent: 0x10001 });
  return { privateKey, publicKey, bits: size };
}

/** PEM text of a private key: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`). */
export function privateKeyPem(key: KeyObject, format: KeyFormat): string {
  return key.export({ type: format, format: 'pem' }).toString();
}
