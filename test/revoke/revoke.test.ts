/**
 * `sf anzenna revoke` end to end against the emulator: --dry-run leaves the org unchanged; a production org
 * without a terminal refuses; revoke disables the app, ends the vendor's live session and takes back our
 * permission sets while the user stays active; a later setup restores it with the same consumer key and the
 * vendor's JWT login works again; --deactivate-user goes further.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { RevokeResult } from '../../plugin/src/revoke/run-revoke.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import { tempDir } from '../helpers/cli.js';
import { interruptAt, interruptedLine, oursIn } from '../helpers/interrupt.js';
import { vendorLogin, vendorOrg, type VendorOrg } from '../status/helpers.js';

const APP_POLICY = ['ExtlClntAppConfigurablePolicies', 'Anzenna_defaultPolicy'] as const;

describe('sf anzenna revoke', () => {
  let v: VendorOrg;
  let accessToken: string;
  before(async () => {
    v = await vendorOrg();
    const login = await vendorLogin(v);
    assert.equal(login.status, 200);
    accessToken = login.body.access_token;
  });
  after(() => v?.o.close());

  const revoke = (args: string[]): ReturnType<VendorOrg['o']['run']> => v.o.run<RevokeResult>(['anzenna', 'revoke', '-o', 'emu', ...args]);
  const apiStatus = async (token: string): Promise<number> =>
    (await fetch(`${v.o.emu.url}/services/data/v66.0/sobjects`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('--dry-run shows the plan and leaves the org unchanged', async () => {
    const before = v.o.snapshot();
    const res = await revoke(['--dry-run', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const result = res.json?.result as RevokeResult;
    assert.deepEqual(result.plan.map((a) => a.kind), ['disable-app', 'revoke-tokens', 'revoke-permission-set']);
    assert.deepEqual(result.plan[0].changes.map((c) => `${c.field}:${c.from}->${c.to}`), ['isEnabled:true->false', 'isOauthPluginEnabled:true->false']);
    assert.equal(result.plan[1].changes[0].from, '1');
    assert.equal(result.plan[2].target, 'Event_Monitoring_Access');
    assert.deepEqual(result.done, []);
    assert.equal(v.o.snapshot(), before, 'nothing changed');
    assert.equal(await apiStatus(accessToken), 200, 'the vendor session still works');
  });

  it('in a production org without a terminal, refuses without --no-prompt and changes nothing', async () => {
    const before = v.o.snapshot();
    const res = await revoke([]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /ConfirmationRequired|no terminal/);
    assert.equal(v.o.snapshot(), before);
  });

  it('disables the app, ends the vendor session, removes our permission sets, keeps the user active', async () => {
    const res = await revoke(['--no-prompt', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const result = res.json?.result as RevokeResult;
    assert.deepEqual(result.done.map((a) => a.kind), ['disable-app', 'revoke-tokens', 'revoke-permission-set']);
    assert.equal(result.consumerKey, v.consumerKey);
    assert.equal(result.userActive, true);
    assert.equal(v.o.emu.scenario.appField(...APP_POLICY, 'isEnabled'), 'false');
    assert.equal(await apiStatus(accessToken), 401, 'the live session ended at once');
    assert.equal((await vendorLogin(v)).status, 400, 'no new login');
    assert.equal(v.o.emu.scenario.userField(v.username, 'IsActive'), true);
    const again = await revoke(['--dry-run', '--json']);
    assert.deepEqual((again.json?.result as RevokeResult).plan, [], 'nothing left to revoke');
  });

  it('a later setup restores the integration with the same consumer key, and the vendor logs in again', async () => {
    const setup = await v.o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--certificate-file', v.certPath, '--no-prompt', '--json']);
    assert.equal(setup.code, 0, setup.stdout + setup.stderr);
    assert.equal(setup.json?.result?.consumerKey, v.consumerKey);
    assert.equal(v.o.emu.scenario.appField(...APP_POLICY, 'isEnabled'), 'true');
    const login = await vendorLogin(v);
    assert.equal(login.status, 200, JSON.stringify(login.body));
  });

  it('--deactivate-user also deactivates the user (kept for the audit trail)', async () => {
    const res = await revoke(['--deactivate-user', '--no-prompt', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const result = res.json?.result as RevokeResult;
    assert.equal(result.done.at(-1)?.kind, 'deactivate-user');
    assert.equal(result.userActive, false);
    assert.equal(v.o.emu.scenario.userField(v.username, 'IsActive'), false);
  });
});

describe('sf anzenna revoke --delete-app', () => {
  let v: VendorOrg;
  before(async () => {
    v = await vendorOrg();
  });
  after(() => v?.o.close());

  it('deletes the app; a later setup makes a new app with a new consumer key, which works', async () => {
    const res = await v.o.run<RevokeResult>(['anzenna', 'revoke', '-o', 'emu', '--delete-app', '--no-prompt', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.equal((res.json?.result as RevokeResult).done.at(-1)?.kind, 'delete-app');
    assert.throws(() => v.o.emu.scenario.appFields('ExternalClientApplication', 'Anzenna'), 'the app is gone');
    assert.throws(() => v.o.emu.scenario.appFields('ExtlClntAppGlobalOauthSettings', 'Anzenna_glbloauth'), 'its settings too');
    assert.equal((await vendorLogin(v)).status, 400);
    const setup = await v.o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--certificate-file', v.certPath, '--no-prompt', '--json']);
    assert.equal(setup.code, 0, setup.stdout + setup.stderr);
    const newKey = setup.json?.result?.consumerKey ?? '';
    assert.ok(newKey.length > 0 && newKey !== v.consumerKey, 'a new consumer key');
    const login = await vendorLogin({ ...v, consumerKey: newKey });
    assert.equal(login.status, 200, JSON.stringify(login.body));
  });
});

describe('sf anzenna revoke, where revoking the tokens leaves JWT access tokens alive (UNVERIFIED behaviour)', () => {
  let v: VendorOrg;
  before(async () => {
    v = await vendorOrg();
  });
  after(() => v?.o.close());

  it('counts the tokens again, says how many are left and how to end them; --deactivate-user does', async () => {
    const login = await vendorLogin(v);
    assert.equal(login.status, 200);
    v.o.emu.scenario.setBehaviour({ revocationKeepsAccessTokens: true });
    const apiStatus = async (): Promise<number> =>
      (await fetch(`${v.o.emu.url}/services/data/v66.0/sobjects`, { headers: { authorization: `Bearer ${login.body.access_token}` } })).status;

    const res = await v.o.run<RevokeResult>(['anzenna', 'revoke', '-o', 'emu', '--no-prompt', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const result = res.json?.result as RevokeResult;
    assert.equal(result.tokensLeft, 1);
    assert.match(JSON.stringify(res.json?.warnings), /still lists 1 OAuth token\(s\) of Anzenna[^"]*--deactivate-user/);
    assert.equal(await apiStatus(), 200, 'the org kept the access token');

    const again = await v.o.run<RevokeResult>(['anzenna', 'revoke', '-o', 'emu', '--deactivate-user', '--no-prompt', '--json']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.deepEqual((again.json?.result as RevokeResult).done.map((a) => a.kind), ['revoke-tokens', 'deactivate-user']);
    assert.doesNotMatch(JSON.stringify(again.json?.warnings ?? []), /still lists/, 'no warning once the user is deactivated');
    assert.equal(await apiStatus(), 401, "the deactivated user's session ended");
  });
});

describe('sf anzenna revoke interrupted', () => {
  it('SIGINT while the app is being switched off: exit 130, one line, no temporary folder; the same command finishes', async () => {
    const v = await vendorOrg();
    const tmp = tempDir('tmp');
    try {
      v.o.emu.faults.deployMs = 120_000;
      const run = await interruptAt(v.o, ['anzenna', 'revoke', '-o', 'emu', '--no-prompt'], tmp, { afterOperation: 'deploy' });
      assert.equal(run.code, 130, run.stdout + run.stderr);
      assert.match(interruptedLine(run), /Interrupted \(SIGINT\)\. No step had finished\. A change already sent may still land in the org; running the same command again finishes the job/);
      assert.deepEqual(oursIn(tmp), [], 'the staged app policy is gone');
      // That deploy never lands; the re-run plans it again and finishes.
      assert.equal(v.o.emu.scenario.cancelRunningDeploys(), 1);
      v.o.emu.faults.deployMs = 0;
      const again = await v.o.run<RevokeResult>(['anzenna', 'revoke', '-o', 'emu', '--no-prompt', '--json'], { TMPDIR: tmp });
      assert.equal(again.code, 0, again.stdout + again.stderr);
      // No vendor login yet, so no token to revoke.
      assert.deepEqual((again.json?.result as RevokeResult).done.map((a) => a.kind), ['disable-app', 'revoke-permission-set']);
      assert.equal(v.o.emu.scenario.appField(...APP_POLICY, 'isEnabled'), 'false');
      assert.deepEqual(oursIn(tmp), []);
    } finally {
      await v.o.close();
    }
  });
});
