/**
 * The deploy-time parts: the global OAuth settings template and the bundle renderer. Rendered
 * files must pass the same field/enum tables as force-app, resolve in SDR to consistent names,
 * and reproduce force-app exactly for the default app.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import {
  checkConsumerKey,
  componentNames,
  DEFAULT_CONTACT_EMAIL,
  generateConsumerKey,
  GENERATED_CONSUMER_KEY_LENGTH,
  locateSourceDir,
  MetadataInputError,
  normalizeCertificatePem,
  renderBundle,
  renderGlobalOauthSettings,
  type RenderBundleOptions,
} from '../../plugin/src/metadata/index.js';
import { forceAppDir, listFiles, testCertificatePem } from './helpers.js';
import { nodes, parseWithFxp, splitList, texts, TYPE_SPECS, validateMetadata } from './schema.js';

const API_VERSION = 64;
const scratch = mkdtempSync(join(tmpdir(), 'anzenna-render-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const freshDir = (): string => join(scratch, `out-${++counter}`);

const certificatePem = testCertificatePem();
const callbackUrl = 'https://acme-dev-ed.develop.my.salesforce.com';

const one = (xml: string, name: string): string | undefined => texts(parseWithFxp(xml).node, name)[0];

function baseOptions(overrides: Partial<RenderBundleOptions> = {}): RenderBundleOptions {
  return {
    sourceDir: forceAppDir,
    outputDir: freshDir(),
    appName: 'Anzenna',
    contactEmail: DEFAULT_CONTACT_EMAIL,
    ipRelaxation: 'Bypass',
    viewAllData: false,
    setupAudit: false,
    oauth: { certificatePem, callbackUrl },
    ...overrides,
  };
}

const SPEC_BY_TYPE: Record<string, string> = {
  ExternalClientApplication: 'ExternalClientApplication',
  ExtlClntAppOauthSettings: 'ExtlClntAppOauthSettings',
  ExtlClntAppGlobalOauthSettings: 'ExtlClntAppGlobalOauthSettings',
  ExtlClntAppOauthConfigurablePolicies: 'ExtlClntAppOauthConfigurablePolicies',
  ExtlClntAppConfigurablePolicies: 'ExtlClntAppConfigurablePolicies',
  Profile: 'Profile',
  PermissionSet: 'PermissionSet',
};

describe('global OAuth settings template', () => {
  const consumerKey = generateConsumerKey();
  const xml = renderGlobalOauthSettings({ appName: 'Anzenna', certificatePem, consumerKey, callbackUrl });

  it('passes the ExtlClntAppGlobalOauthSettings table', () => {
    assert.deepEqual(validateMetadata(xml, TYPE_SPECS.ExtlClntAppGlobalOauthSettings, API_VERSION), []);
  });

  it('carries the certificate (the JWT bearer switch), consumer key, My Domain callback and app', () => {
    const certificate = one(xml, 'certificate') ?? '';
    assert.match(certificate, /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----$/);
    assert.equal(new X509Certificate(certificate).fingerprint256, new X509Certificate(certificatePem).fingerprint256);
    assert.equal(one(xml, 'consumerKey'), consumerKey);
    assert.equal(one(xml, 'callbackUrl'), callbackUrl);
    assert.equal(one(xml, 'externalClientApplication'), 'Anzenna');
    assert.equal(one(xml, 'label'), 'Anzenna Global OAuth Settings');
  });

  it('requires the secret for web-server and refresh-token flows, turns PKCE and every other flow off', () => {
    const expected: Record<string, string> = {
      isConsumerSecretOptional: 'false',
      isSecretRequiredForRefreshToken: 'true',
      isPkceRequired: 'false',
      isClientCredentialsFlowEnabled: 'false',
      isCodeCredFlowEnabled: 'false',
      isDeviceFlowEnabled: 'false',
      isTokenExchangeEnabled: 'false',
      isIntrospectAllTokens: 'false',
      shouldRotateConsumerKey: 'false',
      shouldRotateConsumerSecret: 'false',
    };
    for (const [name, value] of Object.entries(expected)) assert.equal(one(xml, name), value, name);
    const node = parseWithFxp(xml).node;
    const enabledFlows = Object.keys(node).filter((name) => /Flow|TokenExchange|Mtls|DPop/.test(name) && texts(node, name)[0] !== 'false');
    assert.deepEqual(enabledFlows, []);
    for (const absent of ['isNamedUserJwtEnabled', 'consumerSecret', 'idTokenConfig']) assert.equal(node[absent], undefined, absent);
  });

  it('escapes XML in values', () => {
    const url = 'https://acme.my.salesforce.com/services/oauth2/callback?a=1&b=<2>';
    const escaped = renderGlobalOauthSettings({ appName: 'Anzenna', certificatePem, consumerKey, callbackUrl: url });
    assert.ok(escaped.includes('a=1&amp;b=&lt;2&gt;'));
    assert.equal(one(escaped, 'callbackUrl'), url);
  });

  it('normalizes the PEM (CRLF, indentation, surrounding blank lines)', () => {
    const messy = `\n\n${certificatePem.replace(/\n/g, '\r\n  ')}\n`;
    assert.equal(normalizeCertificatePem(messy), certificatePem.trim());
  });

  it('refuses anything but one certificate', () => {
    const key = ['-----BEGIN PRIVATE', 'KEY-----\nMIIB\n-----END PRIVATE', 'KEY-----'].join(' ');
    const cases: Array<[string, RegExp]> = [
      [key, /private key/],
      [`${certificatePem}\n${key}`, /private key/],
      [`${certificatePem}${certificatePem}`, /found 2 PEM blocks/],
      ['-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----', /Expected a CERTIFICATE block/],
      ['not a pem', /No PEM block/],
      ['-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----', /not valid base64/],
      ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', /can't be parsed/],
      [`junk\n${certificatePem}`, /Unexpected text/],
    ];
    for (const [pem, reason] of cases) {
      assert.throws(
        () => renderGlobalOauthSettings({ appName: 'Anzenna', certificatePem: pem, consumerKey, callbackUrl }),
        (e: unknown) => e instanceof MetadataInputError && e.field === 'certificatePem' && reason.test(e.message),
        pem.slice(0, 40)
      );
    }
  });

  it('refuses bad consumer keys, callback URLs and app names', () => {
    const render = (over: Partial<{ appName: string; consumerKey: string; callbackUrl: string }>): string =>
      renderGlobalOauthSettings({ appName: 'Anzenna', certificatePem, consumerKey, callbackUrl, ...over });
    for (const bad of [`${consumerKey} `, `${consumerKey}\n`, 'short', 'x'.repeat(257), `${consumerKey}<`]) {
      assert.throws(() => render({ consumerKey: bad }), (e: unknown) => e instanceof MetadataInputError && e.field === 'consumerKey', JSON.stringify(bad));
    }
    for (const bad of ['acme.my.salesforce.com', 'http://acme.my.salesforce.com', 'https://u:p@acme.my.salesforce.com', 'https://acme.my.salesforce.com/#x']) {
      assert.throws(() => render({ callbackUrl: bad }), (e: unknown) => e instanceof MetadataInputError && e.field === 'callbackUrl', bad);
    }
    assert.doesNotThrow(() => render({ callbackUrl: 'http://127.0.0.1:8443' }));
    assert.throws(() => render({ appName: 'Bad Name' }), (e: unknown) => e instanceof MetadataInputError && e.field === 'appName');
  });

  it('accepts Salesforce-generated and other tools’ key shapes', () => {
    for (const key of ['3MVG9lKcPoNINVBJSoQsNCD.HHDdbugPsNXwwyFbgb47KWa_PTv6Mhq2ZcHtqAvBDvJ7dI8ooEDsJ4', 'a'.repeat(64), 'AbC+/dEf=ghIJKLmnop']) {
      assert.equal(checkConsumerKey(key), undefined, key);
    }
  });

  it('generates unique alphanumeric consumer keys', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateConsumerKey()));
    assert.equal(keys.size, 200);
    for (const key of keys) {
      assert.match(key, new RegExp(`^[A-Za-z0-9]{${GENERATED_CONSUMER_KEY_LENGTH}}$`));
      assert.equal(checkConsumerKey(key), undefined);
      assert.ok(!key.startsWith('3MVG9'));
    }
    // all 62 characters show up across 12,800 draws (a bias towards a subset would show here)
    assert.equal(new Set([...keys].join('')).size, 62);
  });
});

describe('renderBundle', () => {
  it('for the default app and options, reproduces force-app byte for byte (plus the global settings)', async () => {
    const result = await renderBundle(baseOptions());
    const expected: Record<string, string> = {
      'stage1/profiles/Anzenna Integration.profile-meta.xml': 'main/default/profiles/Anzenna Integration.profile-meta.xml',
      'stage1/permissionsets/Event_Monitoring_Access.permissionset-meta.xml': 'main/default/permissionsets/Event_Monitoring_Access.permissionset-meta.xml',
      'stage2/externalClientApps/Anzenna.eca-meta.xml': 'main/default/externalClientApps/Anzenna.eca-meta.xml',
      'stage2/extlClntAppOauthSettings/Anzenna_oauth.ecaOauth-meta.xml': 'main/default/extlClntAppOauthSettings/Anzenna_oauth.ecaOauth-meta.xml',
      'stage2/extlClntAppOauthPolicies/Anzenna_oauth_defaultPolicy.ecaOauthPlcy-meta.xml':
        'main/default/extlClntAppOauthPolicies/Anzenna_oauth_defaultPolicy.ecaOauthPlcy-meta.xml',
      'stage2/extlClntAppPolicies/Anzenna_defaultPolicy.ecaPlcy-meta.xml': 'main/default/extlClntAppPolicies/Anzenna_defaultPolicy.ecaPlcy-meta.xml',
      'event-log-generation/settings/Event.settings-meta.xml': 'optional/event-log-generation/settings/Event.settings-meta.xml',
      'real-time-events/settings/RealTimeEvent.settings-meta.xml': 'optional/real-time-events/settings/RealTimeEvent.settings-meta.xml',
    };
    const out = listFiles(baseDir(result.dirs.stage1));
    assert.deepEqual(out, [...Object.keys(expected), 'stage2/extlClntAppGlobalOauthSets/Anzenna_glbloauth.ecaGlblOauth-meta.xml'].sort());
    for (const [rendered, source] of Object.entries(expected)) {
      assert.equal(readFileSync(join(baseDir(result.dirs.stage1), rendered), 'utf8'), readFileSync(join(forceAppDir, source), 'utf8'), rendered);
    }
    assert.deepEqual(result.names, componentNames('Anzenna'));
    assert.deepEqual(result.preAuthorized, { profiles: ['Anzenna Integration'], permissionSets: ['Event_Monitoring_Access'] });
    assert.equal(result.files.length, 9);
  });

  it('for another app: consistent names, references and paths that SDR resolves, opt-ins pre-authorized', async () => {
    const consumerKey = generateConsumerKey();
    const result = await renderBundle(
      baseOptions({
        appName: 'Acme_Sec',
        label: 'Acme Security',
        contactEmail: 'secops@acme.example',
        description: 'Acme & co <security>',
        ipRelaxation: 'Enforce',
        viewAllData: true,
        setupAudit: true,
        oauth: { certificatePem, callbackUrl, consumerKey },
      })
    );
    assert.equal(result.consumerKey, consumerKey);
    const names = result.names;

    // SDR sees exactly the intended components, at the intended paths, in each stage
    const resolved = (dir: string): string[] =>
      ComponentSet.fromSource(dir)
        .getSourceComponents()
        .toArray()
        .map((c) => `${c.type.name}:${c.fullName}:${c.xml!.slice(dir.length + 1)}`)
        .sort();
    assert.deepEqual(resolved(result.dirs.stage1), [
      'PermissionSet:Acme_Sec_Event_Monitoring_Access:permissionsets/Acme_Sec_Event_Monitoring_Access.permissionset-meta.xml',
      'PermissionSet:Acme_Sec_Setup_Audit:permissionsets/Acme_Sec_Setup_Audit.permissionset-meta.xml',
      'PermissionSet:Acme_Sec_View_All_Data:permissionsets/Acme_Sec_View_All_Data.permissionset-meta.xml',
      'Profile:Acme_Sec Integration:profiles/Acme_Sec Integration.profile-meta.xml',
    ]);
    assert.deepEqual(resolved(result.dirs.stage2), [
      'ExtlClntAppConfigurablePolicies:Acme_Sec_defaultPolicy:extlClntAppPolicies/Acme_Sec_defaultPolicy.ecaPlcy-meta.xml',
      'ExtlClntAppGlobalOauthSettings:Acme_Sec_glbloauth:extlClntAppGlobalOauthSets/Acme_Sec_glbloauth.ecaGlblOauth-meta.xml',
      'ExtlClntAppOauthConfigurablePolicies:Acme_Sec_oauth_defaultPolicy:extlClntAppOauthPolicies/Acme_Sec_oauth_defaultPolicy.ecaOauthPlcy-meta.xml',
      'ExtlClntAppOauthSettings:Acme_Sec_oauth:extlClntAppOauthSettings/Acme_Sec_oauth.ecaOauth-meta.xml',
      'ExternalClientApplication:Acme_Sec:externalClientApps/Acme_Sec.eca-meta.xml',
    ].sort());
    assert.deepEqual(resolved(result.dirs['event-log-generation']), ['Settings:Event:settings/Event.settings-meta.xml']);
    assert.deepEqual(resolved(result.dirs['real-time-events']), ['Settings:RealTimeEvent:settings/RealTimeEvent.settings-meta.xml']);

    // the returned component list matches what is on disk
    for (const component of result.components) {
      assert.ok(component.file.startsWith(result.dirs[component.stage]));
      assert.ok(component.file.endsWith(component.path));
    }

    const text = (key: keyof typeof names): string => {
      const component = result.components.find((c) => c.key === key);
      assert.ok(component, key);
      return readFileSync(component.file, 'utf8');
    };

    // every rendered file passes the reference tables
    for (const component of result.components) {
      const xml = readFileSync(component.file, 'utf8');
      const spec = component.type === 'Settings' ? parseWithFxp(xml).root : SPEC_BY_TYPE[component.type];
      assert.deepEqual(validateMetadata(xml, TYPE_SPECS[spec], API_VERSION), [], component.path);
      // nothing of the default app is left behind
      assert.ok(!xml.includes('Anzenna'), component.path);
    }

    // references
    for (const key of ['oauthSettings', 'oauthPolicy', 'appPolicy', 'globalSettings'] as const) {
      assert.equal(one(text(key), 'externalClientApplication'), 'Acme_Sec', key);
    }
    const policy = text('oauthPolicy');
    assert.deepEqual(splitList(one(policy, 'commaSeparatedProfile') ?? ''), ['Acme_Sec Integration']);
    assert.deepEqual(splitList(one(policy, 'commaSeparatedPermissionSet') ?? ''), [
      'Acme_Sec_Event_Monitoring_Access',
      'Acme_Sec_View_All_Data',
      'Acme_Sec_Setup_Audit',
    ]);
    assert.deepEqual(result.preAuthorized.permissionSets, splitList(one(policy, 'commaSeparatedPermissionSet') ?? ''));
    const stage1 = ComponentSet.fromSource(result.dirs.stage1).getSourceComponents().toArray();
    for (const name of result.preAuthorized.permissionSets) assert.ok(stage1.some((c) => c.type.name === 'PermissionSet' && c.fullName === name), name);
    for (const name of result.preAuthorized.profiles) assert.ok(stage1.some((c) => c.type.name === 'Profile' && c.fullName === name), name);
    assert.equal(one(policy, 'ipRelaxationPolicyType'), 'Enforce');
    assert.equal(one(policy, 'label'), 'Acme_Sec_oauth_defaultPolicy');
    assert.equal(one(policy, 'permittedUsersPolicyType'), 'AdminApprovedPreAuthorized');

    // labels and app details
    const eca = text('eca');
    assert.equal(one(eca, 'label'), 'Acme Security');
    assert.equal(one(eca, 'contactEmail'), 'secops@acme.example');
    assert.equal(one(eca, 'description'), 'Acme & co <security>');
    assert.equal(one(eca, 'orgScopedExternalApp'), undefined);
    assert.equal(one(text('oauthSettings'), 'label'), 'Acme Security OAuth Settings');
    assert.equal(one(text('globalSettings'), 'label'), 'Acme Security Global OAuth Settings');
    assert.equal(one(text('globalSettings'), 'consumerKey'), consumerKey);
    assert.equal(one(text('permissionSet'), 'label'), 'Acme Security Event Monitoring Access');
    assert.equal(one(text('viewAllDataPermissionSet'), 'label'), 'Acme Security View All Data');
    assert.equal(one(text('setupAuditPermissionSet'), 'label'), 'Acme Security Setup Audit');
    assert.deepEqual(
      nodes(parseWithFxp(text('viewAllDataPermissionSet')).node, 'userPermissions').map((p) => texts(p, 'name')[0]),
      ['ViewAllData']
    );

    // the global settings file is owner-only
    const global = result.components.find((c) => c.key === 'globalSettings');
    assert.equal(statSync(global!.file).mode & 0o777, 0o600);
  });

  it('without opt-ins writes and pre-authorizes no optional permission set; generates a key', async () => {
    const result = await renderBundle(baseOptions({ appName: 'Acme' }));
    assert.deepEqual(result.preAuthorized.permissionSets, ['Acme_Event_Monitoring_Access']);
    assert.deepEqual(
      result.components.filter((c) => c.stage === 'stage1').map((c) => c.fullName),
      ['Acme Integration', 'Acme_Event_Monitoring_Access']
    );
    assert.equal(checkConsumerKey(result.consumerKey), undefined);
    assert.equal(result.consumerKey.length, GENERATED_CONSUMER_KEY_LENGTH);
  });

  it('uses name overrides consistently and sets orgScopedExternalApp only when given an org Id', async () => {
    const result = await renderBundle(
      baseOptions({
        profileName: 'SecMon Integration',
        permissionSetName: 'SecMon_Event_Logs',
        oauthPolicyName: 'Anzenna_oauthPlcy',
        appPolicyName: 'Anzenna_appPlcy',
        orgId: '00D5g000004abcdEAA',
      })
    );
    const file = (key: string): string => readFileSync(result.components.find((c) => c.key === key)!.file, 'utf8');
    assert.ok(result.files.some((f) => f.endsWith('profiles/SecMon Integration.profile-meta.xml')));
    assert.ok(result.files.some((f) => f.endsWith('permissionsets/SecMon_Event_Logs.permissionset-meta.xml')));
    assert.ok(result.files.some((f) => f.endsWith('extlClntAppOauthPolicies/Anzenna_oauthPlcy.ecaOauthPlcy-meta.xml')));
    assert.equal(one(file('oauthPolicy'), 'commaSeparatedProfile'), 'SecMon Integration');
    assert.equal(one(file('oauthPolicy'), 'commaSeparatedPermissionSet'), 'SecMon_Event_Logs');
    assert.equal(one(file('oauthPolicy'), 'label'), 'Anzenna_oauthPlcy');
    assert.equal(one(file('appPolicy'), 'label'), 'Anzenna_appPlcy');
    assert.equal(one(file('permissionSet'), 'label'), 'Anzenna Event Monitoring Access');
    assert.equal(one(file('eca'), 'orgScopedExternalApp'), '00D5g000004abcd:Anzenna');
    assert.deepEqual(validateMetadata(file('eca'), TYPE_SPECS.ExternalClientApplication, API_VERSION), []);
  });

  it('refuses a non-empty output directory, one below a .forceignore, and bad options, writing nothing', async () => {
    const busy = freshDir();
    mkdirSync(busy);
    writeFileSync(join(busy, 'stale.xml'), '<x/>');
    await assert.rejects(renderBundle(baseOptions({ outputDir: busy })), /not empty/);

    const project = freshDir();
    mkdirSync(project);
    writeFileSync(join(project, '.forceignore'), '**/extlClntAppGlobalOauthSets/**\n');
    await assert.rejects(renderBundle(baseOptions({ outputDir: join(project, 'out') })), /\.forceignore/);

    const cases: Array<[Partial<RenderBundleOptions>, string]> = [
      [{ appName: 'Bad__Name' }, 'appName'],
      [{ contactEmail: 'not-an-email' }, 'contactEmail'],
      [{ ipRelaxation: 'Relax' as RenderBundleOptions['ipRelaxation'] }, 'ipRelaxation'],
      [{ label: ' padded' }, 'label'],
      [{ orgId: '005000000000000' }, 'orgId'],
      [{ profileName: 'Sales, Service' }, 'profile'],
      [{ sourceDir: join(scratch, 'missing') }, 'sourceDir'],
      [{ oauth: { certificatePem: 'nope', callbackUrl } }, 'certificatePem'],
    ];
    for (const [over, fieldName] of cases) {
      const outputDir = freshDir();
      await assert.rejects(
        renderBundle(baseOptions({ ...over, outputDir })),
        (e: unknown) => e instanceof MetadataInputError && e.field === fieldName,
        fieldName
      );
      assert.throws(() => statSync(outputDir), /ENOENT/, `${fieldName}: nothing written`);
    }
  });

  it('locateSourceDir finds the templates', () => {
    const dir = locateSourceDir();
    assert.ok(dir, 'no force-app templates found');
    assert.ok(listFiles(dir).includes('main/default/externalClientApps/Anzenna.eca-meta.xml'));
  });
});

/** The output root of a render, from its stage1 directory. */
function baseDir(stage1: string): string {
  return join(stage1, '..');
}
