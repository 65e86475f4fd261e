/**
 * Issue #8: what the org cannot show (the certificate), what it normalises (isPkceRequired read back true)
 * and the 15-character orgScopedExternalApp are never drift: a second setup plans nothing, verify passes.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import { expectCheck, verify } from '../verify/helpers.js';

const orgs: EmulatedOrg[] = [];
after(async () => Promise.all(orgs.map((o) => o.close())));

async function setupTwiceThenVerify(options: Parameters<typeof emulatedOrg>[0]): Promise<Awaited<ReturnType<typeof verify>>> {
  const o = await emulatedOrg({ edition: 'Developer', ...options });
  orgs.push(o);
  const first = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const second = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.deepEqual(second.json?.result?.plan, [], JSON.stringify(second.json?.result?.plan));
  assert.equal(second.json?.result?.changed, false);
  assert.equal(second.json?.result?.checks.find((c) => c.id === 'jwt.login')?.status, 'pass');
  if (options?.certificateUnreadable) assert.equal(second.json?.result?.checks.find((c) => c.id === 'certificate.org')?.status, 'pass', 'setup says the login proved the hidden certificate');
  const dir = join(o.cwd, 'anzenna-jwt');
  const run = await verify(o, ['-c', join(dir, 'anzenna.crt'), '-k', join(dir, 'anzenna.key')]);
  assert.equal(run.code, 0, JSON.stringify(run.result.checks.filter((c) => c.status !== 'pass'), null, 1));
  expectCheck(run, 'app.drift', 'pass');
  expectCheck(run, 'live.jwt', 'pass');
  return run;
}

describe('read-back the org normalises or hides (issue #8)', () => {
  it('the default org: the 15-character orgScopedExternalApp is no drift', async () => {
    await setupTwiceThenVerify({});
  });
  it('--certificate-unreadable: a second setup changes nothing and verify passes', async () => {
    const run = await setupTwiceThenVerify({ certificateUnreadable: true });
    expectCheck(run, 'app.jwtEnabled', 'pass', /does not show the app's certificate, but the live JWT login/);
    expectCheck(run, 'certificate.valid', 'skip');
  });
  it('--pkce-always-on: a second setup changes nothing and verify passes', async () => {
    const run = await setupTwiceThenVerify({ pkceAlwaysOn: true });
    expectCheck(run, 'app.jwtEnabled', 'pass', /A certificate is uploaded/);
  });
});
