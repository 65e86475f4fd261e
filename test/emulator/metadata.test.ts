/**
 * Metadata API through SDR (the real client): deploy, redeploy, retrieve, list/read, and one
 * negative deploy per validation rule, asserting the exact problem text.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from '@salesforce/core';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import {
  adminOrg, deployProject, failuresOf, installEgressGuard, makeKeyPair, perm, permissionSetXml, profileXml, retrieveInto, tempDir,
  writeEcaProject, writeProject, rejects, type KeyPair,
} from './test-helpers.js';

installEgressGuard();
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';

describe('Metadata API deploy and retrieve through SDR', () => {
  let emu: EmulatorHandle;
  let conn: Connection;
  let keys: KeyPair;
  before(async () => {
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    keys = makeKeyPair(tempDir());
    ({ conn } = await adminOrg(emu));
  });
  after(async () => emu.close());

  const expectFailure = async (project: string, expected: string, apiOptions: Record<string, boolean> = {}): Promise<void> => {
    const res = await deployProject(conn, project, apiOptions);
    assert.equal(res.response.status, 'Failed');
    assert.equal(res.response.success, false);
    const problems = failuresOf(res);
    assert.ok(problems.some((p) => p.endsWith(`: ${expected}`)), `expected "${expected}" in\n${problems.join('\n')}`);
  };

  it('deploys an ECA bundle (created), redeploys it in place (changed) and keeps Ids', async () => {
    const project = writeEcaProject({ app: 'Bundle', certPem: keys.certPem, consumerKey: 'BUNDLEKEY' });
    const first = await deployProject(conn, project);
    assert.equal(first.response.status, 'Succeeded', failuresOf(first).join('\n'));
    const files = first.getFileResponses();
    const byType = new Map(files.map((f) => [f.type, f.state]));
    for (const t of ['ExternalClientApplication', 'ExtlClntAppOauthSettings', 'ExtlClntAppGlobalOauthSettings', 'ExtlClntAppOauthConfigurablePolicies', 'ExtlClntAppConfigurablePolicies']) {
      assert.equal(byType.get(t), 'Created', `${t} created`);
    }
    const ecaId = emu.state.component('ExternalClientApplication', 'Bundle')!.id;
    const again = await deployProject(conn, project);
    assert.equal(again.response.status, 'Succeeded');
    assert.ok(again.getFileResponses().every((f) => f.state === 'Changed'), JSON.stringify(again.getFileResponses()));
    assert.equal(emu.state.component('ExternalClientApplication', 'Bundle')!.id, ecaId);
    const soql = await conn.query<{ DeveloperName: string; MasterLabel: string }>("SELECT Id, DeveloperName, MasterLabel FROM ExternalClientApplication WHERE DeveloperName = 'Bundle'");
    assert.equal(soql.records[0].MasterLabel, 'Bundle');
    const tooling = await conn.tooling.query<{ DeveloperName: string; OauthScopesAPI: boolean }>("SELECT DeveloperName, OauthScopesAPI FROM ExtlClntAppOauthSettings WHERE DeveloperName = 'Bundle_oauth'");
    assert.equal(tooling.records[0].OauthScopesAPI, true);
  });

  it('reports the consumer key through the OAuth usage and credentials resources', async () => {
    const usage = await conn.request<{ apps: { developerName: string; identifier: string }[] }>(`/services/data/v66.0/apps/oauth/usage`);
    const app = usage.apps.find((a) => a.developerName === 'Bundle');
    assert.ok(app);
    const creds = await conn.request<{ consumers: { id: string; key: string; url: string }[] }>(`/services/data/v66.0/apps/oauth/credentials/${app.identifier}`);
    assert.equal(creds.consumers[0].key, 'BUNDLEKEY');
    const one = await conn.request<{ id: string; key: string }>(`${creds.consumers[0].url}?part=key`);
    assert.deepEqual(one, { id: creds.consumers[0].id, key: 'BUNDLEKEY' });
    await rejects(conn.request(`${creds.consumers[0].url}?part=secret`), (e: Error) => e.name === 'FUNCTIONALITY_NOT_ENABLED');
  });

  it('retrieves the global OAuth settings (key, no secret until the org setting allows it) into the project', async (t) => {
    // SDR resolves the retrieved zip against the .forceignore found from the cwd; the repo's ignores these files.
    const cwd = process.cwd();
    const project = tempDir();
    process.chdir(project);
    t.after(() => process.chdir(cwd));
    const res = await retrieveInto(conn, project, [{ type: 'ExtlClntAppGlobalOauthSettings', fullName: 'Bundle_glbloauth' }, { type: 'ExternalClientApplication', fullName: 'Bundle' }]);
    assert.equal(res.response.status, 'Succeeded');
    const file = res.getFileResponses().find((f) => f.type === 'ExtlClntAppGlobalOauthSettings')?.filePath;
    assert.ok(file?.startsWith(project) && file.endsWith('extlClntAppGlobalOauthSets/Bundle_glbloauth.ecaGlblOauth-meta.xml'), file);
    const xml = readFileSync(String(file), 'utf8');
    assert.match(xml, /<consumerKey>BUNDLEKEY<\/consumerKey>/);
    assert.doesNotMatch(xml, /consumerSecret/);
    assert.ok(res.getFileResponses().some((f) => f.type === 'ExternalClientApplication' && f.state === 'Created'));
    const settings = await deployProject(conn, writeProject({ 'settings/ExternalClientApp.settings-meta.xml': `${XML}<ExternalClientAppSettings ${NS}>\n    <enableConsumerSecretApiAccess>true</enableConsumerSecretApiAccess>\n</ExternalClientAppSettings>\n` }));
    assert.equal(settings.response.status, 'Succeeded', failuresOf(settings).join('\n'));
    const again = await retrieveInto(conn, tempDir(), [{ type: 'ExtlClntAppGlobalOauthSettings', fullName: 'Bundle_glbloauth' }]);
    const zipXml = readFileSync(again.getFileResponses()[0].filePath!, 'utf8');
    assert.match(zipXml, /<consumerSecret>[0-9A-F]{64}<\/consumerSecret>/);
  });

  it('retrieves orgScopedExternalApp with the 15-character org Id; accepts 15 or 18 on redeploy, refuses another org\'s', async () => {
    const read = async (): Promise<string> => {
      const res = await retrieveInto(conn, tempDir(), [{ type: 'ExternalClientApplication', fullName: 'Bundle' }]);
      return readFileSync(res.getFileResponses()[0].filePath!, 'utf8');
    };
    const org15 = emu.state.orgId.slice(0, 15);
    assert.equal(/<orgScopedExternalApp>([^<]+)</.exec(await read())?.[1], `${org15}:Bundle`);
    for (const id of [org15, emu.state.orgId]) {
      const res = await deployProject(conn, writeEcaProject({ app: 'Bundle', certPem: keys.certPem, consumerKey: 'BUNDLEKEY', ecaExtraXml: `\n    <orgScopedExternalApp>${id}:Bundle</orgScopedExternalApp>` }));
      assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
      assert.match(await read(), new RegExp(`<orgScopedExternalApp>${org15}:Bundle</orgScopedExternalApp>`));
    }
    await expectFailure(
      writeEcaProject({ app: 'Bundle', certPem: keys.certPem, consumerKey: 'BUNDLEKEY', ecaExtraXml: '\n    <orgScopedExternalApp>00Dbm000004ELiD:Bundle</orgScopedExternalApp>' }),
      "The orgScopedExternalApp value 00Dbm000004ELiD:Bundle doesn't belong to this org."
    );
  });

  it('certificateUnreadable and pkceAlwaysOn change only what is read back (retrieve and readMetadata)', async (t) => {
    const cwd = process.cwd();
    process.chdir(tempDir());
    t.after(() => process.chdir(cwd));
    const restore = emu.scenario.checkpoint();
    t.after(restore);
    const readBack = async (): Promise<{ xml: string; read: Record<string, unknown> }> => {
      const res = await retrieveInto(conn, tempDir(), [{ type: 'ExtlClntAppGlobalOauthSettings', fullName: 'Bundle_glbloauth' }]);
      const result = (await conn.metadata.read('ExtlClntAppGlobalOauthSettings' as never, ['Bundle_glbloauth'])) as unknown as Record<string, unknown> | Record<string, unknown>[];
      const read = Array.isArray(result) ? result[0] : result;
      return { xml: readFileSync(res.getFileResponses()[0].filePath!, 'utf8'), read };
    };
    const plain = await readBack();
    assert.match(plain.xml, /<certificate>-----BEGIN CERTIFICATE-----/);
    assert.match(plain.xml, /<isPkceRequired>false<\/isPkceRequired>/);
    assert.equal(plain.read.isPkceRequired, 'false');
    emu.scenario.setBehaviour({ certificateUnreadable: true, pkceAlwaysOn: true });
    const odd = await readBack();
    assert.doesNotMatch(odd.xml, /<certificate>/);
    assert.equal(odd.read.certificate, undefined);
    assert.match(odd.xml, /<isPkceRequired>true<\/isPkceRequired>/);
    assert.equal(odd.read.isPkceRequired, 'true');
    assert.equal(emu.scenario.appField('ExtlClntAppGlobalOauthSettings', 'Bundle_glbloauth', 'isPkceRequired'), 'false', 'the org still holds what was deployed');
  });

  it('a missing retrieve member is a warning message, not a failure', async () => {
    const res = await retrieveInto(conn, tempDir(), [{ type: 'ExternalClientApplication', fullName: 'Nope' }]);
    assert.equal(res.response.status, 'Succeeded');
    const messages = res.response.messages;
    const list = messages === undefined ? [] : Array.isArray(messages) ? messages : [messages];
    assert.ok(list.some((m) => m.problem === "Entity of type 'ExternalClientApplication' named 'Nope' cannot be found"));
  });

  it('auto-creates <OAuthSettings>_defaultPolicy and <ECA>_defaultPolicy and generates a 3MVG9 key', async () => {
    const res = await deployProject(conn, writeEcaProject({ app: 'Auto', certPem: keys.certPem, policy: false, pluginPolicy: false }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
    const oauthPolicies = await conn.metadata.list([{ type: 'ExtlClntAppOauthConfigurablePolicies' }]);
    assert.ok(oauthPolicies.some((p) => p.fullName === 'Auto_oauth_defaultPolicy'));
    const plugin = await conn.metadata.list([{ type: 'ExtlClntAppConfigurablePolicies' }]);
    assert.ok(plugin.some((p) => p.fullName === 'Auto_defaultPolicy' && p.fileName === 'extlClntAppPolicies/Auto_defaultPolicy.ecaPlcy'));
    const read = (await conn.metadata.read('ExtlClntAppOauthConfigurablePolicies' as never, 'Auto_oauth_defaultPolicy')) as unknown as Record<string, unknown>;
    assert.equal(read.permittedUsersPolicyType, 'AllSelfAuthorized');
    const global = (await conn.metadata.read('ExtlClntAppGlobalOauthSettings' as never, 'Auto_glbloauth')) as unknown as Record<string, unknown>;
    assert.match(String(global.consumerKey), /^3MVG9[A-Za-z0-9]{80}$/);
  });

  it('a policy with the auto-created name updates it in place', async () => {
    const res = await deployProject(conn, writeEcaProject({ app: 'Auto', certPem: keys.certPem, withoutGlobal: true, policy: { name: 'Auto_oauth_defaultPolicy' }, pluginPolicy: false }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
    assert.equal(res.getFileResponses().find((f) => f.type === 'ExtlClntAppOauthConfigurablePolicies')?.state, 'Changed');
    assert.equal(emu.state.component('ExtlClntAppOauthConfigurablePolicies', 'Auto_oauth_defaultPolicy')!.data.permittedUsersPolicyType, 'AdminApprovedPreAuthorized');
  });

  it('rule: one OAuth policy per OAuth settings → DUPLICATE_VALUE', async () => {
    await expectFailure(writeEcaProject({ app: 'Auto', withoutGlobal: true, withoutOauthSettings: true, policy: { name: 'Auto_second' }, pluginPolicy: false }), 'DUPLICATE_VALUE: ExtlClntAppOauthSettingsId duplicates value on Auto_oauth_defaultPolicy');
  });

  it('rule: unknown element', async () => {
    await expectFailure(writeEcaProject({ app: 'U1', ecaExtraXml: '\n    <colour>blue</colour>' }), 'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}colour invalid at this location in type ExternalClientApplication');
  });

  it('rule: isNamedUserJwtEnabled is unknown outside API 61–63', async () => {
    await expectFailure(writeEcaProject({ app: 'U2', policy: { extraXml: '\n    <isNamedUserJwtEnabled>true</isNamedUserJwtEnabled>' } }), 'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}isNamedUserJwtEnabled invalid at this location in type ExtlClntAppOauthConfigurablePolicies');
  });

  it('rule: bad enum value', async () => {
    await expectFailure(writeEcaProject({ app: 'U3', ecaExtraXml: '' , policy: { permittedUsers: 'Everyone' as 'AllSelfAuthorized' } }), "Error parsing file: 'Everyone' is not a valid value for the enum 'PermittedUsersPolicyType'");
  });

  it('rule: bad boolean value', async () => {
    await expectFailure(writeEcaProject({ app: 'U4', pluginPolicy: { isEnabled: 'yes' as unknown as boolean } }), "Error parsing file: 'yes' is not valid for the type xsd:boolean");
  });

  it('rule: required field missing (PermissionSet label)', async () => {
    await expectFailure(writeProject({ 'permissionsets/NoLabel.permissionset-meta.xml': permissionSetXml(perm('ApiEnabled')) }), 'Required field is missing: label');
  });

  it('rule: unknown OAuth scope token', async () => {
    await expectFailure(writeEcaProject({ app: 'U5', scopes: 'Api, McpApi, RefreshToken' }), "There's a problem with your scope(s): McpApi");
  });

  it('rule: satellite must reference an ECA in the deploy or the org', async () => {
    await expectFailure(writeEcaProject({ app: 'Ghost', withoutEca: true, policy: false, pluginPolicy: false, withoutGlobal: true }), "We couldn't find an external client app called Ghost.");
  });

  it('rule: policy permission sets must exist (names, not Ids)', async () => {
    await expectFailure(writeEcaProject({ app: 'U6', certPem: keys.certPem, policy: { permissionSets: '0PS5g0000000001AAA' } }), "INVALID_FIELD: We couldn't find permission sets called 0PS5g0000000001AAA");
  });

  it('rule: policy profiles must exist', async () => {
    await expectFailure(writeEcaProject({ app: 'U7', certPem: keys.certPem, policy: { profiles: 'Anzenna Nobody' } }), "INVALID_FIELD: We couldn't find profiles called Anzenna Nobody");
  });

  it('rule: global OAuth settings need OAuth settings', async () => {
    await expectFailure(writeEcaProject({ app: 'U8', certPem: keys.certPem, withoutOauthSettings: true, policy: false, pluginPolicy: false }), "The external client app configured in your global OAuth Settings doesn't have a valid OAuth settings configuration");
  });

  it('rule: a profile\'s licence cannot change', async () => {
    await expectFailure(writeProject({ 'profiles/Standard.profile-meta.xml': profileXml('    <userLicense>Salesforce Integration</userLicense>') }), "The user license for this profile can't be changed.");
  });

  it('rule: permissions the licence does not allow', async () => {
    await expectFailure(
      writeProject({ 'profiles/Too Much.profile-meta.xml': profileXml(`    <custom>true</custom>\n    <userLicense>Salesforce Integration</userLicense>\n${perm('ApiEnabled')}\n${perm('ModifyAllData')}`) }),
      "The user license doesn't allow the permission: ModifyAllData"
    );
  });

  it('rule: unknown user permission', async () => {
    await expectFailure(writeProject({ 'permissionsets/Odd.permissionset-meta.xml': permissionSetXml(`    <label>Odd</label>\n${perm('FlyToTheMoon')}`) }), 'Unknown user permission: FlyToTheMoon');
  });

  it('creates an integration profile and a PSL-licensed permission set, then rejects a licence change on it', async () => {
    const res = await deployProject(conn, writeProject({
      'profiles/Anzenna Integration.profile-meta.xml': profileXml(`    <custom>true</custom>\n    <userLicense>Salesforce Integration</userLicense>\n${perm('ApiEnabled')}\n${perm('ViewEventLogFiles')}`),
      'permissionsets/Event_Monitoring_Access.permissionset-meta.xml': permissionSetXml(`    <label>Event Monitoring Access</label>\n    <license>Salesforce API Integration</license>\n${perm('ApiEnabled')}\n${perm('ViewEventLogFiles')}`),
    }));
    assert.equal(res.response.status, 'Succeeded', failuresOf(res).join('\n'));
    const profile = await conn.query<{ Name: string; UserLicense: { Name: string } }>("SELECT Name, UserLicense.Name FROM Profile WHERE Name = 'Anzenna Integration'");
    assert.equal(profile.records[0].UserLicense.Name, 'Salesforce Integration');
    const ps = await conn.query<{ License: { Name?: string } | null; LicenseId: string }>("SELECT LicenseId FROM PermissionSet WHERE Name = 'Event_Monitoring_Access' AND IsOwnedByProfile = false");
    const psl = await conn.query<{ Id: string }>("SELECT Id FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'");
    assert.equal(ps.records[0].LicenseId, psl.records[0].Id);
    await expectFailure(writeProject({ 'permissionsets/Event_Monitoring_Access.permissionset-meta.xml': permissionSetXml('    <label>Event Monitoring Access</label>\n    <license>Salesforce</license>') }), "The license for this permission set can't be changed.");
  });

  it('rejectLicensedPermissionSetInPolicy: a policy pre-authorizing the PSL-licensed set fails, the profile alone deploys', async (t) => {
    const restore = emu.scenario.checkpoint();
    t.after(restore);
    emu.scenario.setBehaviour({ rejectLicensedPermissionSetInPolicy: true });
    const both = writeEcaProject({ app: 'Lic', certPem: keys.certPem, policy: { permissionSets: 'Event_Monitoring_Access', profiles: 'System Administrator' } });
    await expectFailure(both, "INVALID_CROSS_REFERENCE_KEY: You can't assign this app to permission sets with the Salesforce API Integration license: Event_Monitoring_Access");
    const profileOnly = await deployProject(conn, writeEcaProject({ app: 'Lic', certPem: keys.certPem, policy: { profiles: 'System Administrator' } }));
    assert.equal(profileOnly.response.status, 'Succeeded', failuresOf(profileOnly).join('\n'));
    emu.scenario.setBehaviour({ rejectLicensedPermissionSetInPolicy: false });
    const again = await deployProject(conn, both);
    assert.equal(again.response.status, 'Succeeded', 'without the option the same policy deploys');
  });

  it('rollbackOnError=true applies nothing when one component fails; false applies the rest', async () => {
    emu.faults.failComponent('Roll_glbloauth', 'ExtlClntAppGlobalOauthSettings', 'Injected failure');
    const project = writeEcaProject({ app: 'Roll', certPem: keys.certPem });
    await expectFailure(project, 'Injected failure');
    assert.equal(emu.state.component('ExternalClientApplication', 'Roll'), undefined, 'rolled back');
    const partial = await deployProject(conn, project, { rollbackOnError: false });
    assert.equal(partial.response.status, 'SucceededPartial');
    assert.ok(emu.state.component('ExternalClientApplication', 'Roll'));
    assert.ok(emu.state.component('ExtlClntAppConfigurablePolicies', 'Roll_defaultPolicy'));
    assert.equal(emu.state.component('ExtlClntAppGlobalOauthSettings', 'Roll_glbloauth'), undefined);
    emu.faults.componentFaults.length = 0;
  });

  it('checkOnly validates and applies nothing', async () => {
    const res = await deployProject(conn, writeEcaProject({ app: 'Check', certPem: keys.certPem }), { checkOnly: true });
    assert.equal(res.response.status, 'Succeeded');
    assert.equal(res.response.checkOnly, true);
    assert.equal(emu.state.component('ExternalClientApplication', 'Check'), undefined);
  });

  it('stays InProgress for deployMs and can be canceled (nothing applied)', async () => {
    emu.faults.deployMs = 60_000;
    try {
      const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
      const op = await ComponentSet.fromSource(join(writeEcaProject({ app: 'Slow', certPem: keys.certPem }), 'force-app')).deploy({ usernameOrConnection: conn });
      const statuses: string[] = [];
      op.onUpdate((r) => {
        statuses.push(r.status);
        if (statuses.length === 2) void op.cancel();
      });
      const res = await op.pollStatus(20, 60);
      assert.ok(statuses.includes('InProgress'), statuses.join(','));
      assert.equal(res.response.status, 'Canceled');
      assert.equal(emu.state.component('ExternalClientApplication', 'Slow'), undefined);
    } finally {
      emu.faults.deployMs = 0;
    }
  });

  it('records the SOAP operations in the request log', () => {
    const ops = new Set(emu.requestLog.filter((r) => r.path.startsWith('/services/Soap/m/')).map((r) => r.operation));
    for (const op of ['deploy', 'checkDeployStatus', 'retrieve', 'checkRetrieveStatus', 'listMetadata', 'readMetadata', 'cancelDeploy']) assert.ok(ops.has(op), op);
  });
});

describe('settings by edition', () => {
  it('Event settings are not available in Professional', async () => {
    const emu = await startEmulator({ edition: 'Professional' });
    try {
      const { conn } = await adminOrg(emu);
      const res = await deployProject(conn, writeProject({ 'settings/Event.settings-meta.xml': `${XML}<EventSettings ${NS}>\n    <enableEventLogGeneration>true</enableEventLogGeneration>\n</EventSettings>\n` }));
      assert.deepEqual(failuresOf(res), ['Settings:Event: Not available for deploy for this organization']);
    } finally {
      await emu.close();
    }
  });

  it('RealTimeEvent settings need the add-on; Event settings deploy on Enterprise', async () => {
    const emu = await startEmulator({ edition: 'Enterprise' });
    try {
      const { conn } = await adminOrg(emu);
      const rte = await deployProject(conn, writeProject({ 'settings/RealTimeEvent.settings-meta.xml': `${XML}<RealTimeEventSettings ${NS}>\n    <realTimeEvents>\n        <entityName>LoginEvent</entityName>\n        <isEnabled>true</isEnabled>\n    </realTimeEvents>\n</RealTimeEventSettings>\n` }));
      assert.deepEqual(failuresOf(rte), ['Settings:RealTimeEvent: Not available for deploy for this organization']);
      const ev = await deployProject(conn, writeProject({ 'settings/Event.settings-meta.xml': `${XML}<EventSettings ${NS}>\n    <enableEventLogGeneration>true</enableEventLogGeneration>\n</EventSettings>\n` }));
      assert.equal(ev.response.status, 'Succeeded', failuresOf(ev).join('\n'));
      assert.equal(emu.state.settings.Event.enableEventLogGeneration, 'true');
    } finally {
      await emu.close();
    }
  });
});
