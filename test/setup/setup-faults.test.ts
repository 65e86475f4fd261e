import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSelfSignedCertificate, privateKeyPem } from '../../plugin/src/cert/index.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import { runCli, tempDir } from '../helpers/cli.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';

const INTEGRATION_USER = 'anzenna-integration@anzenna-emu.example';

const orgs: EmulatedOrg[] = [];
async function org(extra: Parameters<typeof emulatedOrg>[0] = {}): Promise<EmulatedOrg> {
  const o = await emulatedOrg({ edition: 'Developer', ...extra });
  orgs.push(o);
  return o;
}
after(async () => Promise.all(orgs.map((o) => o.close())));

function writePair(dir: string, options: { days?: number; start?: Date; bits?: number; mismatched?: boolean } = {}): { cert: string; key: string } {
  const pair = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const certPem = createSelfSignedCertificate({ ...pair, subject: { commonName: 'test' }, validityDays: options.days ?? 30, now: options.start });
  const keyObject = options.mismatched ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : pair.privateKey;
  const cert = join(dir, `c-${Math.random().toString(36).slice(2)}.crt`);
  const key = join(dir, `k-${Math.random().toString(36).slice(2)}.key`);
  writeFileSync(cert, certPem);
  writeFileSync(key, privateKeyPem(keyObject, 'pkcs8'), { mode: 0o600 });
  return { cert, key };
}

function nothingWritten(o: EmulatedOrg): void {
  assert.equal(o.emu.requestLog.filter((r) => r.operation === 'deploy').length, 0, 'no deploy');
  assert.equal(o.emu.state.userByUsername(INTEGRATION_USER), undefined, 'no user');
}

describe('sf anzenna setup refuses bad input before the first deploy', () => {
  const cases: Array<[string, (o: EmulatedOrg) => string[], string]> = [
    ['an expired certificate', (o) => ['--certificate-file', writePair(o.cwd, { days: 1, start: new Date(Date.now() - 5 * 86_400_000) }).cert], 'CertificateExpiredError'],
    [
      'a key that does not match the certificate',
      (o) => {
        const p = writePair(o.cwd, { mismatched: true });
        return ['--certificate-file', p.cert, '--private-key-file', p.key];
      },
      'KeyCertificateMismatchError',
    ],
    [
      'a file that is not PEM',
      (o) => {
        const f = join(o.cwd, 'cert.der');
        writeFileSync(f, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
        return ['--certificate-file', f];
      },
      'CertificateNotPemError',
    ],
    ['a 1024-bit certificate', (o) => ['--certificate-file', writePair(o.cwd, { bits: 1024 }).cert], 'CertificateKeyTooSmallError'],
    ['a bad email', () => ['--integration-user-email', 'not-an-email'], 'InvalidEmailError'],
    ['a bad username', () => ['--integration-user', 'no at sign'], 'InvalidUsernameError'],
    ['a bad app name', () => ['--app-name', 'Bad-Name'], 'InvalidAppNameError'],
  ];
  for (const [what, args, name] of cases) {
    it(`refuses ${what} with ${name}`, async () => {
      const o = await org();
      const res = await o.run(['anzenna', 'setup', '-o', 'emu', ...args(o), '--json']);
      assert.equal(res.code, 1, res.stdout);
      assert.equal(res.json?.name, name);
      assert.ok((res.json?.actions?.length ?? 0) > 0, 'says what to do');
      nothingWritten(o);
    });
  }

  it('refuses an unknown alias', async () => {
    const o = await org();
    const res = await o.run(['anzenna', 'setup', '-o', 'nope', '--json']);
    assert.notEqual(res.code, 0);
    assert.match(res.json?.name ?? '', /NamedOrgNotFound|NoAuthInfoFound/);
    assert.equal(o.emu.requestLog.length, 0);
  });
});

describe('sf anzenna setup when the org fails', () => {
  it('stops on a failed component with each problem listed, and creates no user', async () => {
    const o = await org();
    o.emu.faults.failComponent('Anzenna', 'ExternalClientApplication', 'Invalid plugin settings');
    const res = await o.run(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(res.code, 1, res.stdout);
    assert.equal(res.json?.name, 'DeployFailedError');
    assert.match(res.json?.message ?? '', /ExternalClientApplication Anzenna: Invalid plugin settings/);
    assert.equal(o.emu.state.userByUsername(INTEGRATION_USER), undefined);
    assert.equal(o.emu.state.metadata.get('ExternalClientApplication')?.size ?? 0, 0, 'the app deploy rolled back');

    // The problem fixed, a re-run finishes the job.
    o.emu.faults.clear();
    const again = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.ok(o.emu.state.userByUsername(INTEGRATION_USER));
  });

  it('waits for a consumer key that propagates within --wait', async () => {
    const o = await org();
    o.emu.faults.propagationRequests = 1; // the first login finds the key not yet active
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--wait', '1', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const tokenCalls = o.emu.requestLog.filter((r) => r.path === '/services/oauth2/token');
    assert.ok(tokenCalls.length >= 2, `retried the login (${tokenCalls.length} token calls)`);
    assert.equal(tokenCalls.at(-1)?.status, 200);
  });

  it('fails with ConsumerKeyNotPropagatedError beyond --wait, and a later run finishes', async () => {
    const o = await org();
    o.emu.faults.propagationRequests = 1000;
    const res = await o.run(['anzenna', 'setup', '-o', 'emu', '--wait', '0', '--json']);
    assert.equal(res.code, 1, res.stdout);
    assert.equal(res.json?.name, 'ConsumerKeyNotPropagatedError');
    assert.match(res.json?.actions?.join(' ') ?? '', /--wait/);
    o.emu.faults.propagationRequests = 0; // the key has propagated
    const again = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--wait', '0', '--json']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(again.json?.result?.changed, false);
  });

  it('rides out a 429 on a query', async () => {
    const o = await org();
    o.emu.faults.rateLimit(1, '/query');
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.ok(o.emu.requestLog.some((r) => r.status === 429), 'the 429 was served');
  });

  it('refreshes an admin session that expires mid-run', async () => {
    const o = await org();
    o.emu.faults.expireSessionsAfter('deploy'); // the session expires right after the first deploy request
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(o.emu.faults.expireAfter.length, 0, 'the session expired mid-run');
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.ok(o.emu.requestLog.some((r) => r.status === 401 || r.status === 500), 'the expired session was refused once');
  });

  it('names a connection dropped during the log download, and a re-run finishes', async () => {
    const o = await org();
    o.emu.faults.resetDownload(0, 10);
    // Short pauses between the download's tries (test-only), so the run does not wait out the real backoff.
    const res = await o.run(['anzenna', 'setup', '-o', 'emu', '--json'], { SF_ANZENNA_RETRY_BASE_MS: '5' });
    assert.equal(res.code, 1, res.stdout);
    assert.equal(res.json?.name, 'LogFileDownloadError');
    assert.match(res.json?.actions?.join(' ') ?? '', /run the command again/);
    o.emu.faults.clear();
    const again = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(again.json?.result?.changed, false, 'everything but the proof was already done');
  });
});

describe('sf anzenna setup in production without a terminal', () => {
  it('refuses to change a production org unconfirmed, and --no-prompt goes ahead', async () => {
    const o = await org();
    const refused = await o.run(['anzenna', 'setup', '-o', 'emu'], { CI: 'true' });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /ConfirmationRequired|production org/);
    assert.equal(o.emu.requestLog.filter((r) => r.operation === 'deploy').length, 0, 'nothing deployed');
    assert.equal(o.emu.state.userByUsername(INTEGRATION_USER), undefined);
    const ok = await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt'], { CI: 'true' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Consumer Key/);
  });
});

describe('sf anzenna setup keeps what it must not take away, and takes back what it must', () => {
  it('names a 429 on a record create (POSTs are not retried), and a re-run finishes', async () => {
    const o = await org();
    o.emu.faults.rateLimit(1, '/sobjects/PermissionSetAssignment', { method: 'POST' });
    const res = await o.run(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(res.code, 1, res.stdout);
    assert.equal(res.json?.name, 'ApiRequestLimitError');
    assert.match(res.json?.message ?? '', /assign the permission set Event_Monitoring_Access/);
    const again = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.deepEqual(again.json?.result?.changes.map((c) => c.action), ['assign permission set'], 'only what was missing');
  });

  it('refuses to replace the deployed certificate with a new pair when the key pair is not found', async () => {
    const o = await org();
    const first = await o.run(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const deploysBefore = o.emu.requestLog.filter((r) => r.operation === 'deploy').length;
    const elsewhere = await runCli(['anzenna', 'setup', '-o', 'emu', '--json'], { home: o.home, cwd: tempDir('elsewhere') });
    assert.equal(elsewhere.code, 1, elsewhere.stdout);
    assert.equal(elsewhere.json?.name, 'CertificateWouldBeReplacedError');
    assert.match(elsewhere.json?.actions?.join(' ') ?? '', /--output-dir/);
    assert.equal(o.emu.requestLog.filter((r) => r.operation === 'deploy').length, deploysBefore, 'nothing deployed');
  });

  it('removes the View All Data permission set from the user when the opt-in is switched off', async () => {
    const o = await org();
    const withIt = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--view-all-data', '--json']);
    assert.equal(withIt.code, 0, withIt.stdout + withIt.stderr);
    const user = o.emu.state.userByUsername(INTEGRATION_USER);
    assert.ok(user);
    assert.ok(o.emu.state.assignedPermissionSetNames(user.Id).includes('Anzenna_View_All_Data'));
    const without = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(without.code, 0, without.stdout + without.stderr);
    assert.ok(!o.emu.state.assignedPermissionSetNames(user.Id).includes('Anzenna_View_All_Data'), 'assignment removed');
    assert.ok(without.json?.result?.changes.some((c) => c.action === 'remove permission set'));
    const policy = [...(o.emu.state.metadata.get('ExtlClntAppOauthConfigurablePolicies')?.values() ?? [])][0];
    assert.doesNotMatch(String(policy?.data.commaSeparatedPermissionSet), /View_All_Data/, 'no longer pre-authorized');
  });

  it('refuses to take over a permission set of the same name that someone else made', async () => {
    const o = await org();
    o.emu.state.insert(
      'PermissionSet',
      { Name: 'Event_Monitoring_Access', Label: 'Event Monitoring Access', Description: 'Our SOC team', IsOwnedByProfile: false, IsCustom: true, NamespacePrefix: null, ProfileId: null, LicenseId: null, HasActivationRequired: false, Type: 'Regular', ...o.emu.state.permissionFields(['ApiEnabled', 'ViewEventLogFiles', 'RunReports']) },
      '0PS'
    );
    const res = await o.run(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(res.code, 1, res.stdout);
    assert.equal(res.json?.name, 'PermissionSetNameTakenError');
    assert.match(res.json?.actions?.join(' ') ?? '', /--app-name/);
    assert.equal(o.emu.requestLog.filter((r) => r.operation === 'deploy').length, 0, 'nothing deployed');
    assert.ok(o.emu.state.permissionsOf(o.emu.state.permissionSetByName('Event_Monitoring_Access')!).has('RunReports'), 'their permission set is untouched');
  });
});

