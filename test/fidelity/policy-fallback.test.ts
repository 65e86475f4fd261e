/**
 * Issue #8: an org that refuses to pre-authorize a permission set carrying the Salesforce API Integration
 * licence (emulator option rejectLicensedPermissionSetInPolicy, after KB 001453686). Setup recovers by
 * itself: the policy with the profile only, a warning saying what to check; the app is deployed, the JWT
 * login works, a re-run changes nothing and verify passes.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import { expectCheck, verify } from '../verify/helpers.js';

let o: EmulatedOrg | undefined;
after(async () => o?.close());

const status = (r: SetupResult | undefined, id: string): string | undefined => r?.checks.find((c) => c.id === id)?.status;

describe('the org refuses the licensed permission set in the OAuth policy (issue #8)', () => {
  it('setup deploys the policy with the profile only, warns, and stays stable; verify passes', async () => {
    o = await emulatedOrg({ edition: 'Developer', rejectLicensedPermissionSetInPolicy: true });
    const first = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const r = first.json?.result;
    const warning = r?.checks.find((c) => c.id === 'policy.permissionSets');
    assert.equal(warning?.status, 'warn');
    assert.match(warning?.message ?? '', /profile "Anzenna Integration" only/);
    assert.match(warning?.message ?? '', /Event_Monitoring_Access/);
    assert.match(warning?.message ?? '', /Salesforce API Integration licen/);
    assert.match(warning?.message ?? '', /Check that the integration user keeps that profile/);
    assert.equal(status(r, 'deploy.stage2'), 'pass');
    assert.equal(status(r, 'jwt.login'), 'pass');
    // The org holds the app, its policy pre-authorizing the profile alone.
    assert.equal(o.emu.scenario.appField('ExtlClntAppOauthConfigurablePolicies', 'Anzenna_oauth_defaultPolicy', 'commaSeparatedPermissionSet') ?? '', '');
    assert.equal(o.emu.scenario.appField('ExtlClntAppOauthConfigurablePolicies', 'Anzenna_oauth_defaultPolicy', 'commaSeparatedProfile'), 'Anzenna Integration');

    const deploysBefore = o.emu.requestLog.filter((q) => q.operation === 'deploy').length;
    const second = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.deepEqual(second.json?.result?.plan, []);
    assert.equal(o.emu.requestLog.filter((q) => q.operation === 'deploy').length, deploysBefore, 'no deploy on the re-run');
    assert.equal(status(second.json?.result, 'policy.permissionSets'), 'warn', 'the re-run says it again');

    const dir = join(o.cwd, 'anzenna-jwt');
    const run = await verify(o, ['-c', join(dir, 'anzenna.crt'), '-k', join(dir, 'anzenna.key')]);
    assert.equal(run.code, 0, JSON.stringify(run.result.checks.filter((c) => c.status === 'fail')));
    expectCheck(run, 'app.drift', 'pass');
    expectCheck(run, 'app.permittedUsers', 'pass');
    expectCheck(run, 'live.jwt', 'pass');
  });
});
