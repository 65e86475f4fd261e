/**
 * The static SFDX project: SDR resolves every file in force-app to the intended type and
 * fullName, every file matches the reference's field and enum tables, the policy's references
 * point at components that exist, and the security rules hold (least privilege, no optional
 * permission in the static source, no global OAuth settings in source).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ComponentSet, RegistryAccess } from '@salesforce/source-deploy-retrieve';
import { forceAppDir, listFiles, repoRoot } from './helpers.js';
import { nodes, OAUTH_SCOPE_TOKENS, parseWithFxp, splitList, texts, TYPE_SPECS, validateMetadata } from './schema.js';

type Expected = { path: string; type: string; fullName: string; spec: string };

/** Every metadata file in force-app, with the type SDR must resolve and the table it must match. */
const EXPECTED: Expected[] = [
  { path: 'main/default/externalClientApps/Anzenna.eca-meta.xml', type: 'ExternalClientApplication', fullName: 'Anzenna', spec: 'ExternalClientApplication' },
  { path: 'main/default/extlClntAppOauthSettings/Anzenna_oauth.ecaOauth-meta.xml', type: 'ExtlClntAppOauthSettings', fullName: 'Anzenna_oauth', spec: 'ExtlClntAppOauthSettings' },
  {
    path: 'main/default/extlClntAppOauthPolicies/Anzenna_oauth_defaultPolicy.ecaOauthPlcy-meta.xml',
    type: 'ExtlClntAppOauthConfigurablePolicies',
    fullName: 'Anzenna_oauth_defaultPolicy',
    spec: 'ExtlClntAppOauthConfigurablePolicies',
  },
  {
    path: 'main/default/extlClntAppPolicies/Anzenna_defaultPolicy.ecaPlcy-meta.xml',
    type: 'ExtlClntAppConfigurablePolicies',
    fullName: 'Anzenna_defaultPolicy',
    spec: 'ExtlClntAppConfigurablePolicies',
  },
  { path: 'main/default/profiles/Anzenna Integration.profile-meta.xml', type: 'Profile', fullName: 'Anzenna Integration', spec: 'Profile' },
  { path: 'main/default/permissionsets/Event_Monitoring_Access.permissionset-meta.xml', type: 'PermissionSet', fullName: 'Event_Monitoring_Access', spec: 'PermissionSet' },
  { path: 'optional/view-all-data/permissionsets/Anzenna_View_All_Data.permissionset-meta.xml', type: 'PermissionSet', fullName: 'Anzenna_View_All_Data', spec: 'PermissionSet' },
  { path: 'optional/setup-audit/permissionsets/Anzenna_Setup_Audit.permissionset-meta.xml', type: 'PermissionSet', fullName: 'Anzenna_Setup_Audit', spec: 'PermissionSet' },
  { path: 'optional/event-log-generation/settings/Event.settings-meta.xml', type: 'Settings', fullName: 'Event', spec: 'EventSettings' },
  { path: 'optional/real-time-events/settings/RealTimeEvent.settings-meta.xml', type: 'Settings', fullName: 'RealTimeEvent', spec: 'RealTimeEventSettings' },
];

const NOT_METADATA = ['README.md'];

const read = (path: string): string => readFileSync(join(forceAppDir, path), 'utf8');
const parsed = (path: string): Record<string, unknown> => parseWithFxp(read(path)).node;
const one = (path: string, name: string): string | undefined => {
  const values = texts(parsed(path), name);
  assert.ok(values.length <= 1, `${path}: <${name}> repeated`);
  return values[0];
};
const byFullName = (fullName: string): string => {
  const entry = EXPECTED.find((e) => e.fullName === fullName);
  assert.ok(entry, `no expected entry ${fullName}`);
  return entry.path;
};
const userPermissions = (path: string): Map<string, string> =>
  new Map(nodes(parsed(path), 'userPermissions').map((p) => [texts(p, 'name')[0], texts(p, 'enabled')[0]]));

const project = JSON.parse(readFileSync(join(repoRoot, 'sfdx-project.json'), 'utf8')) as {
  packageDirectories: Array<{ path: string; default?: boolean }>;
  sourceApiVersion: string;
  name: string;
};
const apiVersion = Number(project.sourceApiVersion);

describe('sfdx-project.json and config', () => {
  it('has one default package directory force-app and sourceApiVersion 64.0', () => {
    assert.deepEqual(project.packageDirectories, [{ path: 'force-app', default: true }]);
    assert.equal(project.sourceApiVersion, '64.0');
    assert.equal(project.name, 'sf-anzenna');
  });

  it('the scratch org definition enables EventLogFile, log generation and consumer-secret access', () => {
    const def = JSON.parse(readFileSync(join(repoRoot, 'config', 'project-scratch-def.json'), 'utf8')) as {
      edition: string;
      features: string[];
      settings: { eventSettings: { enableEventLogGeneration: boolean }; externalClientAppSettings: { enableConsumerSecretApiAccess: boolean } };
    };
    assert.equal(def.edition, 'Enterprise');
    assert.ok(def.features.includes('EventLogFile'));
    assert.equal(def.settings.eventSettings.enableEventLogGeneration, true);
    assert.equal(def.settings.externalClientAppSettings.enableConsumerSecretApiAccess, true);
  });
});

describe('SDR resolution of force-app', () => {
  it('force-app holds exactly the expected files', () => {
    assert.deepEqual(listFiles(forceAppDir), [...EXPECTED.map((e) => e.path), ...NOT_METADATA].sort());
  });

  it('resolves every component to the intended type, fullName and file', () => {
    const components = ComponentSet.fromSource(forceAppDir).getSourceComponents().toArray();
    const actual = components
      .map((c) => ({ type: c.type.name, fullName: c.fullName, xml: c.xml, content: c.content }))
      .sort((a, b) => a.xml!.localeCompare(b.xml!));
    const expected = EXPECTED.map((e) => ({ type: e.type, fullName: e.fullName, xml: join(forceAppDir, e.path), content: undefined })).sort((a, b) =>
      a.xml.localeCompare(b.xml)
    );
    assert.deepEqual(actual, expected);
  });

  it('each file alone resolves to its type (no folder context needed)', () => {
    const registry = new RegistryAccess();
    for (const e of EXPECTED) {
      const [component] = ComponentSet.fromSource(join(forceAppDir, e.path)).getSourceComponents().toArray();
      assert.equal(component?.type.name, e.type, e.path);
      assert.equal(component.fullName, e.fullName, e.path);
      assert.equal(registry.getTypeByName(e.type).name, e.type);
    }
  });
});

describe('field and enum tables', () => {
  for (const e of EXPECTED) {
    it(`${e.path} parses and matches the ${e.spec} table`, () => {
      assert.deepEqual(validateMetadata(read(e.path), TYPE_SPECS[e.spec], apiVersion), []);
    });
  }

  it('descriptions fit in 255 characters', () => {
    for (const e of EXPECTED) {
      for (const description of texts(parsed(e.path), 'description')) assert.ok(description.length <= 255, e.path);
    }
  });
});

describe('External Client App components', () => {
  const eca = byFullName('Anzenna');
  const oauth = byFullName('Anzenna_oauth');
  const oauthPolicy = byFullName('Anzenna_oauth_defaultPolicy');
  const appPolicy = byFullName('Anzenna_defaultPolicy');

  it('the app is local, labelled and contactable, with nothing org-specific', () => {
    assert.equal(one(eca, 'label'), 'Anzenna');
    assert.equal(one(eca, 'contactEmail'), 'support@anzenna.ai');
    assert.equal(one(eca, 'distributionState'), 'Local');
    assert.ok(one(eca, 'description'));
    assert.equal(one(eca, 'orgScopedExternalApp'), undefined);
    assert.equal(one(eca, 'managedType'), undefined);
  });

  it('every satellite points at the ECA in force-app', () => {
    for (const path of [oauth, oauthPolicy, appPolicy]) assert.equal(one(path, 'externalClientApplication'), 'Anzenna', path);
  });

  it('policies are named after what they belong to, so a re-deploy updates the auto-created ones', () => {
    assert.equal(one(oauthPolicy, 'label'), 'Anzenna_oauth_defaultPolicy');
    assert.equal(one(appPolicy, 'label'), 'Anzenna_defaultPolicy');
  });

  it('scopes are exactly Api and RefreshToken, all known tokens, never Full', () => {
    const scopes = splitList(one(oauth, 'commaSeparatedOauthScopes') ?? '');
    assert.deepEqual(scopes, ['Api', 'RefreshToken']);
    for (const scope of scopes) assert.ok((OAUTH_SCOPE_TOKENS as readonly string[]).includes(scope));
    assert.equal(one(oauth, 'oauthLink'), undefined);
  });

  it('the OAuth policy pre-authorizes admin-approved users, never expires refresh tokens and relaxes IP', () => {
    assert.equal(one(oauthPolicy, 'permittedUsersPolicyType'), 'AdminApprovedPreAuthorized');
    assert.equal(one(oauthPolicy, 'refreshTokenPolicyType'), 'Infinite');
    assert.equal(one(oauthPolicy, 'ipRelaxationPolicyType'), 'Bypass');
    assert.equal(one(oauthPolicy, 'requiredSessionLevel'), 'STANDARD');
    for (const flow of ['isClientCredentialsFlowEnabled', 'isGuestCodeCredFlowEnabled', 'isTokenExchangeFlowEnabled']) {
      assert.equal(one(oauthPolicy, flow), 'false', flow);
    }
    for (const absent of [
      'isNamedUserJwtEnabled',
      'sessionTimeoutInMinutes',
      'namedUserJwtSessionTimeoutType',
      'namedUserJwtTimeout',
      'guestJwtSessionTimeoutType',
      'guestJwtTimeout',
      'refreshTokenValidityPeriod',
      'refreshTokenValidityUnit',
      'clientCredentialsFlowUser',
    ]) {
      assert.equal(one(oauthPolicy, absent), undefined, absent);
    }
  });

  it('the app policy enables the app and its OAuth plugin', () => {
    assert.equal(one(appPolicy, 'isEnabled'), 'true');
    assert.equal(one(appPolicy, 'isOauthPluginEnabled'), 'true');
  });

  it('the policy pre-authorizes exactly the integration profile and the Event Monitoring permission set, both in main/default', () => {
    const profiles = splitList(one(oauthPolicy, 'commaSeparatedProfile') ?? '');
    const permissionSets = splitList(one(oauthPolicy, 'commaSeparatedPermissionSet') ?? '');
    assert.deepEqual(profiles, ['Anzenna Integration']);
    assert.deepEqual(permissionSets, ['Event_Monitoring_Access']);
    const main = ComponentSet.fromSource(join(forceAppDir, 'main', 'default')).getSourceComponents().toArray();
    for (const name of profiles) assert.ok(main.some((c) => c.type.name === 'Profile' && c.fullName === name), `profile ${name}`);
    for (const name of permissionSets) assert.ok(main.some((c) => c.type.name === 'PermissionSet' && c.fullName === name), `permission set ${name}`);
  });

  it('the global OAuth settings are not in source, and both ignore files keep them out', () => {
    const all = listFiles(forceAppDir);
    assert.ok(!all.some((path) => path.includes('extlClntAppGlobalOauthSets') || path.includes('.ecaGlblOauth')));
    const gitignore = readFileSync(join(repoRoot, '.gitignore'), 'utf8').split('\n');
    const forceignore = readFileSync(join(repoRoot, '.forceignore'), 'utf8').split('\n');
    assert.ok(gitignore.some((line) => /^(force-app\/)?\*\*\/extlClntAppGlobalOauthSets\/?$/.test(line.trim())), '.gitignore');
    assert.ok(forceignore.some((line) => line.trim() === '**/extlClntAppGlobalOauthSets/**'), '.forceignore');
  });
});

describe('profile and permission sets', () => {
  const profile = byFullName('Anzenna Integration');
  const permissionSet = byFullName('Event_Monitoring_Access');

  it('the profile is a custom Salesforce Integration profile with API, API-only and event log access', () => {
    assert.equal(one(profile, 'custom'), 'true');
    assert.equal(one(profile, 'userLicense'), 'Salesforce Integration');
    const permissions = userPermissions(profile);
    for (const name of ['ApiEnabled', 'ApiUserOnly', 'ViewEventLogFiles']) assert.equal(permissions.get(name), 'true', name);
    const enabled = [...permissions].filter(([, value]) => value === 'true').map(([name]) => name).sort();
    assert.deepEqual(enabled, ['ApiEnabled', 'ApiUserOnly', 'ViewEventLogFiles']);
  });

  it('the profile states Modify All Data and View All Data as off (deploys are overlays) and names no Delete All Data', () => {
    const permissions = userPermissions(profile);
    assert.equal(permissions.get('ModifyAllData'), 'false');
    assert.equal(permissions.get('ViewAllData'), 'false');
    // There is no DeleteAllData user permission (Modify All Data covers deletion); an unknown name would fail the deploy.
    assert.equal(permissions.has('DeleteAllData'), false);
  });

  it('the Event Monitoring permission set: labelled as in the guide, API Integration licence, two permissions', () => {
    assert.equal(one(permissionSet, 'label'), 'Event Monitoring Access');
    assert.equal(one(permissionSet, 'license'), 'Salesforce API Integration');
    assert.deepEqual(Object.fromEntries(userPermissions(permissionSet)), { ApiEnabled: 'true', ViewEventLogFiles: 'true' });
  });

  it('the opt-in permission sets grant exactly one permission each', () => {
    const viewAll = byFullName('Anzenna_View_All_Data');
    const setupAudit = byFullName('Anzenna_Setup_Audit');
    assert.deepEqual(Object.fromEntries(userPermissions(viewAll)), { ViewAllData: 'true' });
    assert.deepEqual(Object.fromEntries(userPermissions(setupAudit)), { ViewSetup: 'true' });
    for (const path of [viewAll, setupAudit]) assert.equal(one(path, 'license'), 'Salesforce API Integration', path);
  });

  it('View All Data is granted only by the opt-in permission set', () => {
    for (const e of EXPECTED) {
      if (e.path.startsWith('optional/view-all-data/')) continue;
      const permissions = userPermissions(e.path);
      assert.notEqual(permissions.get('ViewAllData'), 'true', e.path);
      assert.notEqual(permissions.get('ModifyAllData'), 'true', e.path);
    }
  });

  it('no file in force-app names View Real-Time Event Monitoring Data', () => {
    for (const path of listFiles(forceAppDir)) assert.ok(!read(path).includes('ViewRealTimeEventMonitoringData'), path);
  });
});

describe('optional settings', () => {
  it('EventSettings turns event log generation on and nothing else', () => {
    const node = parsed(byFullName('Event'));
    assert.deepEqual(Object.keys(node).filter((k) => !k.startsWith('@_') && k !== '#text'), ['enableEventLogGeneration']);
    assert.deepEqual(texts(node, 'enableEventLogGeneration'), ['true']);
  });

  it('RealTimeEventSettings stores LoginEvent (AQUILA guide) and ReportEvent (Anzenna guide)', () => {
    const events = nodes(parsed(byFullName('RealTimeEvent')), 'realTimeEvents').map((e) => [texts(e, 'entityName')[0], texts(e, 'isEnabled')[0]]);
    assert.deepEqual(events, [
      ['LoginEvent', 'true'],
      ['ReportEvent', 'true'],
    ]);
  });

  it('optional components are outside main/default', () => {
    assert.ok(existsSync(join(forceAppDir, 'main', 'default')));
    const main = ComponentSet.fromSource(join(forceAppDir, 'main', 'default')).getSourceComponents().toArray();
    assert.deepEqual(main.filter((c) => c.type.name === 'Settings' || c.fullName.includes('View_All') || c.fullName.includes('Setup_Audit')), []);
  });
});

describe('the table checker itself', () => {
  const policy = read(byFullName('Anzenna_oauth_defaultPolicy'));
  const spec = TYPE_SPECS.ExtlClntAppOauthConfigurablePolicies;
  const check = (xml: string): string[] => validateMetadata(xml, spec, apiVersion);

  it('reports an unknown element, a bad enum value, a deprecated field and a missing required field', () => {
    assert.match(check(policy.replace('<label>', '<oauthPolicy>x</oauthPolicy><label>')).join('\n'), /unknown element <oauthPolicy>/);
    assert.match(check(policy.replace('>Bypass<', '>Relax<')).join('\n'), /"Relax" is not one of/);
    assert.match(check(policy.replace('<label>', '<isNamedUserJwtEnabled>false</isNamedUserJwtEnabled><label>')).join('\n'), /deprecated/);
    assert.match(check(policy.replace(/<externalClientApplication>.*<\/externalClientApplication>/, '')).join('\n'), /missing required <externalClientApplication>/);
  });

  it('reports a field newer than the API version, a repeated field, a bad boolean and a wrong root', () => {
    assert.match(check(policy.replace('<label>', '<namedUserJwtTimeout>5</namedUserJwtTimeout><guestJwtSessionTimeoutType>Custom</guestJwtSessionTimeoutType><label>')).join('\n'), /needs API 65\.0/);
    assert.match(check(policy.replace('<label>', '<label>a</label><label>')).join('\n'), /<label> appears 2 times/);
    assert.match(check(policy.replace('<isGuestCodeCredFlowEnabled>false', '<isGuestCodeCredFlowEnabled>no')).join('\n'), /not true\/false/);
    assert.match(validateMetadata(policy, TYPE_SPECS.ExtlClntAppConfigurablePolicies, apiVersion).join('\n'), /root <ExtlClntAppOauthConfigurablePolicies>/);
  });
});
