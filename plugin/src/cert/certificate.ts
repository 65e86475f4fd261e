/**
 * Self-signed X.509 v3 certificates for the External Client App, built with node-forge:
 * SHA-256 signature, random positive serial, a subject naming the app, not a CA, key usage for signatures.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/** How far notBefore is put in the past, so a server whose clock runs a little behind accepts the certificate at once. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export type CertificateSubject = {
  commonName: string;
  organization?: string;
};

export type CertificateRequest = {
  privateKey: KeyObject;
  publicKey: KeyObject;
  subject: CertificateSubject;
  validityDays: number;
  now?: Date;
};

/** 16 random bytes with the top bit cleared: a positive DER integer, never zero. */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function subjectAttributes(subject: CertificateSubject): forge.pki.CertificateField[] {
  const attrs: forge.pki.CertificateField[] = [{ name: 'commonName', value: subject.commonName }];
  if (subject.organization) attrs.push({ name: 'organizationName', value: subject.organization });
  return attrs;
}

/** Returns the certificate as PEM text. */
export function createSelfSignedCertificate(request: CertificateRequest): string {
  const now = request.now ?? new Date();
  const cert = forge.pki.createCertificate();
  cert.version = 2; // X.509 v3
  cert.serialNumber = randomSerialHex();
  cert.publicKey = forge.pki.publicKeyFromPem(request.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.validity.notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  cert.validity.notAfter = new Date(now.getTime() + request.validityDays * 24 * 60 * 60 * 1000);
  const attrs = subjectAttributes(request.subject);
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  const forgeKey = forge.pki.privateKeyFromPem(
    request.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  );
  cert.sign(forgeKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
