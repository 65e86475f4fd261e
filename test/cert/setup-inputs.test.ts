import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSelfSignedCertificate, privateKeyPem } from '../../plugin/src/cert/index.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';

let org: EmulatedOrg;
before(async () => {
  org = await emulatedOrg({ edition: 'Developer' });
});
after(async () => org.close());

function requestsDuring(): () => number {
  const start = org.emu.requestLog.length;
  return () => org.emu.requestLog.length - start;
}

describe('setup refuses bad key and certificate files before any request', () => {
  it('a certificate file that also holds the private key: CertificateHoldsPrivateKeyError, zero requests, key text never shown', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const certPem = createSelfSignedCertificate({ ...pair, subject: { commonName: 'combined' }, validityDays: 30 });
    const keyPem = privateKeyPem(pair.privateKey, 'pkcs8');
    const keyBody = keyPem.split('\n')[1];
    for (const [name, text] of [
      ['key-after.pem', certPem + keyPem],
      ['key-first.pem', keyPem + certPem],
    ]) {
      const file = join(org.cwd, name);
      writeFileSync(file, text, { mode: 0o600 });
      const requests = requestsDuring();
      const res = await org.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--certificate-file', file, '--json']);
      assert.equal(res.code, 1, res.stdout + res.stderr);
      assert.equal(res.json?.name, 'CertificateHoldsPrivateKeyError');
      assert.match(res.json?.message ?? '', new RegExp(name.replace('.', '\\.')));
      assert.ok(res.json?.actions?.some((a) => /certificate alone/.test(a)), 'says to pass the certificate alone');
      assert.equal(requests(), 0, 'no request reached the org');
      assert.ok(!(res.stdout + res.stderr).includes(keyBody), 'no key text in the output');
    }
  });

  for (const flag of ['--certificate-file', '--private-key-file']) {
    it(`a directory as ${flag}: InputFileIsDirectoryError with an action, zero requests`, async () => {
      const dir = join(org.cwd, `a-folder${flag}`);
      mkdirSync(dir, { recursive: true });
      const certFile = join(org.cwd, 'some.crt');
      writeFileSync(certFile, 'not read');
      const args = flag === '--certificate-file' ? [flag, dir] : ['--certificate-file', certFile, flag, dir];
      const requests = requestsDuring();
      const res = await org.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', ...args, '--json']);
      assert.equal(res.code, 1, res.stdout + res.stderr);
      assert.equal(res.json?.name, 'InputFileIsDirectoryError');
      assert.match(res.json?.message ?? '', new RegExp(`${flag}[\\s\\S]*a-folder${flag}`));
      assert.ok((res.json?.actions ?? []).length > 0);
      assert.equal(requests(), 0);
    });
  }

  it('a missing --certificate-file: InputFileMissingError', async () => {
    const res = await org.run(['anzenna', 'setup', '-o', 'emu', '--certificate-file', join(org.cwd, 'nope.pem'), '--json']);
    assert.equal(res.json?.name, 'InputFileMissingError');
    assert.ok((res.json?.actions ?? []).length > 0);
  });

  it('a 300-character --integration-user-email is reported under that flag, not as the contact email', async () => {
    const email = `${'a'.repeat(288)}@example.com`;
    assert.equal(email.length, 300);
    const requests = requestsDuring();
    const res = await org.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--integration-user-email', email, '--json']);
    assert.equal(res.json?.name, 'InvalidEmailError');
    assert.match(res.json?.message ?? '', /^--integration-user-email: /);
    assert.doesNotMatch(res.json?.message ?? '', /contact/i);
    assert.match(res.json?.message ?? '', /254/);
    assert.equal(requests(), 0);
    assert.deepEqual(
      readdirSync(org.cwd).filter((n) => n.startsWith('anzenna-jwt')),
      [],
      'no key pair written'
    );
  });
});
