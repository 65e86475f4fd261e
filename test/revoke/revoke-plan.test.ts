/** The revocation plan (plan/revoke.ts) and the connection state (status): pure functions, tested as they are. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatRevokePlan, planRevoke, type RevokeSnapshot } from '../../plugin/src/plan/revoke.js';
import { connectionOf } from '../../plugin/src/status/run-status.js';

const org = (over: Partial<RevokeSnapshot> = {}): RevokeSnapshot => ({
  appName: 'Anzenna',
  appPolicy: { isEnabled: 'true', isOauthPluginEnabled: 'true' },
  tokenCount: 2,
  appExists: true,
  appInUsage: true,
  username: 'int@acme.example',
  userExists: true,
  userActive: true,
  ourPermissionSets: ['Event_Monitoring_Access', 'Anzenna_View_All_Data'],
  ...over,
});

describe('planRevoke', () => {
  it('disables, revokes tokens, removes each of our permission sets, in that order; the user stays', () => {
    const plan = planRevoke(org(), { deactivateUser: false });
    assert.deepEqual(plan.map((a) => `${a.kind} ${a.target}`), [
      'disable-app Anzenna',
      'revoke-tokens Anzenna',
      'revoke-permission-set Event_Monitoring_Access',
      'revoke-permission-set Anzenna_View_All_Data',
    ]);
    assert.deepEqual(plan[1].changes, [{ field: 'OAuth tokens', from: '2', to: '0' }]);
  });

  it('deletes the app only with --delete-app, after its tokens and assignments', () => {
    assert.ok(!planRevoke(org(), { deactivateUser: false }).some((a) => a.kind === 'delete-app'));
    const plan = planRevoke(org(), { deactivateUser: true, deleteApp: true });
    assert.deepEqual(plan.map((a) => a.kind).slice(-2), ['delete-app', 'deactivate-user']);
    assert.match(plan.at(-2)?.reason ?? '', /new consumer key/);
  });

  it('deactivates only when asked, and only an active user', () => {
    assert.equal(planRevoke(org(), { deactivateUser: true }).at(-1)?.kind, 'deactivate-user');
    assert.ok(!planRevoke(org({ userActive: false }), { deactivateUser: true }).some((a) => a.kind === 'deactivate-user'));
  });

  it('plans only what is left: a disabled app with no tokens and no assignments is nothing to do', () => {
    const done = org({ appPolicy: { isEnabled: 'false', isOauthPluginEnabled: 'false' }, tokenCount: 0, ourPermissionSets: [] });
    assert.deepEqual(planRevoke(done, { deactivateUser: false }), []);
    assert.deepEqual(formatRevokePlan([]), ['No changes: the integration is already revoked.']);
    const half = planRevoke(org({ appPolicy: { isEnabled: 'false', isOauthPluginEnabled: 'true' } }), { deactivateUser: false });
    assert.deepEqual(half[0].changes.map((c) => c.field), ['isOauthPluginEnabled']);
  });

  it('still revokes when the token count is unknown, and says so', () => {
    const plan = planRevoke(org({ tokenCount: undefined }), { deactivateUser: false });
    assert.equal(plan.find((a) => a.kind === 'revoke-tokens')?.changes[0].from, 'unknown');
  });
});

describe('connectionOf (status)', () => {
  const ok = { loginTime: '2026-12-06T03:00:00.000Z', status: 'Success', sourceIp: '10.0.0.5' };
  const bad = { loginTime: '2026-12-06T04:00:00.000Z', status: 'Restricted IP', sourceIp: '10.9.9.9' };
  it('never, connected, failing: by the latest attempt; the last success is kept', () => {
    assert.equal(connectionOf([]).state, 'never');
    assert.deepEqual(connectionOf([ok]), { state: 'connected', lastLoginAt: ok.loginTime, lastLoginIp: '10.0.0.5', recentFailures: [] });
    const failing = connectionOf([bad, ok]);
    assert.equal(failing.state, 'failing');
    assert.equal(failing.lastLoginIp, '10.0.0.5');
    assert.deepEqual(failing.recentFailures, [{ time: bad.loginTime, status: 'Restricted IP' }]);
    assert.equal(connectionOf([ok, bad]).state, 'connected');
  });
});
