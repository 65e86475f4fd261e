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
    const psId = emu.scenario.createPermissionSet({ name: 'Elf', permissions: ['ViewEventLogFiles'] });
    await conn.sobject('PermissionSetAssignment').create({ AssigneeId: emu.state.userByUsername('jane.doe@anzenna-emu.example')!.Id, PermissionSetId: psId });
    const q = await jane.query('SELECT COUNT() FROM EventLogFile');
    assert.ok(q.totalSize > 0);
  });

  it('a user without API Enabled gets API_CURRENTLY_DISABLED', async () => {
    const home = await freshHome();
    emu.scenario.createUser({ username: 'noapi@anzenna-emu.example', profile: 'Minimum Access - Salesforce' });
    await emu.writeAdminAuth(home, 'noapi', 'noapi@anzenna-emu.example');
    const { Org } = await import('@salesforce/core');
    const c = (await Org.create({ aliasOrUsername: 'noapi' })).getConnection();
    await rejects(c.query('SELECT Id FROM User'), (e: Error) => e.name === 'API_CURRENTLY_DISABLED' && e.message === 'API is disabled for this User');
  });
});

/** Parses one CSV line of quoted values (no embedded quotes in our files or the captures). */
const cells = (line: string): string[] => line.slice(1, -1).split('","');

/**
 * Column lists as captured in public test data (copied here on purpose, independent of the emulator's table):
 * Login from elastic/beats x-pack/filebeat/input/salesforce/input_test.go; Logout from elastic/integrations
 * packages/salesforce/data_stream/logout/_dev/test/pipeline/test-logout-eventlogfile.log; LoginAs and URI from
 * panther-labs/panther-docs (Salesforce log schemas); ApexExecution's field set from elastic/integrations
 * packages/salesforce/data_stream/apex/_dev/test/pipeline/test-apex.log (a JSON capture: set only).
 */
const CAPTURED_HEADERS: Record<string, string> = {
  Login: 'EVENT_TYPE,TIMESTAMP,REQUEST_ID,ORGANIZATION_ID,USER_ID,RUN_TIME,CPU_TIME,URI,SESSION_KEY,LOGIN_KEY,USER_TYPE,REQUEST_STATUS,DB_TOTAL_TIME,LOGIN_TYPE,BROWSER_TYPE,API_TYPE,API_VERSION,USER_NAME,TLS_PROTOCOL,CIPHER_SUITE,AUTHENTICATION_METHOD_REFERENCE,LOGIN_SUB_TYPE,TIMESTAMP_DERIVED,USER_ID_DERIVED,CLIENT_IP,URI_ID_DERIVED,LOGIN_STATUS,SOURCE_IP',
  Logout: 'EVENT_TYPE,TIMESTAMP,REQUEST_ID,ORGANIZATION_ID,USER_ID,USER_TYPE,SESSION_TYPE,SESSION_LEVEL,BROWSER_TYPE,PLATFORM_TYPE,RESOLUTION_TYPE,APP_TYPE,CLIENT_VERSION,API_TYPE,API_VERSION,USER_INITIATED_LOGOUT,SESSION_KEY,LOGIN_KEY,TIMESTAMP_DERIVED,USER_ID_DERIVED,CLIENT_IP',
  LoginAs: 'EVENT_TYPE,TIMESTAMP,REQUEST_ID,ORGANIZATION_ID,USER_ID,RUN_TIME,CPU_TIME,URI,SESSION_KEY,LOGIN_KEY,DELEGATED_USER_NAME,DELEGATED_USER_ID,TIMESTAMP_DERIVED,USER_ID_DERIVED,CLIENT_IP,URI_ID_DERIVED,DELEGATED_USER_ID_DERIVED',
  URI: 'EVENT_TYPE,TIMESTAMP,REQUEST_ID,ORGANIZATION_ID,USER_ID,RUN_TIME,CPU_TIME,URI,SESSION_KEY,LOGIN_KEY,REQUEST_STATUS,DB_TOTAL_TIME,DB_BLOCKS,DB_CPU_TIME,REFERRER_URI,TIMESTAMP_DERIVED,USER_ID_DERIVED,CLIENT_IP,URI_ID_DERIVED,USER_TYPE',
};
const APEX_FIELD_SET = 'CALLOUT_TIME,CLIENT_IP,CPU_TIME,DB_TOTAL_TIME,ENTRY_POINT,EVENT_TYPE,EXEC_TIME,IS_LONG_RUNNING_REQUEST,LOGIN_KEY,NUMBER_SOQL_QUERIES,ORGANIZATION_ID,QUIDDITY,REQUEST_ID,RUN_TIME,SESSION_KEY,TIMESTAMP,TIMESTAMP_DERIVED,URI,URI_ID_DERIVED,USER_ID,USER_ID_DERIVED';

describe('EventLogFile columns and values as the public captures show them', () => {
  let emu: EmulatorHandle;
  let conn: Connection;
  const file = async (eventType: string): Promise<{ header: string[]; rows: Record<string, string>[] }> => {
    const rec = (await conn.query<Elf>(`SELECT Id, LogFile FROM EventLogFile WHERE EventType = '${eventType}' AND Interval = 'Daily' LIMIT 1`)).records[0];
    const lines = (await conn.request<string>(rec.LogFile)).trimEnd().split('\n');
    const header = cells(lines[0]);
    return { header, rows: lines.slice(1).map((l) => Object.fromEntries(cells(l).map((v, i) => [header[i], v]))) };
  };
  before(async () => {
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    ({ conn } = await adminOrg(emu));
  });
  after(async () => emu.close());

  it('Login, Logout, LoginAs and URI have the captured columns in the captured order', async () => {
    for (const [type, header] of Object.entries(CAPTURED_HEADERS)) assert.deepEqual((await file(type)).header, header.split(','), type);
  });

  it('ApexExecution has the captured field set', async () => {
    assert.deepEqual([...(await file('ApexExecution')).header].sort(), APEX_FIELD_SET.split(','));
  });

  it('values have the captured shapes: TIMESTAMP, LOGIN_TYPE, CLIENT_IP, SESSION_LEVEL, keys, Ids', async () => {
    const org15 = emu.state.orgId.slice(0, 15);
    const login = (await file('Login')).rows;
    for (const r of login) {
      assert.match(r.TIMESTAMP, /^\d{14}\.\d{3}$/);
      assert.equal(r.TIMESTAMP_DERIVED.slice(0, 19).replace(/[-T:]/g, ''), r.TIMESTAMP.slice(0, 14));
      assert.equal(r.ORGANIZATION_ID, org15);
      assert.match(r.USER_ID, /^005\w{12}$/);
      assert.equal(r.USER_ID_DERIVED.slice(0, 15), r.USER_ID);
      assert.match(r.LOGIN_KEY, /^[\w/+]{16}$/);
      assert.equal(r.SESSION_KEY, '', 'a login has no session yet');
      assert.match(r.REQUEST_ID, /^[\w-]{22}$/);
      assert.match(r.CLIENT_IP, /^(Salesforce\.com IP|\d+\.\d+\.\d+\.\d+)$/);
      assert.equal(r.API_VERSION, '9998.0');
      if (r.URI === '/services/oauth2/token') assert.equal(r.LOGIN_TYPE, 'i');
    }
    assert.ok(login.some((r) => r.LOGIN_TYPE === 'i' && r.BROWSER_TYPE === 'Go-http-client/1.1'), 'token-endpoint logins as captured');
    assert.ok(login.some((r) => r.CLIENT_IP === 'Salesforce.com IP'));
    const logout = (await file('Logout')).rows;
    assert.ok(logout.every((r) => ['1', '2'].includes(r.SESSION_LEVEL) && ['0', '1'].includes(r.USER_INITIATED_LOGOUT)));
    assert.ok(logout.some((r) => r.SESSION_LEVEL === '1'));
    const loginAs = (await file('LoginAs')).rows;
    assert.ok(loginAs.every((r) => r.DELEGATED_USER_ID_DERIVED.length === 18 && r.DELEGATED_USER_ID_DERIVED.startsWith(r.DELEGATED_USER_ID)));
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
