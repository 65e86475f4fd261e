/**
 * EventLogFile: record-level truth per edition and permission, LogFile downloads (buffered,
 * streamed, gzip), exact LogFileLength for small and very large files, and a reset mid-download.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Connection } from '@salesforce/core';
import { ANZENNA_EVENT_TYPES, EVENT_FIELDS } from '../../emulator/src/event-logs.js';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import { adminOrg, freshHome, installEgressGuard, rejects } from './test-helpers.js';

installEgressGuard();

type Elf = { Id: string; EventType: string; LogFile: string; LogFileLength: number; LogFileFieldNames: string; LogFileFieldTypes: string; Interval: string };

async function streamLength(conn: Connection, url: string): Promise<{ bytes: number; firstLine: string }> {
  const stream = conn.request({ method: 'GET', url }).stream();
  let bytes = 0;
  let head = '';
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    if (head.length < 2000) head += buf.subarray(0, 2000).toString('utf8');
    bytes += buf.length;
  }
  return { bytes, firstLine: head.split('\n')[0] };
}

describe('EventLogFile with the Event Monitoring add-on', () => {
  let emu: EmulatorHandle;
  let conn: Connection;
  before(async () => {
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    ({ conn } = await adminOrg(emu));
  });
  after(async () => emu.close());

  it('has daily and hourly files for every Anzenna event type, 30 days back', async () => {
    const q = await conn.query<{ EventType: string; Interval: string; expr0: number }>('SELECT EventType, Interval, COUNT(Id) FROM EventLogFile GROUP BY EventType, Interval');
    for (const t of ANZENNA_EVENT_TYPES) {
      assert.ok(q.records.some((r) => r.EventType === t && r.Interval === 'Daily' && r.expr0 === 30), `${t} daily`);
      assert.ok(q.records.some((r) => r.EventType === t && r.Interval === 'Hourly'), `${t} hourly`);
    }
  });

  it('downloads every type: CSV header = LogFileFieldNames, length = LogFileLength (buffered and streamed)', async () => {
    for (const t of ANZENNA_EVENT_TYPES) {
      const rec = (await conn.query<Elf>(`SELECT Id, EventType, LogFile, LogFileLength, LogFileFieldNames, LogFileFieldTypes FROM EventLogFile WHERE EventType = '${t}' AND Interval = 'Daily' ORDER BY LogDate DESC LIMIT 1`)).records[0];
      assert.equal(rec.LogFile, `/services/data/v66.0/sobjects/EventLogFile/${rec.Id}/LogFile`);
      const csv = await conn.request<string>(rec.LogFile);
      assert.equal(typeof csv, 'string');
      assert.equal(Buffer.byteLength(csv), rec.LogFileLength, t);
      const lines = csv.trimEnd().split('\n');
      assert.equal(lines[0], rec.LogFileFieldNames.split(',').map((f) => `"${f}"`).join(','));
      assert.deepEqual(rec.LogFileFieldNames.split(','), EVENT_FIELDS[t]);
      assert.equal(rec.LogFileFieldTypes.split(',').length, EVENT_FIELDS[t].length);
      assert.ok(lines.length > 1);
      assert.ok(lines.slice(1).every((l) => l.startsWith(`"${t}","`)));
      const streamed = await streamLength(conn, rec.LogFile);
      assert.equal(streamed.bytes, rec.LogFileLength);
    }
  });

  it('answers application/octetstream, gzip-encoded only when asked', async () => {
    const rec = (await conn.query<Elf>("SELECT Id, LogFile, LogFileLength FROM EventLogFile WHERE EventType = 'Login' LIMIT 1")).records[0];
    const token = conn.accessToken!;
    const raw = await fetch(`${emu.url}${rec.LogFile}`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'identity' } });
    assert.equal(raw.headers.get('content-type'), 'application/octetstream');
    assert.equal(raw.headers.get('content-encoding'), null);
    assert.equal((await raw.arrayBuffer()).byteLength, rec.LogFileLength);
    const http = await import('node:http');
    const encoding = await new Promise<string | undefined>((resolve, reject) => {
      http.get(`${emu.url}${rec.LogFile}`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } }, (res) => {
        res.resume();
        resolve(res.headers['content-encoding']);
      }).on('error', reject);
    });
    assert.equal(encoding, 'gzip');
  });

  it('streams a very large file (never materialised) with the exact LogFileLength', async () => {
    const big = emu.addLogFile({ eventType: 'API', sizeBytes: 40 * 1024 * 1024 });
    const rec = (await conn.query<Elf>(`SELECT Id, LogFile, LogFileLength FROM EventLogFile WHERE Id = '${big.Id}'`)).records[0];
    assert.ok(rec.LogFileLength > 39 * 1024 * 1024 && rec.LogFileLength < 41 * 1024 * 1024, String(rec.LogFileLength));
    const streamed = await streamLength(conn, rec.LogFile);
    assert.equal(streamed.bytes, rec.LogFileLength);
    assert.equal(streamed.firstLine, EVENT_FIELDS.API.map((f) => `"${f}"`).join(','));
  });

  it('a connection reset mid-download fails the stream', async () => {
    const rec = (await conn.query<Elf>("SELECT Id, LogFile, LogFileLength FROM EventLogFile WHERE EventType = 'URI' LIMIT 1")).records[0];
    emu.faults.resetDownload(100);
    await assert.rejects(async () => {
      const res = await fetch(`${emu.url}${rec.LogFile}`, { headers: { authorization: `Bearer ${conn.accessToken!}`, 'accept-encoding': 'identity' } });
      await res.arrayBuffer();
    });
    const csv = await conn.request<string>(rec.LogFile);
    assert.equal(Buffer.byteLength(csv), rec.LogFileLength, 'the next download is whole');
  });

  it('users without View Event Log Files (or View All Data) do not see the object', async () => {
    const home = await freshHome();
    await emu.writeAdminAuth(home, 'jane', 'jane.doe@anzenna-emu.example');
    const { Org } = await import('@salesforce/core');
    const jane = (await Org.create({ aliasOrUsername: 'jane' })).getConnection();
    await rejects(jane.query('SELECT Id FROM EventLogFile'), (e: Error) => e.name === 'INVALID_TYPE' && e.message === "sObject type 'EventLogFile' is not supported.");
    // grant View Event Log Files through a permission set: now visible
    const ps = emu.state.insert('PermissionSet', { Name: 'Elf', Label: 'Elf', IsOwnedByProfile: false, IsCustom: true, ProfileId: null, LicenseId: null, Type: 'Regular', HasActivationRequired: false, Description: null, NamespacePrefix: null, ...emu.state.permissionFields(['ViewEventLogFiles']) }, '0PS');
    await conn.sobject('PermissionSetAssignment').create({ AssigneeId: emu.state.userByUsername('jane.doe@anzenna-emu.example')!.Id, PermissionSetId: ps.Id });
    const q = await jane.query('SELECT COUNT() FROM EventLogFile');
    assert.ok(q.totalSize > 0);
  });

  it('a user without API Enabled gets API_CURRENTLY_DISABLED', async () => {
    const home = await freshHome();
    const minimal = emu.state.profileByName('Minimum Access - Salesforce')!;
    const u = emu.state.createUser({ Username: 'noapi@anzenna-emu.example', LastName: 'NoApi', Email: 'noapi@anzenna-emu.example', Alias: 'noapi', TimeZoneSidKey: 'GMT', LocaleSidKey: 'en_US', EmailEncodingKey: 'UTF-8', LanguageLocaleKey: 'en_US', ProfileId: minimal.Id });
    await emu.writeAdminAuth(home, 'noapi', String(u.Username));
    const { Org } = await import('@salesforce/core');
    const c = (await Org.create({ aliasOrUsername: 'noapi' })).getConnection();
    await rejects(c.query('SELECT Id FROM User'), (e: Error) => e.name === 'API_CURRENTLY_DISABLED' && e.message === 'API is disabled for this User');
  });
});

describe('EventLogFile by edition', () => {
  it('Enterprise without the add-on: only free types, daily, one day', async () => {
    const emu = await startEmulator({ edition: 'Enterprise' });
    try {
      const { conn } = await adminOrg(emu);
      const q = await conn.query<{ EventType: string; Interval: string }>('SELECT EventType, Interval FROM EventLogFile');
      assert.deepEqual([...new Set(q.records.map((r) => r.EventType))].sort(), ['ApiTotalUsage', 'Login', 'Logout']);
      assert.ok(q.records.every((r) => r.Interval === 'Daily'));
      assert.equal(q.totalSize, 3);
    } finally {
      await emu.close();
    }
  });

  it('Professional: EventLogFile is not supported', async () => {
    const emu = await startEmulator({ edition: 'Professional' });
    try {
      const { conn } = await adminOrg(emu);
      await rejects(conn.query('SELECT Id FROM EventLogFile'), (e: Error) => e.name === 'INVALID_TYPE' && e.message === "sObject type 'EventLogFile' is not supported.");
      const org = await conn.query<{ OrganizationType: string }>('SELECT OrganizationType FROM Organization');
      assert.equal(org.records[0].OrganizationType, 'Professional Edition');
      const lic = await conn.query("SELECT COUNT() FROM UserLicense WHERE Name = 'Salesforce Integration'");
      assert.equal(lic.totalSize, 0);
    } finally {
      await emu.close();
    }
  });

  it('Sandbox: IsSandbox true with the add-on', async () => {
    const emu = await startEmulator({ edition: 'Sandbox' });
    try {
      const { conn } = await adminOrg(emu);
      const org = await conn.query<{ IsSandbox: boolean }>('SELECT IsSandbox FROM Organization');
      assert.equal(org.records[0].IsSandbox, true);
      const hourly = await conn.query("SELECT COUNT() FROM EventLogFile WHERE Interval = 'Hourly'");
      assert.ok(hourly.totalSize > 0);
    } finally {
      await emu.close();
    }
  });
});
