/**
 * Org faults named for the user, and reads tried again: the real jsforce and SDR against the emulator, with the
 * emulator's injected 429s, 5xx and ended sessions; the backoff's sleep is injected, so no test waits.
 */
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Connection } from '@salesforce/core';
import { SfError } from '@salesforce/core';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import { adminOrg, installEgressGuard, writeEcaProject } from '../emulator/test-helpers.js';
import { faultKind, nameOrgFault, nameWriteFaults, retryRead } from '../../plugin/src/faults/org-faults.js';

installEgressGuard();

const readEventSettings = (conn: Connection) => () => conn.metadata.read('EventSettings' as never, 'Event') as Promise<unknown>;
/** Metadata API calls (faulted ones are logged before the emulator reads their operation, so count by path). */
const soapCalls = (emu: EmulatorHandle): number => emu.requestLog.filter((r) => r.path.startsWith('/services/Soap/m')).length;
const creates = (emu: EmulatorHandle): number => emu.requestLog.filter((r) => r.method === 'POST' && r.path.includes('/sobjects/')).length;

function recordingSleep(): { sleep: (ms: number) => Promise<void>; pauses: number[] } {
  const pauses: number[] = [];
  return { pauses, sleep: async (ms) => void pauses.push(ms) };
}

describe('org faults', () => {
  let emu: EmulatorHandle;
  let conn: Connection;
  before(async () => {
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    conn = (await adminOrg(emu)).conn;
  });
  afterEach(() => emu.faults.clear());
  after(() => emu.close());

  it('tries a readMetadata again after a 429 (a SOAP POST jsforce never retries) and succeeds', async () => {
    const { sleep, pauses } = recordingSleep();
    const retries: string[] = [];
    const before = soapCalls(emu);
    emu.faults.rateLimit(2, '/services/Soap/m', { method: 'POST' });
    const read = await retryRead('readMetadata', readEventSettings(conn), { sleep, baseMs: 100, onRetry: (m) => retries.push(m) });
    assert.equal((read as { fullName?: string }).fullName, 'Event');
    assert.deepEqual(pauses, [100, 200], 'backoff doubles');
    assert.equal(retries.length, 2);
    assert.match(retries[0], /readMetadata.*rate-limit.*trying again/);
    assert.equal(soapCalls(emu) - before, 3);
  });

  it('gives up after the bounded number of tries with OrgServerError and its actions', async () => {
    const { sleep, pauses } = recordingSleep();
    const before = soapCalls(emu);
    emu.faults.serverError(6, '/services/Soap/m');
    await assert.rejects(retryRead('readMetadata', readEventSettings(conn), { sleep, attempts: 3 }), (e: SfError) => {
      assert.equal(e.name, 'OrgServerError');
      assert.match(e.message, /readMetadata.*UNKNOWN_EXCEPTION/);
      assert.ok((e.actions ?? []).some((a) => /run the same command again/i.test(a)));
      assert.equal(e.exitCode, 1);
      return true;
    });
    assert.equal(pauses.length, 2);
    assert.equal(soapCalls(emu) - before, 3);
  });

  it('never tries a write again: a 500 on a record create is named once', async () => {
    const before = creates(emu);
    emu.faults.serverError(1, '/sobjects/');
    await assert.rejects(
      nameWriteFaults('create', () => conn.sobject('PermissionSetAssignment').create({ AssigneeId: '005000000000001AAA', PermissionSetId: '0PS000000000001AAA' })),
      (e: SfError) => e.name === 'OrgServerError' && (e.actions?.length ?? 0) > 0
    );
    assert.equal(creates(emu) - before, 1);
  });

  it('names the MetadataTransferError SDR throws for a 429 on a deploy status poll', async () => {
    const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
    const { Duration } = await import('@salesforce/kit');
    const project = writeEcaProject();
    const deploy = await ComponentSet.fromSource(`${project}/force-app`).deploy({ usernameOrConnection: conn });
    emu.faults.rateLimit(1, '/services/Soap/m', { method: 'POST' });
    const error = await deploy.pollStatus({ frequency: Duration.milliseconds(20), timeout: Duration.minutes(1) }).then(
      () => assert.fail('the poll should have met the 429'),
      (e: unknown) => e
    );
    assert.equal((error as Error).name, 'MetadataTransferError');
    assert.equal(faultKind(error), 'rate-limit');
    assert.equal((nameOrgFault(error, 'checkDeployStatus') as SfError).name, 'ApiRequestLimitError');
  });

  it('does not try an ended session again, and names it', async () => {
    const { Connection: JsforceConnection } = await import('@jsforce/jsforce-node');
    const bare = new JsforceConnection({ instanceUrl: conn.instanceUrl, accessToken: conn.accessToken ?? '', version: '64.0' });
    emu.expireSessions();
    const { sleep, pauses } = recordingSleep();
    await assert.rejects(retryRead('query', () => bare.query('SELECT Id FROM Organization'), { sleep }), (e: SfError) => e.name === 'OrgSessionExpiredError');
    assert.deepEqual(pauses, []);
  });

  it('names a connection that is refused, and leaves errors that are not faults as they are', async () => {
    const { Connection: JsforceConnection } = await import('@jsforce/jsforce-node');
    const closed = new JsforceConnection({ instanceUrl: 'http://127.0.0.1:9', accessToken: 'x', version: '64.0' });
    const { sleep } = recordingSleep();
    await assert.rejects(retryRead('readMetadata', () => closed.metadata.read('EventSettings' as never, 'Event') as Promise<unknown>, { sleep, attempts: 2 }), (e: SfError) => e.name === 'OrgConnectionError');
    const fresh = (await adminOrg(emu, 'emu2')).conn;
    const quiet = recordingSleep();
    await assert.rejects(retryRead('query', () => fresh.query('SELECT Nope FROM Organization'), { sleep: quiet.sleep }), (e: Error) => e.name === 'INVALID_FIELD');
    assert.deepEqual(quiet.pauses, [], 'an error that is not a fault is not tried again');
  });
});
