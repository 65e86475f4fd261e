import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  assertKeyMatchesCertificate,
  buildKeyAndCertificate,
  checkCertificate,
  createSelfSignedCertificate,
  parseCertificatePem,
  parsePrivateKeyPem,
  privateKeyPem,
  randomSerialHex,
} from '../../plugin/src/cert/index.js';

function certFor(days: number, now: Date, bits = 2048) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { privateKey, pem: createSelfSignedCertificate({ privateKey, publicKey, subject: { commonName: 't' }, validityDays: days, now }) };
}

describe('certificate checks', () => {
  it('accepts a fresh certificate with no warning', () => {
    const { pem } = certFor(365, new Date());
    const { info, warnings } = checkCertificate(pem);
    assert.equal(info.keyType, 'rsa');
    assert.equal(info.keyBits, 2048);
    assert.deepEqual(warnings, []);
  });

  it('warns inside 30 days of expiry', () => {
    const { pem } = certFor(10, new Date());
    const { warnings } = checkCertificate(pem, 'cert.pem');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /cert\.pem expires in (9|10) day/);
  });

  it('refuses an expired certificate with CertificateExpiredError', () => {
    const { pem } = certFor(1, new Date(Date.now() - 3 * 86_400_000));
    assert.throws(() => checkCertificate(pem), { name: 'CertificateExpiredError' });
  });

  it('refuses a certificate that is not valid yet', () => {
    const { pem } = certFor(30, new Date(Date.now() + 2 * 86_400_000));
    assert.throws(() => checkCertificate(pem), { name: 'CertificateNotYetValidError' });
  });

  it('refuses a 1024-bit key with CertificateKeyTooSmallError', () => {
    const { pem } = certFor(30, new Date(), 1024);
    assert.throws(() => checkCertificate(pem), { name: 'CertificateKeyTooSmallError' });
  });

  it('refuses text that is not PEM, and a corrupted PEM, with different named errors', () => {
    assert.throws(() => parseCertificatePem('hello'), { name: 'CertificateNotPemError' });
    const { pem } = certFor(30, new Date());
    const corrupted = pem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    assert.throws(() => parseCertificatePem(corrupted), { name: 'CertificateUnreadableError' });
  });

  it('detects a key that does not match the certificate, without printing the key', () => {
    const { pem } = certFor(30, new Date());
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const keyPem = privateKeyPem(other, 'pkcs8');
    const key = parsePrivateKeyPem(keyPem);
    assert.throws(
      () => assertKeyMatchesCertificate(key, parseCertificatePem(pem), 'server.key', 'cert.pem'),
      (error: Error) => error.name === 'KeyCertificateMismatchError' && !error.message.includes('PRIVATE KEY')
    );
  });

  it('accepts the matching key in PKCS#1 and PKCS#8', async () => {
    const { keyPair, certificatePem } = await buildKeyAndCertificate({ commonName: 'x', keySize: 2048, validityDays: 5 });
    for (const format of ['pkcs1', 'pkcs8'] as const) {
      const key = parsePrivateKeyPem(privateKeyPem(keyPair.privateKey, format));
      assert.doesNotThrow(() => assertKeyMatchesCertificate(key, parseCertificatePem(certificatePem), 'k', 'c'));
    }
  });

  it('refuses a key file that is not a key, naming no content', () => {
    const dashes = '-'.repeat(5);
    const notAKey = `${dashes}BEGIN PRIVATE KEY${dashes}\nAAAA\n${dashes}END PRIVATE KEY${dashes}\n`;
    assert.throws(() => parsePrivateKeyPem(notAKey), {
      name: 'PrivateKeyUnreadableError',
    });
  });

  it('makes positive, non-zero, 128-bit serials', () => {
    for (let i = 0; i < 200; i++) {
      const serial = randomSerialHex();
      assert.equal(serial.length, 32);
      assert.ok(parseInt(serial.slice(0, 2), 16) < 0x80, 'top bit clear');
      assert.notEqual(BigInt(`0x${serial}`), 0n);
    }
  });
});
