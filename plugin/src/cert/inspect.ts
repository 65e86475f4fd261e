/**
 * Reading certificates and keys back: fingerprints, expiry, key size, and whether a key matches a certificate.
 * Uses Node's native X509Certificate (OpenSSL), which also checks the DER structure strictly.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { Messages, SfError } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.files');

export const EXPIRY_WARNING_DAYS = 30;

export type CertificateInfo = {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  sha256Fingerprint: string;
  keyType: string;
  keyBits: number;
  selfSigned: boolean;
};

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** Parses PEM text; throws a named SfError when it is not one readable X.509 certificate. */
export function parseCertificatePem(pem: string, source = 'the certificate'): X509Certificate {
  const match = PEM_CERT.exec(pem);
  if (!match) {
    throw new SfError(`${source} is not a PEM certificate (no -----BEGIN CERTIFICATE----- block).`, 'CertificateNotPemError', [
      'Give the PEM file (cert.pem / .crt) exactly as downloaded, not a DER, PKCS#12 or key file.',
      'Check that the file was not truncated or re-encoded on download.',
    ]);
  }
  try {
    return new X509Certificate(match[0]);
  } catch (error) {
    throw new SfError(`${source} could not be read: ${(error as Error).message}.`, 'CertificateUnreadableError', [
      'Download the certificate again; the file looks corrupted.',
    ], 1, error as Error);
  }
}

export function describeCertificate(cert: X509Certificate): CertificateInfo {
  const key = cert.publicKey;
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    sha256Fingerprint: cert.fingerprint256,
    keyType: key.asymmetricKeyType ?? 'unknown',
    keyBits: key.asymmetricKeyDetails?.modulusLength ?? 0,
    // Not checkIssued(): OpenSSL wants keyCertSign for that, which a leaf signing certificate must not have.
    selfSigned: cert.issuer === cert.subject && cert.verify(key),
  };
}

export function daysUntil(isoDate: string, now = new Date()): number {
  return Math.floor((new Date(isoDate).getTime() - now.getTime()) / (24 * 60 * 60 * 1000));
}

export type CertificateCheck = { info: CertificateInfo; warnings: string[] };

/**
 * Everything Salesforce and our policy need from a JWT certificate: RSA, at least 2048 bits, valid now.
 * Expiry within EXPIRY_WARNING_DAYS is a warning, not an error.
 */
export function checkCertificate(pem: string, source = 'the certificate', now = new Date()): CertificateCheck {
  refuseEmbeddedPrivateKey(pem, source);
  const info = describeCertificate(parseCertificatePem(pem, source));
  if (info.keyType !== 'rsa') {
    throw new SfError(`${source} has a ${info.keyType} key; the JWT bearer flow signs with RS256, which needs RSA.`, 'CertificateNotRsaError', [
      'Use an RSA certificate (sf anzenna cert generate makes one).',
    ]);
  }
  if (info.keyBits < 2048) {
    throw new SfError(`${source} has a ${info.keyBits}-bit RSA key; the minimum is 2048 bits.`, 'CertificateKeyTooSmallError', [
      'Ask the vendor for a certificate with a 2048-bit or larger key, or run sf anzenna cert generate.',
    ]);
  }
  if (new Date(info.notAfter).getTime() <= now.getTime()) {
    throw new SfError(`${source} expired on ${info.notAfter}.`, 'CertificateExpiredError', [
      'Download a current certificate from the vendor, or run sf anzenna cert generate for a new key pair.',
    ]);
  }
  if (new Date(info.notBefore).getTime() > now.getTime()) {
    throw new SfError(`${source} is not valid before ${info.notBefore}.`, 'CertificateNotYetValidError', [
      "Check this machine's clock, or wait until the certificate's start date.",
    ]);
  }
  const warnings: string[] = [];
  const days = daysUntil(info.notAfter, now);
  if (days < EXPIRY_WARNING_DAYS) {
    warnings.push(`${source} expires in ${days} day(s), on ${info.notAfter}. Plan its rotation now.`);
  }
  return { info, warnings };
}

/** Parses a PEM private key (PKCS#8 or PKCS#1); the key text never appears in the error. */
export function parsePrivateKeyPem(pem: string, source = 'the private key'): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new SfError(`${source} is not a readable PEM private key.`, 'PrivateKeyUnreadableError', [
      'Give an unencrypted RSA private key in PEM form (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY).',
    ], 1, error as Error);
  }
}

/** Throws KeyCertificateMismatchError when the key did not make the certificate's public key. */
export function assertKeyMatchesCertificate(key: KeyObject, cert: X509Certificate, keySource: string, certSource: string): void {
  if (!cert.checkPrivateKey(key)) {
    throw new SfError(`${keySource} does not match ${certSource}: JWT logins signed with it would fail with "invalid assertion".`, 'KeyCertificateMismatchError', [
      'Use the private key that was generated together with this certificate.',
      'Or run sf anzenna cert generate for a new pair and deploy its certificate.',
    ]);
  }
}

/** Any PEM private key block (PKCS#8, PKCS#1, EC, encrypted); the pattern holds no key-header text itself. */
const PEM_PRIVATE_KEY = new RegExp(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE ${'KEY'}-----`);

/**
 * A certificate file must hold the certificate alone: a file that also holds a private key (a combined
 * .pem) would put the key where certificates go (the vendor's upload, the deployed settings).
 */
export function refuseEmbeddedPrivateKey(pem: string, source = 'the certificate'): void {
  if (PEM_PRIVATE_KEY.test(pem)) throw messages.createError('error.CertificateHoldsPrivateKey', [source]);
}

/** Whether `keyPem` is the private key of the certificate in `certPem` (false when either is unreadable). */
export function keyMatchesCertificatePem(keyPem: string, certPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
