import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import { assignPermissionSet, checkpoint, expectCheck, integrationUser, INTEGRATION_USER, verify } from './helpers.js';

const orgs: EmulatedOrg[] = [];
after(async () => Promise.all(orgs.map((o) => o.close())));

/** A Developer org after `anzenna setup`, and a way back to that state after each scenario. */
async function setUpOrg(): Promise<{ o: EmulatedOrg; restore: () => void }> {
  const o = await emulatedOrg({ edition: 'Developer' });
  orgs.push(o);
  const setup = await o.run(['anzenna', 'setup', '-o', 'emu', '--json']);
  assert.equal(setup.code, 0, setup.stdout + setup.stderr);
  return { o, restore: checkpoint(o.emu) };
}

describe('sf anzenna verify checks the integration user', () => {
  let o: EmulatedOrg;
  let restore: () => void;
  before(async () => {
    ({ o, restore } = await setUpOrg());
  });

  it('reports an inactive user with the wrong profile, no licence, no permission set and dangerous permissions', async () => {
    const { emu } = o;
    const user = integrationUser(emu);
    user.IsActive = false;
    user.Email = 'someone.else@anzenna-emu.example';
    user.ProfileId = emu.state.profileByName('Standard User')?.Id;
    const psl = emu.state.table('PermissionSetLicenseAssign');
    psl.splice(0, psl.length, ...psl.filter((a) => a.AssigneeId !== user.Id));
    const ours = emu.state.permissionSetByName('Event_Monitoring_Access')?.Id;
    const assignments = emu.state.table('PermissionSetAssignment');
    assignments.splice(0, assignments.length, ...assignments.filter((a) => !(a.AssigneeId === user.Id && a.PermissionSetId === ours)));
    assignPermissionSet(emu, user.Id, 'Everything', ['ModifyAllData', 'ManageUsers']);
    try {
      const run = await verify(o);
      assert.equal(run.code, 1);
      expectCheck(run, 'user.exists', 'pass');
      expectCheck(run, 'user.active', 'fail', /inactive/, /select Active/);
      expectCheck(run, 'user.licence', 'fail', /"Salesforce" licence, not "Salesforce Integration"/, /--integration-user <new username>/);
      expectCheck(run, 'user.profile', 'fail', /"Standard User", not "Anzenna Integration".*not admin approved/, /Profile: "Anzenna Integration"/);
      expectCheck(run, 'user.permissionSetLicence', 'fail', /lacks the Salesforce API Integration permission set licence/, /Permission Set License Assignments/);
      expectCheck(run, 'user.permissionSet', 'fail', /lacks the permission set\(s\) Event_Monitoring_Access/, /Permission Set Assignments > Edit Assignments/);
      expectCheck(run, 'user.eventLogAccess', 'fail', /lacks View Event Log Files/, /Event_Monitoring_Access/);
      expectCheck(run, 'user.dangerousPermissions', 'fail', /ModifyAllData \(from permission set Everything\), ManageUsers \(from permission set Everything\)/, /remove the permission sets/);
      // No email given: the one the integration was set up with is the user's own, shown, not compared with the admin's.
      expectCheck(run, 'user.email', 'pass', /someone\.else@anzenna-emu\.example: the vendor's admin email must be this one/);
      expectCheck(run, 'live.jwt', 'fail', /inactive/, /Activate/);
      expectCheck(run, 'live.eventLogs', 'skip', /live\.jwt/);
    } finally {
      restore();
    }
  });

  it('warns about View All Data that does not come from the opt-in permission set', async () => {
    assignPermissionSet(o.emu, integrationUser(o.emu).Id, 'Broad_Read', ['ViewAllData']);
    try {
      const run = await verify(o);
      assert.equal(run.code, 0, 'a warning only');
      expectCheck(run, 'user.dangerousPermissions', 'warn', /View All Data \(from permission set Broad_Read\)/, /--view-all-data/);
    } finally {
      restore();
    }
  });

  it('fails a user that does not exist, and skips what depends on it', async () => {
    const run = await verify(o, ['--integration-user', 'nobody@anzenna-emu.example']);
    expectCheck(run, 'user.exists', 'fail', /no user nobody@anzenna-emu\.example/, /--integration-user/);
    for (const id of ['user.active', 'user.licence', 'user.profile', 'user.permissionSet', 'user.eventLogAccess', 'user.email']) {
      expectCheck(run, id, 'skip', /user\.exists/);
    }
    expectCheck(run, 'live.jwt', 'fail', /JWT bearer login failed/);
    expectCheck(run, 'app.permittedUsers', 'pass');
  });
});

describe('sf anzenna verify live checks and event logs', () => {
  let o: EmulatedOrg;
  let restore: () => void;
  before(async () => {
    ({ o, restore } = await setUpOrg());
  });

  it('warns (and fails with --strict) on free types only, a damaged header, clock skew and an unused app', async () => {
    const { emu } = o;
    const free = new Set(['Login', 'Logout', 'ApiTotalUsage']);
    const files = emu.state.table('EventLogFile');
    files.splice(0, files.length, ...files.filter((f) => free.has(String(f.EventType))));
    for (const f of files) f.LogFileFieldNames = 'EVENT_TYPE,SOMETHING_ELSE';
    emu.faults.clockOffsetMs = 60_000;
    for (const [token, s] of emu.state.sessions) if (s.app) emu.state.sessions.delete(token);
    try {
      const run = await verify(o);
      expectCheck(run, 'org.addOn', 'warn', /Only the free event types have files \(ApiTotalUsage, Login, Logout\)/, /Event Monitoring add-on/);
      expectCheck(run, 'live.eventLogs', 'warn', /2 of 8 vendor event types have files/, /add-on/);
      expectCheck(run, 'live.logFile', 'warn', /does not match LogFileFieldNames/, /vendor/);
      expectCheck(run, 'live.clockSkew', 'warn', /(59|60|61) s behind the org's/, /NTP/);
      expectCheck(run, 'live.tokens', 'warn', /has not connected/, /Connected/);
      expectCheck(run, 'live.jwt', 'pass');
      assert.equal(run.result.summary.fail, 0, run.result.checks.filter((c) => c.status === 'fail').map((c) => c.message).join('\n'));
      assert.equal(run.code, 0);

      const strict = await verify(o, ['--strict']);
      assert.equal(strict.code, 1);
      expectCheck(strict, 'live.tokens', 'pass', new RegExp(`issued to ${INTEGRATION_USER}, last used`));
    } finally {
      restore();
    }
  });

  it("logs in again once when the integration user's session ends right after its JWT login, and reads the logs", async () => {
    // The admin's session ends too and sf refreshes it through the same token endpoint, so the integration
    // user's JWT logins are counted in LoginHistory, not as token requests.
    const userId = integrationUser(o.emu).Id;
    const logins = (): number => o.emu.state.table('LoginHistory').filter((r) => r.UserId === userId && r.Status === 'Success').length;
    const before = logins();
    o.emu.faults.expireSessionsAfter('token');
    try {
      const run = await verify(o);
      expectCheck(run, 'live.jwt', 'pass');
      expectCheck(run, 'live.eventLogs', 'pass');
      assert.equal(logins() - before, 2, 'one JWT login, then one more after the session ended');
      assert.equal(run.code, 0, run.stdout);
    } finally {
      restore();
    }
  });

  it('warns when there are no log files at all, and fails a clock so far off that assertions arrive expired', async () => {
    const files = o.emu.state.table('EventLogFile');
    files.splice(0, files.length);
    o.emu.faults.clockOffsetMs = 200_000;
    try {
      const run = await verify(o);
      expectCheck(run, 'org.retention', 'warn', /no event log files yet/, /can be created within three days/);
      expectCheck(run, 'org.addOn', 'skip', /org\.retention/);
      expectCheck(run, 'live.clockSkew', 'fail', /already expired/, /NTP/);
      expectCheck(run, 'live.jwt', 'fail', /clock is off/, /Synchronise this machine's clock/);
      expectCheck(run, 'live.logFile', 'skip');
    } finally {
      restore();
    }
  });
});

describe('sf anzenna verify on orgs that are not set up', () => {
  it('fails Professional Edition once, without piling up event log failures', async () => {
    const o = await emulatedOrg({ edition: 'Professional' });
    orgs.push(o);
    const run = await verify(o);
    assert.equal(run.code, 1);
    expectCheck(run, 'org.edition', 'fail', /Professional Edition org, which has no Event Monitoring/, /Enterprise Edition with the Event Monitoring add-on/);
    expectCheck(run, 'org.retention', 'skip', /see org\.edition/);
    expectCheck(run, 'live.eventLogs', 'skip', /see org\.edition/);
  });

  it('reports an Enterprise org without the app, the user or the add-on', async () => {
    const o = await emulatedOrg({ edition: 'Enterprise' });
    orgs.push(o);
    const run = await verify(o);
    assert.equal(run.code, 1);
    expectCheck(run, 'org.edition', 'pass', /add-on/);
    expectCheck(run, 'org.addOn', 'warn', /Only the free event types/, /account executive/);
    expectCheck(run, 'app.exists', 'fail', /no External Client App named Anzenna/, /sf anzenna setup --target-org/);
    expectCheck(run, 'app.scopes', 'skip', /app\.exists/);
    expectCheck(run, 'user.exists', 'fail');
    expectCheck(run, 'live.jwt', 'skip', /No private key/);
    assert.equal(o.emu.requestLog.filter((r) => r.operation === 'deploy' || r.operation === 'create').length, 0);
  });

  it('stops with a named error when the org cannot be queried (authorization expired)', async () => {
    const o = await emulatedOrg({ edition: 'Developer' });
    orgs.push(o);
    o.emu.expireSessions();
    o.emu.state.refreshTokens.clear();
    const res = await runCli(['anzenna', 'verify', '-o', 'emu', '--json'], { home: o.home, cwd: o.cwd });
    assert.equal(res.code, 1, res.stdout);
    assert.equal(res.json?.name, 'OrgUnreachableError');
    assert.match((res.json?.actions ?? []).join('\n'), /sf org display --target-org emu"/);
  });
});
