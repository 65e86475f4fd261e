/**
 * REST through jsforce (core's Connection, from Org.create by alias): SOQL, paging, tooling, describe,
 * sObject create/update with Salesforce's validation errors.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Connection } from '@salesforce/core';
import { DML_ERRORS } from '../../emulator/src/dml.js';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import { adminOrg, installEgressGuard, rejects } from './test-helpers.js';

installEgressGuard();

const rejectsWith = async (p: PromiseLike<unknown>, errorCode: string, message: string): Promise<void> => {
  await rejects(p, (err: Error) => {
    assert.equal(err.name, errorCode);
    assert.equal(err.message, message);
    return true;
  });
};

describe('REST and SOQL', () => {
  let emu: EmulatorHandle;
  let conn: Connection;
  before(async () => {
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    ({ conn } = await adminOrg(emu));
  });
  after(async () => emu.close());

  it('Org.create by alias from the seeded auth file sends no HTTP', async () => {
    const before = emu.requestLog.length;
    await adminOrg(emu, 'again');
    assert.equal(emu.requestLog.length, before);
  });

  it('lists versions as a JSON array and serves the version resource map', async () => {
    const res = await fetch(`${emu.url}/services/data`);
    const versions = (await res.json()) as { version: string; url: string; label: string }[];
    assert.ok(Array.isArray(versions));
    assert.deepEqual(versions.at(-1), { label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
    const map = await conn.request<Record<string, string>>('/services/data/v66.0');
    assert.equal(map.query, '/services/data/v66.0/query');
  });

  it('queries the Organization as determineOrg does', async () => {
    const q = await conn.query<Record<string, unknown>>('SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization');
    assert.equal(q.totalSize, 1);
    assert.equal(q.records[0].OrganizationType, 'Enterprise Edition');
    assert.equal(q.records[0].IsSandbox, false);
    assert.equal(q.records[0].NamespacePrefix, null);
  });

  it('ScratchOrgInfo is INVALID_TYPE (not a Dev Hub)', async () => {
    await rejectsWith(conn.query('SELECT Id FROM ScratchOrgInfo limit 1'), 'INVALID_TYPE', "sObject type 'ScratchOrgInfo' is not supported.");
  });

  it('unknown column → INVALID_FIELD; bad syntax → MALFORMED_QUERY', async () => {
    await rejects(conn.query('SELECT Colour FROM User'), (e: Error) => e.name === 'INVALID_FIELD' && e.message.startsWith("No such column 'Colour' on entity 'User'."));
    await rejects(conn.query('SELECT FROM User'), (e: Error) => e.name === 'MALFORMED_QUERY');
  });

  it('WHERE with =, !=, IN, LIKE, AND/OR/NOT, booleans and relationship paths', async () => {
    const names = async (soql: string): Promise<string[]> => (await conn.query<{ Name: string }>(soql)).records.map((r) => r.Name).sort();
    assert.deepEqual(await names("SELECT Name FROM User WHERE Profile.Name = 'system administrator'"), ['Admin User']);
    assert.deepEqual(await names("SELECT Name FROM User WHERE Profile.UserLicense.Name = 'Salesforce Integration'"), ['Platform Integration User']);
    assert.deepEqual(await names("SELECT Name FROM User WHERE Alias IN ('admin', 'jdoe') AND IsActive = true"), ['Admin User', 'Jane Doe']);
    assert.deepEqual(await names("SELECT Name FROM User WHERE Username LIKE 'jane%' OR (Alias = 'integ' AND IsActive = true)"), ['Jane Doe', 'Platform Integration User']);
    assert.deepEqual(await names("SELECT Name FROM User WHERE NOT (Alias = 'admin' OR Alias = 'jdoe')"), ['Platform Integration User']);
    assert.deepEqual(await names("SELECT Name FROM User WHERE Alias != 'admin' AND Profile.Name != null"), ['Jane Doe', 'Platform Integration User']);
  });

  it('ORDER BY, LIMIT, OFFSET and nested relationship objects', async () => {
    const q = await conn.query<{ Name: string; Profile: { Name: string; UserLicense: { Name: string } } }>('SELECT Name, Profile.Name, Profile.UserLicense.Name FROM User ORDER BY Name DESC LIMIT 2 OFFSET 1');
    assert.deepEqual(q.records.map((r) => r.Name), ['Jane Doe', 'Admin User']);
    assert.equal(q.records[1].Profile.UserLicense.Name, 'Salesforce');
    assert.deepEqual((q.records[1].Profile as unknown as { attributes: { type: string } }).attributes.type, 'Profile');
  });

  it('COUNT(), COUNT(Id) with GROUP BY, MAX() and date literals on EventLogFile', async () => {
    const count = await conn.query("SELECT COUNT() FROM EventLogFile WHERE Interval = 'Hourly'");
    assert.ok(count.totalSize > 0);
    assert.equal(count.records.length, 0);
    const grouped = await conn.query<{ EventType: string; expr0: number }>('SELECT EventType, COUNT(Id) FROM EventLogFile WHERE LogDate = LAST_N_DAYS:7 GROUP BY EventType');
    const types = grouped.records.map((r) => r.EventType).sort();
    assert.deepEqual(types, ['API', 'ApexExecution', 'ApiTotalUsage', 'Dashboard', 'Login', 'LoginAs', 'Logout', 'Report', 'URI']);
    assert.ok(grouped.records.every((r) => r.expr0 > 0));
    const max = await conn.query<{ latest: string }>("SELECT MAX(LogDate) latest FROM EventLogFile WHERE EventType = 'Login' AND Interval = 'Daily'");
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    assert.equal(max.records[0].latest.slice(0, 10), yesterday);
    const today = await conn.query("SELECT COUNT() FROM EventLogFile WHERE LogDate = TODAY AND Interval = 'Daily'");
    assert.equal(today.totalSize, 0);
    const old = await conn.query("SELECT COUNT() FROM EventLogFile WHERE LogDate < LAST_N_DAYS:40");
    assert.equal(old.totalSize, 0);
  });

  it('pages with nextRecordsUrl / query locators (autoFetch and queryMore)', async () => {
    emu.setQueryPageSize(50);
    try {
      const total = (await conn.query('SELECT COUNT() FROM EventLogFile')).totalSize;
      const first = await conn.query<{ Id: string }>('SELECT Id FROM EventLogFile ORDER BY LogDate');
      assert.equal(first.done, false);
      assert.equal(first.records.length, 50);
      assert.match(String(first.nextRecordsUrl), /\/services\/data\/v66\.0\/query\/01g\w+-50$/);
      const second = await conn.queryMore<{ Id: string }>(String(first.nextRecordsUrl));
      assert.equal(second.records.length, Math.min(50, total - 50));
      const all = await conn.query<{ Id: string }>('SELECT Id FROM EventLogFile', { autoFetch: true, maxFetch: 100000 });
      assert.equal(all.records.length, total);
      assert.equal(new Set(all.records.map((r) => r.Id)).size, total);
      await rejects(conn.queryMore('/services/data/v66.0/query/01gNOPE-50'), (e: Error) => e.name === 'INVALID_QUERY_LOCATOR');
    } finally {
      emu.setQueryPageSize(2000);
    }
  });

  it('queryAll and the tooling API', async () => {
    const all = await conn.query('SELECT Id FROM User', { scanAll: true });
    assert.equal(all.totalSize, 3);
    const t = await conn.tooling.query<{ Name: string }>("SELECT Name FROM Profile WHERE Name = 'Standard User'");
    assert.equal(t.records[0].Name, 'Standard User');
    await rejectsWith(conn.query('SELECT Id FROM ExtlClntAppOauthSettings'), 'INVALID_TYPE', "sObject type 'ExtlClntAppOauthSettings' is not supported.");
  });

  it('describes EventLogFile with the EventType picklist', async () => {
    const d = await conn.describe('EventLogFile');
    const eventType = d.fields.find((f) => f.name === 'EventType');
    const values = (eventType?.picklistValues ?? []).map((p) => p.value);
    for (const t of ['Login', 'LoginAs', 'Logout', 'URI', 'API', 'ApexExecution', 'Report', 'Dashboard']) assert.ok(values.includes(t), t);
    const user = await conn.describe('User');
    assert.ok(user.fields.find((f) => f.name === 'TimeZoneSidKey')?.picklistValues?.some((p) => p.value === 'America/Los_Angeles'));
    const psa = await conn.describe('PermissionSetLicenseAssign');
    assert.equal(psa.createable, true);
  });
});

describe('sObject create and update (integration user setup)', () => {
  let emu: EmulatorHandle;
  let conn: Connection;
  let intProfileId: string;
  const base = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    Username: `int-${Math.random().toString(36).slice(2, 8)}@anzenna-emu.example`,
    LastName: 'Integration',
    Email: 'integration@anzenna.ai',
    Alias: 'anzint',
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: intProfileId,
    ...over,
  });
  before(async () => {
    emu = await startEmulator({ edition: 'Developer' });
    ({ conn } = await adminOrg(emu));
    intProfileId = (await conn.query<{ Id: string }>("SELECT Id FROM Profile WHERE UserLicense.Name = 'Salesforce Integration'")).records[0].Id;
  });
  after(async () => emu.close());

  it('creates an integration user, assigns the PSL then the PSL-licensed permission set', async () => {
    const created = await conn.sobject('User').create(base({ Username: 'anzenna@anzenna-emu.example' }));
    assert.equal(created.success, true);
    const userId = created.id;
    const u = await conn.sobject('User').retrieve(userId);
    assert.equal((u as unknown as { Name: string }).Name, 'Integration');
    const psl = (await conn.query<{ Id: string }>("SELECT Id FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'")).records[0];
    const pslId = emu.state.findBy('PermissionSetLicense', 'DeveloperName', 'SalesforceAPIIntegrationPsl')!.Id;
    assert.equal(psl.Id, pslId);
    const ps = { Id: emu.scenario.createPermissionSet({ name: 'Event_Monitoring_Access', label: 'Event Monitoring Access', licence: 'Salesforce API Integration', permissions: ['ApiEnabled', 'ViewEventLogFiles'] }) };
    // rule: the PSL must be assigned before a permission set that needs it
    await rejectsWith(
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: ps.Id }),
      'FIELD_INTEGRITY_EXCEPTION',
      DML_ERRORS.permissionNotAllowed('Event Monitoring Access', 'anzenna@anzenna-emu.example', 'API Enabled')
    );
    await conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: userId, PermissionSetLicenseId: pslId });
    await rejectsWith(conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: userId, PermissionSetLicenseId: pslId }), 'DUPLICATE_VALUE', 'duplicate value found: <unknown> duplicates value on record with id: <unknown>');
    const psa = await conn.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: ps.Id });
    assert.equal(psa.success, true);
    await rejectsWith(conn.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: ps.Id }), 'DUPLICATE_VALUE', 'duplicate value found: <unknown> duplicates value on record with id: <unknown>');
    const check = await conn.query<{ PermissionSet: { Name: string } }>("SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE Assignee.Username = 'anzenna@anzenna-emu.example' AND PermissionSet.IsOwnedByProfile = false");
    assert.deepEqual(check.records.map((r) => r.PermissionSet.Name), ['Event_Monitoring_Access']);
    const seats = await conn.query<{ UsedLicenses: number; TotalLicenses: number }>("SELECT TotalLicenses, UsedLicenses FROM UserLicense WHERE Name = 'Salesforce Integration'");
    assert.deepEqual(seats.records[0], { ...seats.records[0], UsedLicenses: 2, TotalLicenses: 5 });
  });

  it('a permission the user licence does not allow blocks the assignment', async () => {
    const user = await conn.sobject('User').create(base());
    const ps = { Id: emu.scenario.createPermissionSet({ name: 'Too_Much', label: 'Too Much', permissions: ['ModifyAllData'] }) };
    const username = String(emu.state.byId('User', user.id!)!.Username);
    await rejectsWith(conn.sobject('PermissionSetAssignment').create({ AssigneeId: user.id!, PermissionSetId: ps.Id }), 'FIELD_INTEGRITY_EXCEPTION', DML_ERRORS.permissionNotAllowed('Too Much', username, 'Modify All Data'));
  });

  it('required fields missing → REQUIRED_FIELD_MISSING', async () => {
    await rejectsWith(conn.sobject('User').create({ LastName: 'X' }), 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Username, Email, Alias, TimeZoneSidKey, LocaleSidKey, EmailEncodingKey, ProfileId, LanguageLocaleKey]');
  });
  it('duplicate username (this org or another) → DUPLICATE_USERNAME', async () => {
    await rejectsWith(conn.sobject('User').create(base({ Username: emu.adminUsername })), 'DUPLICATE_USERNAME', DML_ERRORS.duplicateUsername);
    await rejectsWith(conn.sobject('User').create(base({ Username: 'admin@example.com' })), 'DUPLICATE_USERNAME', DML_ERRORS.duplicateUsername);
  });
  it('bad email → INVALID_EMAIL_ADDRESS', async () => {
    await rejectsWith(conn.sobject('User').create(base({ Email: 'not-an-email' })), 'INVALID_EMAIL_ADDRESS', 'Email: invalid email address: not-an-email');
  });
  it('alias too long → STRING_TOO_LONG', async () => {
    await rejectsWith(conn.sobject('User').create(base({ Alias: 'muchtoolong' })), 'STRING_TOO_LONG', 'Alias: data value too large: muchtoolong (max length=8)');
  });
  it('bad time zone → INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', async () => {
    await rejectsWith(conn.sobject('User').create(base({ TimeZoneSidKey: 'Mars/Olympus' })), 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Time Zone: bad value for restricted picklist field: Mars/Olympus');
  });
  it('unknown profile → INVALID_CROSS_REFERENCE_KEY; malformed → MALFORMED_ID', async () => {
    await rejectsWith(conn.sobject('User').create(base({ ProfileId: '00e5g000000ZZZZAAA' })), 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    await rejectsWith(conn.sobject('User').create(base({ ProfileId: 'xyz' })), 'MALFORMED_ID', 'Profile ID: id value of incorrect type: xyz');
  });
  it('read-only field → INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    await rejects(conn.sobject('User').create(base({ Name: 'X' })), (e: Error) => e.name === 'INVALID_FIELD_FOR_INSERT_UPDATE');
  });
  it('no seats left → LICENSE_LIMIT_EXCEEDED (and deactivating frees one)', async () => {
    const used = Number(emu.state.findBy('UserLicense', 'Name', 'Salesforce Integration')!.UsedLicenses);
    const ids: string[] = [];
    for (let i = used; i < 5; i++) ids.push(String((await conn.sobject('User').create(base())).id));
    await rejectsWith(conn.sobject('User').create(base()), 'LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded');
    await conn.sobject('User').update({ Id: ids[0], IsActive: false });
    const ok = await conn.sobject('User').create(base());
    assert.equal(ok.success, true);
    await rejectsWith(conn.sobject('User').update({ Id: ids[0], IsActive: true }), 'LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded');
  });
});
