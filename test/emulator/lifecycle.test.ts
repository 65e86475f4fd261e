/**
 * What the vendor's connection looks like from the org over time: LoginHistory rows for every JWT login,
 * token revocation through the OAuth usage resources, a disabled app, profile login IP ranges at the JWT
 * login, and a refreshed sandbox.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Connection } from '@salesforce/core';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import { adminOrg, deployProject, failuresOf, installEgressGuard, makeKeyPair, postToken, signJwt, tempDir, writeEcaProject, type KeyPair } from './test-helpers.js';

installEgressGuard();
const KEY = '3MVG9LIFECYCLEKEY0123456789';
const JANE = 'jane.doe@anzenna-emu.example';
type History = { UserId: string; LoginType: string; Status: string; SourceIp: string; Application: string; LoginUrl: string; LoginTime: string };

describe('the vendor connection as the org sees it', () => {
  let emu: EmulatorHandle;
  let conn: Connection;
  let keys: KeyPair;
  const login = async (sub = emu.adminUsername): Promise<{ status: number; body: Record<string, string> }> =>
    postToken(emu.url, signJwt(keys.privateKey, { iss: KEY, sub, aud: emu.url, exp: Math.floor(Date.now() / 1000) + 180 }));
  const history = async (username: string): Promise<History[]> =>
    (await conn.query<History>(`SELECT UserId, LoginType, Status, SourceIp, Application, LoginUrl, LoginTime FROM LoginHistory WHERE User.Username = '${username}' ORDER BY LoginTime DESC`)).records;

  before(async () => {
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    keys = makeKeyPair(tempDir());
    ({ conn } = await adminOrg(emu));
    const res = await deployProject(conn, writeEcaProject({ app: 'Vendor', certPem: keys.certPem, consumerKey: KEY }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
  });
  after(async () => emu.close());

  it('records a LoginHistory row for a successful JWT login and for a refused one', async () => {
    const started = Math.floor(Date.now() / 1000) * 1000;
    assert.equal((await login()).status, 200);
    const ok = await history(emu.adminUsername);
    assert.equal(ok.length, 1);
    const { LoginType, Status, SourceIp, Application, LoginUrl, UserId } = ok[0];
    assert.deepEqual({ LoginType, Status, SourceIp, Application, LoginUrl }, { LoginType: 'Remote Access 2.0', Status: 'Success', SourceIp: '127.0.0.1', Application: 'Vendor', LoginUrl: new URL(emu.url).host });
    assert.equal(UserId, emu.state.adminUserId);
    assert.ok(Date.parse(ok[0].LoginTime.replace('+0000', 'Z')) >= started, 'LoginTime is the login\'s');
    const refused = await login(JANE);
    assert.equal(refused.body.error, 'invalid_app_access');
    const failed = await history(JANE);
    assert.equal(failed.length, 1);
    assert.equal(failed[0].Status, 'Failed: Not approved for access');
    const unknown = await postToken(emu.url, signJwt(keys.privateKey, { iss: 'nope', sub: JANE, aud: emu.url, exp: Math.floor(Date.now() / 1000) + 180 }));
    assert.equal(unknown.body.error, 'invalid_client_id');
    assert.equal((await history(JANE)).length, 1, 'no row when the app is unknown');
  });

  it('serves an Elastic-style client: one URL as audience and token host, then its EventLogFile query and a download', async () => {
    // elastic/beats x-pack/filebeat/input/salesforce: `url` is the JWT aud and `url + /services/oauth2/token` the token endpoint.
    const url = emu.url;
    const token = await postToken(url, signJwt(keys.privateKey, { iss: KEY, sub: emu.adminUsername, aud: url, exp: Math.floor(Date.now() / 1000) + 180 }));
    assert.equal(token.status, 200);
    const headers = { authorization: `Bearer ${token.body.access_token}` };
    const q = encodeURIComponent("SELECT Id,CreatedDate,LogDate,LogFile FROM EventLogFile WHERE EventType = 'Login' ORDER BY CreatedDate ASC NULLS FIRST");
    const page = (await (await fetch(`${token.body.instance_url}/services/data/v58.0/query?q=${q}`, { headers })).json()) as { records: { LogFile: string }[] };
    assert.ok(page.records.length > 0);
    const csv = await (await fetch(`${token.body.instance_url}${page.records[0].LogFile}`, { headers })).text();
    assert.match(csv, /^"EVENT_TYPE","TIMESTAMP","REQUEST_ID",/);
    assert.ok(csv.trimEnd().split('\n').slice(1).every((l) => l.startsWith('"Login","')));
  });

  it('revokes the app\'s tokens through the OAuth usage resource: the vendor\'s access token stops working', async () => {
    const token = (await login()).body.access_token;
    const headers = { authorization: `Bearer ${token}` };
    assert.equal((await fetch(`${emu.url}/services/data/v66.0/limits`, { headers })).status !== 401, true);
    const app = emu.state.component('ExternalClientApplication', 'Vendor')!.id;
    const user = emu.state.adminUserId;
    const list = await conn.request<{ tokens: { identifier: string; revocationUrl: string }[] }>(`/services/data/v66.0/apps/oauth/usage/${app}/${user}/tokens`);
    assert.ok(list.tokens.length >= 1);
    const one = list.tokens[0];
    await conn.request({ method: 'DELETE', url: one.revocationUrl });
    await conn.request({ method: 'DELETE', url: `/services/data/v66.0/apps/oauth/usage/${app}/tokens` });
    const after = await fetch(`${emu.url}/services/data/v66.0/query?q=SELECT+Id+FROM+Organization`, { headers });
    assert.equal(after.status, 401);
    const again = await conn.request<{ tokens: unknown[] }>(`/services/data/v66.0/apps/oauth/usage/${app}/${user}/tokens`);
    assert.deepEqual(again.tokens, []);
    assert.ok(emu.requestLog.some((r) => r.operation === 'revokeTokens' && r.status === 204));
  });

  it('a disabled app is refused at the token endpoint, and works again once enabled', async () => {
    emu.scenario.setAppEnabled('Vendor', false);
    try {
      assert.deepEqual((await login()).body, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
    } finally {
      emu.scenario.setAppEnabled('Vendor', true);
    }
    assert.equal((await login()).status, 200);
  });

  it('enforces the profile\'s login IP ranges at the JWT login and logs "Restricted IP"', async () => {
    emu.scenario.setProfileLoginIpRanges('System Administrator', [{ start: '10.1.0.1', end: '10.1.0.254', description: 'vendor' }]);
    try {
      assert.deepEqual((await login()).body, { error: 'invalid_grant', error_description: 'IP restricted or invalid login hours' });
      assert.equal((await history(emu.adminUsername))[0].Status, 'Restricted IP');
      emu.scenario.setSourceIp('10.1.0.7');
      assert.equal((await login()).status, 200);
      const row = (await history(emu.adminUsername))[0];
      assert.deepEqual([row.Status, row.SourceIp], ['Success', '10.1.0.7']);
    } finally {
      emu.scenario.setSourceIp(undefined);
      emu.scenario.setProfileLoginIpRanges('System Administrator', []);
    }
    assert.equal((await login()).status, 200);
  });
});

describe('a refreshed sandbox', () => {
  let sb: EmulatorHandle;
  let keys: KeyPair;
  before(async () => {
    sb = await startEmulator({ edition: 'Sandbox' });
    keys = makeKeyPair(tempDir());
  });
  after(async () => sb.close());

  it('has lost the app (app_not_found), suffixes usernames and ends emails in .invalid', async () => {
    const { conn } = await adminOrg(sb);
    await deployProject(conn, writeEcaProject({ app: 'Vendor', certPem: keys.certPem, consumerKey: KEY }));
    const before = sb.adminUsername;
    const jwt = (): string => signJwt(keys.privateKey, { iss: KEY, sub: sb.adminUsername, aud: sb.url, exp: Math.floor(Date.now() / 1000) + 180 });
    assert.equal((await postToken(sb.url, jwt())).status, 200);
    sb.scenario.refreshSandbox('uat');
    assert.equal(sb.adminUsername, `${before}.uat`);
    assert.deepEqual((await postToken(sb.url, jwt())).body, { error: 'app_not_found', error_description: 'External client app is not installed in this org' });
    const users = await conn.query<{ Username: string; Email: string }>('SELECT Username, Email FROM User');
    assert.ok(users.records.length > 1);
    assert.ok(users.records.every((u) => u.Username.endsWith('.uat') && u.Email.endsWith('.invalid')), JSON.stringify(users.records));
    const apps = await conn.query('SELECT Id FROM ExternalClientApplication');
    assert.equal(apps.totalSize, 0);
    const res = await deployProject(conn, writeEcaProject({ app: 'Vendor', certPem: keys.certPem, consumerKey: KEY }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
    assert.equal((await postToken(sb.url, jwt())).status, 200, 'deploying the app again restores the login');
  });
});
