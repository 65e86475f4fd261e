/**
 * JWT bearer login against the emulator: the real AuthInfo flow, and every token-endpoint error
 * (posted directly, so no fallback traffic is involved).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import { JWT_ERRORS } from '../../emulator/src/oauth.js';
import {
  adminOrg, blockedOrigins, deployProject, failuresOf, freshHome, installEgressGuard, makeKeyPair, postToken, signJwt, tempDir, writeEcaProject,
  type KeyPair,
} from './test-helpers.js';

installEgressGuard();
const CLIENT_ID = '3MVG9EMULATORTESTKEY0123456789';

describe('JWT bearer login', () => {
  let emu: EmulatorHandle;
  let keys: KeyPair;
  let other: KeyPair;
  const claims = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ iss: CLIENT_ID, sub: emu.adminUsername, aud: emu.url, exp: Math.floor(Date.now() / 1000) + 180, ...over });

  before(async () => {
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    const dir = tempDir();
    keys = makeKeyPair(dir);
    other = makeKeyPair(dir, 'other');
    const { conn } = await adminOrg(emu);
    const res = await deployProject(conn, writeEcaProject({ certPem: keys.certPem, consumerKey: CLIENT_ID }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
  });
  after(async () => emu.close());

  it('logs in with AuthInfo.create (loopback audience, millisecond exp) and saves an auth file', async () => {
    await freshHome();
    const { AuthInfo, Org, Connection } = await import('@salesforce/core');
    const before = emu.requestLog.length;
    const auth = await AuthInfo.create({ username: emu.adminUsername, oauth2Options: { clientId: CLIENT_ID, privateKeyFile: keys.keyFile, loginUrl: emu.url } });
    await auth.save();
    const fields = auth.getFields(true);
    assert.equal(fields.instanceUrl, emu.url);
    assert.equal(fields.orgId, emu.state.orgId);
    assert.match(String(fields.accessToken), /^00D\w{12,15}![.\w]+$/);
    assert.equal(fields.orgEdition, 'Enterprise Edition');
    const calls = emu.requestLog.slice(before).map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);
    assert.deepEqual(calls.slice(0, 2), ['POST /services/oauth2/token 200', 'GET /services/data/v51.0/query 400']);
    const conn = await Connection.create({ authInfo: auth });
    const q = await conn.query<{ Id: string }>('SELECT Id FROM Organization');
    assert.equal(q.records[0].Id, emu.state.orgId);
    const org = await Org.create({ aliasOrUsername: emu.adminUsername });
    assert.equal(org.getOrgId(), emu.state.orgId);
  });

  it('logs in again after every session expired (REST 401 → JWT refresh → retry)', async () => {
    await freshHome();
    const { AuthInfo, Connection } = await import('@salesforce/core');
    const auth = await AuthInfo.create({ username: emu.adminUsername, oauth2Options: { clientId: CLIENT_ID, privateKeyFile: keys.keyFile, loginUrl: emu.url } });
    const conn = await Connection.create({ authInfo: auth });
    const tokenBefore = conn.accessToken;
    emu.expireSessions();
    const start = emu.requestLog.length;
    const q = await conn.query<{ Name: string }>('SELECT Name FROM Organization');
    assert.equal(q.totalSize, 1);
    assert.notEqual(conn.accessToken, tokenBefore);
    const calls = emu.requestLog.slice(start).map((r) => `${r.operation ?? ''} ${r.status}`);
    assert.equal(calls[0], 'query 401');
    assert.ok(calls.includes('token 200'), calls.join(', '));
    assert.equal(calls[calls.length - 1], 'query 200');
  });

  it('refreshes on the SOAP INVALID_SESSION_ID fault during a deploy', async () => {
    await freshHome();
    const { AuthInfo, Connection } = await import('@salesforce/core');
    const auth = await AuthInfo.create({ username: emu.adminUsername, oauth2Options: { clientId: CLIENT_ID, privateKeyFile: keys.keyFile, loginUrl: emu.url } });
    const conn = await Connection.create({ authInfo: auth });
    emu.expireSessions();
    const start = emu.requestLog.length;
    const res = await deployProject(conn, writeEcaProject({ certPem: keys.certPem, consumerKey: CLIENT_ID }));
    assert.equal(res.response.status, 'Succeeded');
    const soap = emu.requestLog.slice(start).filter((r) => r.path.startsWith('/services/Soap/m/'));
    assert.equal(soap[0].status, 500);
    assert.ok(emu.requestLog.slice(start).some((r) => r.operation === 'token' && r.status === 200));
  });

  it('turns a rejected JWT into JwtAuthError without leaving loopback', async () => {
    await freshHome();
    const { AuthInfo } = await import('@salesforce/core');
    blockedOrigins.length = 0;
    await assert.rejects(
      AuthInfo.create({ username: emu.adminUsername, oauth2Options: { clientId: 'not-a-key', privateKeyFile: keys.keyFile, loginUrl: emu.url } }),
      (err: Error) => {
        assert.equal(err.name, 'JwtAuthError');
        assert.match(err.message, /client identifier invalid/);
        return true;
      }
    );
    assert.ok(blockedOrigins.length > 0, 'core tried the public login servers and the guard stopped it');
    assert.ok(blockedOrigins.every((o) => /salesforce\.com/.test(o)));
  });

  it('accepts its own host (My Domain) as audience and a seconds exp', async () => {
    const r = await postToken(emu.url, signJwt(keys.privateKey, claims()));
    assert.equal(r.status, 200);
    assert.equal(r.body.instance_url, emu.url);
    assert.equal(r.body.id, `${emu.url}/id/${emu.state.orgId}/${emu.state.adminUserId}`);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.scope, 'api refresh_token');
    assert.match(r.body.access_token, /^00D/);
  });

  it('answers app_not_found for the login/test audience of an External Client App (since Spring \'26)', async () => {
    for (const aud of ['https://login.salesforce.com', 'https://test.salesforce.com']) {
      const r = await postToken(emu.url, signJwt(keys.privateKey, claims({ aud })));
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, { error: 'app_not_found', error_description: 'External client app is not installed in this org' }, aud);
    }
  });

  it('with legacyLoginAudience accepts login.salesforce.com (production) as before', async () => {
    emu.scenario.setBehaviour({ legacyLoginAudience: true });
    try {
      const ok = await postToken(emu.url, signJwt(keys.privateKey, claims({ aud: 'https://login.salesforce.com' })));
      assert.equal(ok.status, 200);
      const test = await postToken(emu.url, signJwt(keys.privateKey, claims({ aud: 'https://test.salesforce.com' })));
      assert.deepEqual(test.body, { error: 'invalid_grant', error_description: 'audience is invalid' });
    } finally {
      emu.scenario.setBehaviour({ legacyLoginAudience: false });
    }
  });

  const expectError = async (assertion: string, pair: readonly [string, string]): Promise<void> => {
    const r = await postToken(emu.url, assertion);
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { error: pair[0], error_description: pair[1] });
  };

  it('unknown consumer key → invalid_client_id / client identifier invalid', async () => {
    await expectError(signJwt(keys.privateKey, claims({ iss: 'nope' })), ['invalid_client_id', 'client identifier invalid']);
  });
  it('signature from another key → invalid_client / invalid client credentials (as recorded on ECAs)', async () => {
    await expectError(signJwt(other.privateKey, claims()), ['invalid_client', 'invalid client credentials']);
  });
  it('garbage assertion → invalid_grant / invalid assertion', async () => {
    await expectError('abc.def', JWT_ERRORS.malformed);
  });
  it('another audience → invalid_grant / audience is invalid', async () => {
    await expectError(signJwt(keys.privateKey, claims({ aud: 'https://evil.example.com' })), ['invalid_grant', 'audience is invalid']);
  });
  it('exp in the past → invalid_grant / expired authorization code', async () => {
    await expectError(signJwt(keys.privateKey, claims({ exp: Math.floor(Date.now() / 1000) - 10 })), ['invalid_grant', 'expired authorization code']);
  });
  it('unknown user → invalid_grant / invalid assertion', async () => {
    await expectError(signJwt(keys.privateKey, claims({ sub: 'nobody@anzenna-emu.example' })), JWT_ERRORS.unknownUser);
  });
  it('inactive user → invalid_grant / inactive user', async () => {
    emu.scenario.setUserActive('jane.doe@anzenna-emu.example', false);
    try {
      await expectError(signJwt(keys.privateKey, claims({ sub: 'jane.doe@anzenna-emu.example' })), ['invalid_grant', 'inactive user']);
    } finally {
      emu.scenario.setUserActive('jane.doe@anzenna-emu.example', true);
    }
  });
  it('AdminApprovedPreAuthorized without the profile or permission set → invalid_app_access', async () => {
    await expectError(signJwt(keys.privateKey, claims({ sub: 'jane.doe@anzenna-emu.example' })), ['invalid_app_access', 'user is not admin approved to access this app']);
  });
  it('password grant → unsupported_grant_type', async () => {
    const r = await postToken(emu.url, 'x', 'password');
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
  });

  it('refresh_token grant with an unknown token → invalid_grant, expired access/refresh token', async () => {
    const res = await fetch(`${emu.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: '5Aep861nope', client_id: 'PlatformCLI' }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'invalid_grant', error_description: 'expired access/refresh token' });
  });
});

describe('JWT policies, app state and propagation', () => {
  let emu: EmulatorHandle;
  let keys: KeyPair;
  after(async () => emu?.close());

  const claims = (iss: string, sub: string, aud = emu.url): Record<string, unknown> => ({ iss, sub, aud, exp: Date.now() + 300 });

  it('AllSelfAuthorized: user hasn\'t approved this consumer, until the user approves', async () => {
    emu = await startEmulator({ edition: 'Developer' });
    keys = makeKeyPair(tempDir());
    const { conn } = await adminOrg(emu);
    const res = await deployProject(conn, writeEcaProject({ app: 'Self', certPem: keys.certPem, consumerKey: 'SELFKEY', policy: { permittedUsers: 'AllSelfAuthorized' } }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
    const bad = await postToken(emu.url, signJwt(keys.privateKey, claims('SELFKEY', emu.adminUsername)));
    assert.deepEqual(bad.body, { error: 'invalid_grant', error_description: "user hasn't approved this consumer" });
    emu.approveApp(emu.adminUsername, 'Self');
    const ok = await postToken(emu.url, signJwt(keys.privateKey, claims('SELFKEY', emu.adminUsername)));
    assert.equal(ok.status, 200);
  });

  it('an app deployed without policies gets an AllSelfAuthorized default policy', async () => {
    const { conn } = await adminOrg(emu);
    const res = await deployProject(conn, writeEcaProject({ app: 'NoPolicy', certPem: keys.certPem, consumerKey: 'NOPOLKEY', policy: false, pluginPolicy: false }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
    const r = await postToken(emu.url, signJwt(keys.privateKey, claims('NOPOLKEY', emu.adminUsername)));
    assert.deepEqual(r.body, { error: 'invalid_grant', error_description: "user hasn't approved this consumer" });
  });

  it('pre-authorisation through an assigned permission set', async () => {
    const { conn } = await adminOrg(emu);
    const ps = `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Anzenna Access</label>\n    <userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>\n</PermissionSet>\n`;
    const first = await deployProject(conn, writeEcaProject({ withoutEca: true, withoutOauthSettings: true, withoutGlobal: true, policy: false, pluginPolicy: false, extraFiles: { 'permissionsets/Anzenna_Access.permissionset-meta.xml': ps } }));
    assert.equal(first.response.status, 'Succeeded', failuresOf(first).join('\n'));
    const res = await deployProject(conn, writeEcaProject({ app: 'ByPs', certPem: keys.certPem, consumerKey: 'BYPSKEY', policy: { permissionSets: 'Anzenna_Access' } }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
    const jane = 'jane.doe@anzenna-emu.example';
    const denied = await postToken(emu.url, signJwt(keys.privateKey, claims('BYPSKEY', jane)));
    assert.equal(denied.body.error, 'invalid_app_access');
    const psId = (await conn.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Anzenna_Access'")).records[0].Id;
    const janeId = emu.state.userByUsername(jane)!.Id;
    await conn.sobject('PermissionSetAssignment').create({ AssigneeId: janeId, PermissionSetId: psId });
    const ok = await postToken(emu.url, signJwt(keys.privateKey, claims('BYPSKEY', jane)));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('a disabled app (isOauthPluginEnabled=false) is refused', async () => {
    const { conn } = await adminOrg(emu);
    const res = await deployProject(conn, writeEcaProject({ app: 'Off', certPem: keys.certPem, consumerKey: 'OFFKEY', pluginPolicy: { isOauthPluginEnabled: false } }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
    const r = await postToken(emu.url, signJwt(keys.privateKey, claims('OFFKEY', emu.adminUsername)));
    assert.deepEqual(r.body, { error: JWT_ERRORS.appDisabled[0], error_description: JWT_ERRORS.appDisabled[1] });
  });

  it('a new app is unknown to the token endpoint during the propagation delay', async () => {
    const { conn } = await adminOrg(emu);
    emu.faults.propagationMs = 60_000;
    try {
      const res = await deployProject(conn, writeEcaProject({ app: 'Slow', certPem: keys.certPem, consumerKey: 'SLOWKEY' }));
      assert.equal(res.response.status, 'Succeeded');
      const r = await postToken(emu.url, signJwt(keys.privateKey, claims('SLOWKEY', emu.adminUsername)));
      assert.deepEqual(r.body, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
    } finally {
      emu.faults.propagationMs = 0;
    }
    const r = await postToken(emu.url, signJwt(keys.privateKey, claims('SLOWKEY', emu.adminUsername)));
    assert.equal(r.status, 200);
  });

  it('an app without the refresh_token scope → invalid_request (recorded on ECAs)', async () => {
    const { conn } = await adminOrg(emu);
    const res = await deployProject(conn, writeEcaProject({ app: 'NoRefresh', certPem: keys.certPem, consumerKey: 'NOREFRESHKEY', scopes: 'Api' }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
    const r = await postToken(emu.url, signJwt(keys.privateKey, claims('NOREFRESHKEY', emu.adminUsername)));
    assert.deepEqual(r.body, { error: 'invalid_request', error_description: 'refresh_token scope is required and the connected app should be installed and preauthorized.' });
    emu.scenario.setAppField('ExtlClntAppOauthSettings', 'NoRefresh_oauth', 'commaSeparatedOauthScopes', 'Api, OfflineAccess');
    const ok = await postToken(emu.url, signJwt(keys.privateKey, claims('NOREFRESHKEY', emu.adminUsername)));
    assert.equal(ok.status, 200, 'offline_access is the same scope');
  });

  it('a sandbox: My Domain works, test.salesforce.com is app_not_found (legacy: accepted), login.salesforce.com refused', async () => {
    const sb = await startEmulator({ edition: 'Sandbox' });
    try {
      const { conn } = await adminOrg(sb);
      await deployProject(conn, writeEcaProject({ app: 'Sb', certPem: keys.certPem, consumerKey: 'SBKEY' }));
      assert.equal((await postToken(sb.url, signJwt(keys.privateKey, claims('SBKEY', sb.adminUsername, sb.url)))).status, 200);
      const missing = await postToken(sb.url, signJwt(keys.privateKey, claims('SBKEY', sb.adminUsername, 'https://test.salesforce.com')));
      assert.equal(missing.body.error, 'app_not_found');
      sb.scenario.setBehaviour({ legacyLoginAudience: true });
      const ok = await postToken(sb.url, signJwt(keys.privateKey, claims('SBKEY', sb.adminUsername, 'https://test.salesforce.com')));
      assert.equal(ok.status, 200);
      const bad = await postToken(sb.url, signJwt(keys.privateKey, claims('SBKEY', sb.adminUsername, 'https://login.salesforce.com')));
      assert.deepEqual(bad.body, { error: 'invalid_grant', error_description: 'audience is invalid' });
    } finally {
      await sb.close();
    }
  });

  it('legacyLoginAudience is also an emulator option', async () => {
    const legacy = await startEmulator({ edition: 'Developer', legacyLoginAudience: true });
    try {
      const { conn } = await adminOrg(legacy);
      await deployProject(conn, writeEcaProject({ app: 'Old', certPem: keys.certPem, consumerKey: 'OLDKEY' }));
      const ok = await postToken(legacy.url, signJwt(keys.privateKey, claims('OLDKEY', legacy.adminUsername, 'https://login.salesforce.com')));
      assert.equal(ok.status, 200);
    } finally {
      await legacy.close();
    }
  });
});
