import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createSign, createVerify } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.js';
import type { CertGenerateResult } from '../../plugin/src/commands/anzenna/cert/generate.js';

/** The PEM header line as a pattern, spelled so that the repository holds no key-header text. */
function pemHeader(label: string): RegExp {
  return new RegExp(`^${'-'.repeat(5)}BEGIN ${label}${'-'.repeat(5)}\\n`);
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

describe('sf anzenna cert generate', () => {
  it('writes a PKCS#8 key (0600) and a self-signed v3 certificate (0644) that an independent parser accepts', async () => {
    const dir = tempDir('cert');
    const out = join(dir, 'jwt');
    const before = Date.now();
    const res = await runCli<CertGenerateResult>(['anzenna', 'cert', 'generate', '--output-dir', out, '--json'], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    const result = res.json?.result;
    assert.ok(result);
    assert.equal(result.privateKeyPath, join(out, 'anzenna.key'));
    assert.equal(result.certificatePath, join(out, 'anzenna.crt'));
    assert.equal(mode(result.privateKeyPath), 0o600);
    assert.equal(mode(result.certificatePath), 0o644);

    const keyPem = readFileSync(result.privateKeyPath, 'utf8');
    assert.match(keyPem, pemHeader('PRIVATE KEY'));
    const certPem = readFileSync(result.certificatePath, 'utf8');
    const cert = new X509Certificate(certPem);
    const key = createPrivateKey(keyPem);
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(cert.checkPrivateKey(key), 'key matches certificate');
    assert.equal(cert.issuer, cert.subject, 'self-issued');
    assert.ok(cert.verify(cert.publicKey), 'self-signed: its own key verifies the signature');
    assert.equal(cert.ca, false);
    assert.equal(cert.fingerprint256, result.sha256Fingerprint);
    assert.equal(cert.serialNumber.toLowerCase(), result.serialNumber);
    assert.match(cert.subject, /CN=Anzenna JWT bearer/);

    const notBefore = new Date(cert.validFrom).getTime();
    const notAfter = new Date(cert.validTo).getTime();
    assert.ok(notBefore < before - 60_000, 'notBefore lies in the past to allow clock skew');
    assert.ok(notBefore > before - 15 * 60_000, 'but not by more than a few minutes');
    const days = (notAfter - before) / 86_400_000;
    assert.ok(days > 729 && days < 731, `default validity is two years, got ${days}`);

    const text = openssl(['x509', '-noout', '-text'], certPem);
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /CA:FALSE/);
    assert.match(text, /Digital Signature/);
    const serial = /Serial Number:\s*\n?\s*([0-9a-f:]+)/i.exec(text)?.[1] ?? '';
    assert.ok(serial.length > 0 && !serial.startsWith('-'), 'serial is positive');

    // The key signs what the certificate verifies (what Salesforce does with a JWT assertion).
    const signature = createSign('RSA-SHA256').update('payload').sign(key);
    assert.ok(createVerify('RSA-SHA256').update('payload').verify(cert.publicKey, signature));

    // Never the key in any output.
    assert.doesNotMatch(res.stdout + res.stderr, /PRIVATE KEY/);
  });

  it('writes PKCS#1 with --key-format pkcs1, honours --key-size and --validity-days', async () => {
    const dir = tempDir('cert');
    const res = await runCli<CertGenerateResult>(
      ['anzenna', 'cert', 'generate', '-d', dir, '--key-format', 'pkcs1', '--key-size', '3072', '--validity-days', '90', '--app-name', 'Acme SIEM', '--json'],
      { cwd: dir }
    );
    assert.equal(res.code, 0, res.stderr);
    const result = res.json?.result;
    assert.ok(result);
    assert.equal(result.privateKeyPath, join(dir, 'acme-siem.key'));
    const keyPem = readFileSync(result.privateKeyPath, 'utf8');
    assert.match(keyPem, pemHeader('RSA PRIVATE KEY'));
    assert.match(openssl(['pkey', '-noout', '-text'], keyPem), /Private-Key: \(3072 bit/);
    const cert = new X509Certificate(readFileSync(result.certificatePath));
    const days = (new Date(cert.validTo).getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 89 && days < 91, `validity ${days}`);
    assert.match(cert.subject, /CN=Acme SIEM JWT bearer/);
  });

  it('gives two runs different serials and keys', async () => {
    const a = tempDir('cert');
    const b = tempDir('cert');
    const [ra, rb] = await Promise.all([
      runCli<CertGenerateResult>(['anzenna', 'cert', 'generate', '-d', a, '--json']),
      runCli<CertGenerateResult>(['anzenna', 'cert', 'generate', '-d', b, '--json']),
    ]);
    assert.equal(ra.code, 0);
    assert.equal(rb.code, 0);
    assert.notEqual(ra.json?.result?.serialNumber, rb.json?.result?.serialNumber);
    assert.notEqual(ra.json?.result?.sha256Fingerprint, rb.json?.result?.sha256Fingerprint);
  });

  it('refuses to overwrite existing files without --force, and replaces them with it', async () => {
    const dir = tempDir('cert');
    writeFileSync(join(dir, 'anzenna.key'), 'old key');
    const refused = await runCli(['anzenna', 'cert', 'generate', '-d', dir, '--json']);
    assert.equal(refused.code, 1);
    assert.equal(refused.json?.name, 'KeyFilesExistError');
    assert.match(refused.json?.actions?.join(' ') ?? '', /--force/);
    assert.equal(readFileSync(join(dir, 'anzenna.key'), 'utf8'), 'old key', 'the old file is untouched');

    chmodSync(join(dir, 'anzenna.key'), 0o644);
    const forced = await runCli(['anzenna', 'cert', 'generate', '-d', dir, '--force', '--json']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(join(dir, 'anzenna.key'), 'utf8'), /BEGIN PRIVATE KEY/);
    assert.equal(mode(join(dir, 'anzenna.key')), 0o600, 'a replaced key gets mode 0600 even if the old file was 0644');
  });

  for (const [size, name] of [
    ['1024', 'KeySizeTooSmallError'],
    ['2000', 'KeySizeTooSmallError'],
    ['2500', 'UnsupportedKeySizeError'],
    ['8192', 'UnsupportedKeySizeError'],
  ] as const) {
    it(`refuses --key-size ${size} with ${name} and writes nothing`, async () => {
      const dir = tempDir('cert');
      const res = await runCli(['anzenna', 'cert', 'generate', '-d', join(dir, 'out'), '--key-size', size, '--json']);
      assert.equal(res.code, 1);
      assert.equal(res.json?.name, name);
      assert.ok((res.json?.actions?.length ?? 0) > 0);
      assert.throws(() => statSync(join(dir, 'out')), /ENOENT/, 'nothing created before the inputs were checked');
    });
  }

  it('refuses a validity of 0 or over ten years', async () => {
    for (const days of ['0', '3651']) {
      const res = await runCli(['anzenna', 'cert', 'generate', '-d', tempDir('cert'), '--validity-days', days, '--json']);
      assert.equal(res.code, 1);
      assert.equal(res.json?.name, 'InvalidValidityError');
    }
  });

  it('fails with OutputDirNotWritableError when the directory is read-only', async (t) => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; use a path below a regular file instead, which no user can write.
      const dir = tempDir('cert');
      writeFileSync(join(dir, 'file'), 'x');
      const res = await runCli(['anzenna', 'cert', 'generate', '-d', join(dir, 'file'), '--json']);
      assert.equal(res.code, 1);
      assert.equal(res.json?.name, 'OutputDirNotDirectoryError');
      t.diagnostic('running as root: checked the not-a-directory case instead of permissions');
      return;
    }
    const dir = tempDir('cert');
    const ro = join(dir, 'ro');
    mkdirSync(ro, { mode: 0o500 });
    const res = await runCli(['anzenna', 'cert', 'generate', '-d', ro, '--json']);
    assert.equal(res.code, 1);
    assert.equal(res.json?.name, 'OutputDirNotWritableError');
  });

  it('shows help without importing jsforce or SDR', async () => {
    const dir = tempDir('cert');
    const probe = join(dir, 'probe.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => { const k = Object.keys(require.cache); process.stderr.write('LOADED ' + JSON.stringify({ jsforce: k.filter((p) => p.includes('jsforce')).length, sdr: k.filter((p) => p.includes('source-deploy-retrieve')).length }) + '\\n'); });\n"
    );
    const res = await runCli(['anzenna', 'cert', 'generate', '--help'], { env: { NODE_OPTIONS: `--require ${probe}` } });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /--key-format/);
    const loaded = JSON.parse(/LOADED (.*)/.exec(res.stderr)?.[1] ?? 'null') as { jsforce: number; sdr: number };
    assert.deepEqual(loaded, { jsforce: 0, sdr: 0 });
  });
});
