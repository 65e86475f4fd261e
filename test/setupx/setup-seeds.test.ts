/**
 * Setup's inputs from the vendor guides, end to end against the emulator: the vendor's certificate by URL,
 * the integration profile's login IP ranges (inside and outside), and a refreshed sandbox.
 */
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import { certificate, expectCheck, verify } from '../verify/helpers.js';

const PROFILE = 'Anzenna Integration';
const orgs: EmulatedOrg[] = [];
async function org(edition: 'Developer' | 'Sandbox' = 'Developer'): Promise<EmulatedOrg> {
  const o = await emulatedOrg({ edition });
  orgs.push(o);
  return o;
}
after(async () => Promise.all(orgs.map((o) => o.close())));

const checkOf = (r: SetupResult | undefined, id: string) => r?.checks.find((c) => c.id === id);
const deploys = (o: EmulatedOrg): number => o.emu.requestLog.filter((r) => r.operation === 'deploy').length;
const profileRanges = (o: EmulatedOrg): unknown => o.emu.scenario.appField('Profile', PROFILE, 'loginIpRanges');
const asList = (value: unknown): Array<Record<string, unknown>> => (Array.isArray(value) ? value : value ? [value] : []) as Array<Record<string, unknown>>;

describe('setup --certificate-url', () => {
  const pem = certificate(365);
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => res.end(req.url === '/cert.pem' ? pem : '<html>login page</html>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => new Promise((resolve) => server.close(resolve)));

  it("deploys the downloaded vendor certificate (no key here: the vendor's login is theirs)", async () => {
    const o = await org();
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--certificate-url', `${base}/cert.pem`, '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result;
    assert.equal(r?.keyMode, 'vendor');
    assert.equal(r?.certificateSha256, new X509Certificate(pem).fingerprint256);
    assert.equal(checkOf(r, 'jwt.login')?.status, 'skip');
    const deployed = String(o.emu.scenario.appField('ExtlClntAppGlobalOauthSettings', 'Anzenna_glbloauth', 'certificate'));
    assert.equal(new X509Certificate(deployed).fingerprint256, new X509Certificate(pem).fingerprint256);
  });

  it('refuses a download that is not PEM, an insecure URL and both sources, before any change', async () => {
    const o = await org();
    const notPem = await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--certificate-url', `${base}/login`, '--json']);
    assert.equal(notPem.code, 1);
    assert.equal((notPem.json as { name?: string } | undefined)?.name, 'CertificateNotPemError');
    const insecure = await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--certificate-url', 'http://vendor.invalid/cert.pem', '--json']);
    assert.equal((insecure.json as { name?: string } | undefined)?.name, 'CertificateUrlInsecureError');
    const both = await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--certificate-url', `${base}/cert.pem`, '--certificate-file', import.meta.filename, '--json']);
    assert.notEqual(both.code, 0);
    assert.match(both.stdout + both.stderr, /certificate-file/);
    assert.equal(o.emu.requestLog.length, 0, 'not one request reached the org');
  });
});

describe('setup --allowed-ip-range', () => {
  it('refuses a range whose start comes after its end before any request', async () => {
    const o = await org();
    const res = await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--allowed-ip-range', '10.0.0.9-10.0.0.1', '--json']);
    assert.equal(res.code, 1);
    assert.equal((res.json as { name?: string } | undefined)?.name, 'InvalidIpRangeError');
    assert.match(res.stdout, /10\.0\.0\.9 comes after the end 10\.0\.0\.1/);
    assert.equal(o.emu.requestLog.length, 0);
  });

  it('sets the profile ranges; a login from inside proves, the plan shows a change, verify checks them', async () => {
    const o = await org();
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--allowed-ip-range', '127.0.0.1-127.0.0.1', '--allowed-ip-range', '198.51.100.0-198.51.100.255', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.equal(checkOf(res.json?.result, 'jwt.login')?.status, 'pass');
    assert.deepEqual(asList(profileRanges(o)).map((r) => `${String(r.startAddress)}-${String(r.endAddress)}`).sort(), ['127.0.0.1-127.0.0.1', '198.51.100.0-198.51.100.255']);

    // Another range set: the dry run's plan names the change, from → to.
    const dry = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--dry-run', '--allowed-ip-range', '127.0.0.1-127.0.0.9', '--json']);
    const changes = (dry.json?.result?.plan ?? []).flatMap((a) => a.changes);
    assert.deepEqual(changes.filter((c) => c.field.endsWith('loginIpRanges')), [
      { field: `Profile ${PROFILE}: loginIpRanges`, from: '127.0.0.1-127.0.0.1, 198.51.100.0-198.51.100.255', to: '127.0.0.1-127.0.0.9' },
    ]);

    expectCheck(await verify(o), 'user.loginIpRanges', 'pass', /127\.0\.0\.1-127\.0\.0\.1/);
    expectCheck(await verify(o, ['--allowed-ip-range', '127.0.0.1-127.0.0.9']), 'user.loginIpRanges', 'fail', /configured: 127\.0\.0\.1-127\.0\.0\.9/, /--allowed-ip-range|allowedIpRanges/);
    o.emu.scenario.setProfileLoginIpRanges(PROFILE, []);
    expectCheck(await verify(o), 'user.loginIpRanges', 'warn', /no login IP ranges/, /--allowed-ip-range/);
  });

  it('reports the proof as skipped, not failed, when setup runs from outside the ranges', async () => {
    const o = await org();
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--allowed-ip-range', '203.0.113.0-203.0.113.255', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const login = checkOf(res.json?.result, 'jwt.login');
    assert.equal(login?.status, 'skip');
    assert.match(login?.message ?? '', /outside the integration profile's login IP ranges \(203\.0\.113\.0-203\.0\.113\.255\)/);
    // The org refused it for the address: the emulator logged the attempt as Salesforce does.
    assert.ok(res.json?.result?.eventLogs, 'the event logs were still read (as the admin)');

    // verify from the same place: its live login is skipped for the same reason, not failed, and the event
    // logs are still read (as the admin), so the run passes.
    const run = await verify(o, ['--allowed-ip-range', '203.0.113.0-203.0.113.255']);
    const live = expectCheck(run, 'live.jwt', 'skip');
    assert.match(live.reason ?? '', /outside the integration profile's login IP ranges/);
    expectCheck(run, 'live.eventLogs', 'pass');
    assert.equal(run.result.summary.fail, 0, JSON.stringify(run.result.checks.filter((c) => c.status === 'fail')));
    assert.equal(run.code, 0);
  });
});

describe('setup in a refreshed sandbox', () => {
  it('redeploys the missing app with a new consumer key and finds the suffixed user instead of creating one', async () => {
    const o = await org('Sandbox');
    const user = 'vendor-int@acme.example';
    const first = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--integration-user', user, '--json']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const oldKey = first.json?.result?.consumerKey;

    o.emu.scenario.refreshSandbox('dev');
    await o.emu.writeAdminAuth(o.home, 'emu', o.emu.adminUsername);
    const usersBefore = o.emu.state.table('User').length;

    const second = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--integration-user', user, '--json']);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    const r = second.json?.result;
    assert.equal(r?.username, `${user}.dev`);
    assert.equal(o.emu.state.table('User').length, usersBefore, 'no second integration user');
    assert.notEqual(r?.consumerKey, oldKey);
    assert.match(checkOf(r, 'app.redeployed')?.message ?? '', /NEW consumer key/);
    assert.match(checkOf(r, 'user.sandboxCopy')?.message ?? '', /vendor-int@acme\.example\.dev/);
    assert.match(checkOf(r, 'user.email')?.message ?? '', /\.invalid/);
    assert.equal(checkOf(r, 'jwt.login')?.status, 'pass', 'the reused key pair logs in with the new key');
    assert.ok(deploys(o) > 0);

    const v = await verify(o, ['--integration-user', user]);
    expectCheck(v, 'user.exists', 'pass', /vendor-int@acme\.example\.dev/);
    expectCheck(v, 'live.jwt', 'pass');
    expectCheck(v, 'user.emailDeliverable', 'warn', /\.invalid/, /Edit > Email/);
  });
});
