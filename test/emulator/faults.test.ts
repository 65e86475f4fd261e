/**
 * Fault injection and latency, observed through the real clients and the request log.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Connection } from '@salesforce/core';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import { adminOrg, deployProject, failuresOf, installEgressGuard, writeEcaProject, rejects } from './test-helpers.js';

installEgressGuard();

describe('faults and latency', () => {
  let emu: EmulatorHandle;
  let conn: Connection;
  before(async () => {
    emu = await startEmulator({ edition: 'Developer' });
    ({ conn } = await adminOrg(emu));
  });
  after(async () => emu.close());

  it('adds per-request latency (logged duration is at least the latency)', async () => {
    emu.faults.latencyMs = 30;
    try {
      const start = emu.requestLog.length;
      await conn.query('SELECT Id FROM Organization');
      const entry = emu.requestLog.slice(start).find((r) => r.operation === 'query');
      assert.ok(entry);
      assert.equal(entry.method, 'GET');
      assert.equal(entry.status, 200);
      assert.ok(entry.durationMs >= 30, String(entry.durationMs));
      assert.match(entry.path, /^\/services\/data\/v66\.0\/query\?q=SELECT/);
    } finally {
      emu.faults.latencyMs = 0;
    }
  });

  it('429 REQUEST_LIMIT_EXCEEDED on the next matching request (jsforce retries the GET)', async () => {
    emu.faults.rateLimit(1, '/query');
    const start = emu.requestLog.length;
    const q = await conn.query('SELECT Id FROM Organization');
    assert.equal(q.totalSize, 1);
    assert.deepEqual(emu.requestLog.slice(start).map((r) => r.status), [429, 200]);
  });

  it('429 surfaces as REQUEST_LIMIT_EXCEEDED on a POST (never retried)', async () => {
    emu.faults.rateLimit(1, '/sobjects/PermissionSetLicenseAssign', { method: 'POST' });
    await rejects(conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: emu.state.adminUserId, PermissionSetLicenseId: '0PL5g0000000001AAA' }), (e: Error) => e.name === 'REQUEST_LIMIT_EXCEEDED' && e.message === 'TotalRequests Limit exceeded.');
  });

  it('5xx on POST: REST create fails with UNKNOWN_EXCEPTION, and the SOAP deploy call fails', async () => {
    emu.faults.serverError(1, '/sobjects/User');
    await rejects(conn.sobject('User').create({ LastName: 'X' }), (e: Error) => e.name === 'UNKNOWN_EXCEPTION');
    emu.faults.serverError(1, '/services/Soap/m/');
    await assert.rejects(deployProject(conn, writeEcaProject({ app: 'Boom' })), /UNKNOWN_EXCEPTION/);
    const res = await deployProject(conn, writeEcaProject({ app: 'Boom' }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
  });

  it('operation faults pick the SOAP call by name: a 500 on checkDeployStatus only, after the deploy call succeeded', async () => {
    emu.faults.serverErrorOperation('checkDeployStatus', 1);
    const start = emu.requestLog.length;
    await assert.rejects(deployProject(conn, writeEcaProject({ app: 'Polled' })), /UNKNOWN_EXCEPTION/);
    const soap = emu.requestLog.slice(start).filter((r) => r.path.startsWith('/services/Soap/m/')).map((r) => `${r.operation} ${r.status}`);
    assert.deepEqual(soap.slice(0, 2), ['deploy 200', 'checkDeployStatus 500']);
    emu.faults.rateLimitOperation('deploy', 1);
    await assert.rejects(deployProject(conn, writeEcaProject({ app: 'Polled' })), /REQUEST_LIMIT_EXCEEDED/);
    const res = await deployProject(conn, writeEcaProject({ app: 'Polled' }));
    assert.equal(res.response.status, 'Succeeded', 'each fault was for one request');
  });

  it('expireSessionsAfter(query): every session is dead by the next request (the admin auth then refreshes)', async () => {
    emu.faults.expireSessionsAfter('query');
    await conn.query('SELECT Id FROM Organization');
    const start = emu.requestLog.length;
    await conn.query('SELECT Id FROM Organization');
    assert.equal(emu.requestLog.slice(start)[0].status, 401, 'the next request found its session expired');
  });

  it('session expiry: the admin auth logs in again with its refresh token and the query is retried', async () => {
    emu.expireSessions();
    const before = emu.requestLog.length;
    const q = await conn.query('SELECT Id FROM Organization');
    assert.equal(q.totalSize, 1);
    const seen = emu.requestLog.slice(before);
    assert.equal(seen[0].status, 401, 'the expired session is refused');
    assert.ok(seen.some((r) => r.path === '/services/oauth2/token' && r.status === 200), 'refresh-token grant');
    assert.equal(seen.at(-1)?.status, 200, 'and the query retried');
  });
});
