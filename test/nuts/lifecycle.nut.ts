/**
 * NUTs: the lifecycle commands through the real sf (the pinned CLI in test/sf-cli, this plugin linked), driven
 * by @salesforce/cli-plugins-testkit: after setup, `status` sees the connection setup's own proof made, `cert
 * rotate` replaces the certificate with the consumer key unchanged and verify passes with the new pair,
 * `revoke --dry-run` plans without changing anything, `revoke` takes the integration out of service, and setup
 * restores it with the same consumer key. Where they run: session.ts.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { execCmd } from '@salesforce/cli-plugins-testkit';
import type { EmulatorHandle } from '../../emulator/src/index.js';
import type { RevokeResult } from '../../plugin/src/revoke/run-revoke.js';
import type { RotateResult } from '../../plugin/src/rotate/result.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import type { StatusResult } from '../../plugin/src/status/run-status.js';
import type { VerifyResult } from '../../plugin/src/verify/types.js';
import { projectCopy, realOrg, startNutSession, type NutSession } from './session.js';

const appName = 'AnzennaLifeNut';

describe(`NUTs: status, cert rotate, revoke through sf (${realOrg ? 'real org' : 'offline emulator'})`, () => {
  let nut: NutSession | undefined;
  let emu: EmulatorHandle | undefined;
  let target = '';
  let consumerKey = '';

  before(async () => {
    nut = await startNutSession({ sourceDir: projectCopy('life-nut', appName), name: 'life-nut', scratchAlias: 'anzenna-life-nut', offlineAlias: 'life-nut-admin' });
    ({ target, emu } = nut);
    const setup = await execCmd<SetupResult>(`anzenna setup --target-org ${target} --json`, { async: true, ensureExitCode: 0 });
    consumerKey = setup.jsonOutput?.result?.consumerKey ?? '';
    assert.ok(consumerKey, 'setup handed over a consumer key');
  });

  after(async () => nut?.end());

  it('status sees the login setup proved', async () => {
    const res = await execCmd<StatusResult>(`anzenna status --target-org ${target} --json`, { async: true });
    const result = res.jsonOutput?.result;
    assert.ok(result, res.shellOutput.stderr);
    // UNVERIFIED on a real org which LoginHistory Application value an ECA login carries: only offline is it asserted.
    if (!realOrg) assert.equal(result.connection.state, 'connected');
    assert.ok((result.certificate.daysLeft ?? 0) > 300, 'a newly generated certificate');
  });

  it('cert rotate replaces the certificate, keeps the consumer key, and verify passes with the new pair', async () => {
    const res = await execCmd<RotateResult>(`anzenna cert rotate --target-org ${target} --json`, { async: true, ensureExitCode: 0 });
    const result = res.jsonOutput?.result;
    assert.equal(result?.proof, 'passed');
    assert.equal(result?.consumerKey, consumerKey);
    assert.notEqual(result?.certificateSha256, result?.previousCertificateSha256);
    assert.doesNotMatch(JSON.stringify(res.jsonOutput), /PRIVATE KEY/);
    const verify = await execCmd<VerifyResult>(`anzenna verify --target-org ${target} --json`, { async: true });
    const checks = verify.jsonOutput?.result?.checks ?? [];
    assert.equal(checks.find((c) => c.id === 'live.jwt')?.status, 'pass');
    assert.equal(checks.find((c) => c.id === 'certificate.matchesKey')?.status, 'pass');
  });

  it('revoke --dry-run plans and changes nothing', async () => {
    const before = emu?.scenario.snapshot();
    const res = await execCmd<RevokeResult>(`anzenna revoke --target-org ${target} --dry-run --json`, { async: true, ensureExitCode: 0 });
    assert.deepEqual(res.jsonOutput?.result?.plan.map((a) => a.kind).slice(0, 2), ['disable-app', 'revoke-tokens']);
    assert.deepEqual(res.jsonOutput?.result?.done, []);
    if (emu) assert.equal(emu.scenario.snapshot(), before);
  });

  it('revoke takes it out of service; setup restores it with the same consumer key', async () => {
    const res = await execCmd<RevokeResult>(`anzenna revoke --target-org ${target} --json`, { async: true, ensureExitCode: 0 });
    assert.ok(res.jsonOutput?.result?.done.some((a) => a.kind === 'disable-app'));
    assert.equal(res.jsonOutput?.result?.userActive, true, 'the user stays, for the audit trail');
    const verify = await execCmd<VerifyResult>(`anzenna verify --target-org ${target} --json`, { async: true });
    assert.equal(verify.jsonOutput?.result?.checks.find((c) => c.id === 'app.enabled')?.status, 'fail', 'verify sees the app switched off');
    const setup = await execCmd<SetupResult>(`anzenna setup --target-org ${target} --json`, { async: true, ensureExitCode: 0 });
    assert.equal(setup.jsonOutput?.result?.consumerKey, consumerKey);
    assert.equal(setup.jsonOutput?.result?.checks.find((c) => c.id === 'jwt.login')?.status, 'pass');
  });
});
