/** The rotation plan is data (plan/rotation.ts): what each way of rotating does, in order, and how it reads. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { cutOverPlan, finishPlan, formatRotationPlan, parallelAppPlan } from '../../plugin/src/plan/rotation.js';
import { backupDirFor } from '../../plugin/src/rotate/certificate.js';
import { parallelAppName } from '../../plugin/src/rotate/parallel.js';

describe('rotation plan', () => {
  it('cut-over: backup, new pair, certificate, proof; a vendor certificate has no pair and no proof', () => {
    const base = { appName: 'Anzenna', fromSha256: 'AA', toSha256: 'BB', backupDir: '/d/backup-x' };
    const full = cutOverPlan({ ...base, newPair: { privateKeyPath: '/d/anzenna.key', certificatePath: '/d/anzenna.crt' }, proveAs: 'u@x' });
    assert.deepEqual(full.map((a) => a.kind), ['back-up-key-pair', 'write-key-pair', 'deploy-certificate', 'prove-login']);
    assert.deepEqual(full[2].changes, [{ field: 'certificate (SHA-256)', from: 'AA', to: 'BB' }]);
    assert.deepEqual(cutOverPlan(base).map((a) => a.kind), ['back-up-key-pair', 'deploy-certificate']);
    const lines = formatRotationPlan(full);
    assert.ok(lines.includes('    certificate (SHA-256): AA → BB'), lines.join('\n'));
  });

  it('parallel app and finish', () => {
    const plan = parallelAppPlan({ appName: 'Anzenna', newAppName: 'Anzenna_20261206', toSha256: 'BB', preAuthorized: ['Anzenna Integration', 'Event_Monitoring_Access'] });
    assert.deepEqual(plan.map((a) => a.kind), ['deploy-parallel-app']);
    assert.equal(plan[0].changes[1].to, 'Anzenna Integration, Event_Monitoring_Access');
  });

  it('finish: switched off and its tokens revoked, then (--delete-app) deleted; nothing already done is planned again', () => {
    const facts = { oldAppName: 'Anzenna', newAppName: 'Anzenna_20261206', deleteApp: false, appPolicy: { isEnabled: 'true', isOauthPluginEnabled: 'true' }, appInUsage: true, tokenCount: 2 };
    const plan = finishPlan(facts);
    assert.deepEqual(plan.map((a) => a.kind), ['disable-app', 'revoke-tokens']);
    assert.deepEqual(plan[0].changes.map((c) => `${c.field}:${c.from}->${c.to}`), ['isEnabled:true->false', 'isOauthPluginEnabled:true->false']);
    assert.deepEqual(plan[1].changes, [{ field: 'OAuth tokens', from: '2', to: '0' }]);
    assert.deepEqual(finishPlan({ ...facts, deleteApp: true }).map((a) => a.kind), ['disable-app', 'revoke-tokens', 'delete-app']);
    assert.deepEqual(finishPlan({ ...facts, appPolicy: { isEnabled: 'false', isOauthPluginEnabled: 'false' }, tokenCount: 0 }), []);
    assert.equal(finishPlan({ ...facts, tokenCount: undefined })[1].changes[0].from, 'unknown');
    const lines = formatRotationPlan(finishPlan({ ...facts, deleteApp: true }));
    assert.match(lines.join('\n'), /revoke every OAuth token of Anzenna[\s\S]*- delete the External Client App Anzenna/);
  });

  it('names: the dated app and the dated backup folder are UTC', () => {
    const at = new Date('2026-12-31T23:59:58.123Z');
    assert.equal(parallelAppName('Anzenna', at), 'Anzenna_20261231');
    assert.equal(parallelAppName('Anzenna_20260601', at), 'Anzenna_20261231', 'a rotated app rotates to a new date, not a longer name');
    assert.equal(backupDirFor('/d', at), '/d/backup-20261231T235958Z');
  });
});
