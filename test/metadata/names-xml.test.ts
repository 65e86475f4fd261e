/** Names and paths derived from the app name, and the small metadata XML reader/writer. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import {
  buildMetadataXml,
  checkAppName,
  checkProfileName,
  componentNames,
  componentRefs,
  escapeXml,
  field,
  integrationBaseName,
  METADATA_TYPES,
  MetadataInputError,
  parseMetadataXml,
  serializeMetadataXml,
  setText,
  sourceFilePath,
  templatePaths,
  unescapeXml,
  XmlFormatError,
} from '../../plugin/src/metadata/index.js';
import { forceAppDir, listFiles } from './helpers.js';

describe('component names', () => {
  it('derives every name for the default app', () => {
    assert.deepEqual(componentNames('Anzenna'), {
      appName: 'Anzenna',
      eca: 'Anzenna',
      oauthSettings: 'Anzenna_oauth',
      oauthPolicy: 'Anzenna_oauth_defaultPolicy',
      appPolicy: 'Anzenna_defaultPolicy',
      globalSettings: 'Anzenna_glbloauth',
      profile: 'Anzenna Integration',
      permissionSet: 'Event_Monitoring_Access',
      viewAllDataPermissionSet: 'Anzenna_View_All_Data',
      setupAuditPermissionSet: 'Anzenna_Setup_Audit',
      eventSettings: 'Event',
      realTimeEventSettings: 'RealTimeEvent',
    });
  });

  it('gives another app its own permission set, so two apps never pre-authorize each other’s users', () => {
    const names = componentNames('Acme_Sec');
    assert.equal(names.permissionSet, 'Acme_Sec_Event_Monitoring_Access');
    assert.equal(names.profile, 'Acme_Sec Integration');
    assert.equal(names.oauthPolicy, 'Acme_Sec_oauth_defaultPolicy');
  });

  it("names a rotation's second app <Name>_<yyyymmdd> after its own app parts but <Name>'s profile and permission sets", () => {
    const names = componentNames('Anzenna_20261206');
    assert.equal(names.eca, 'Anzenna_20261206');
    assert.equal(names.globalSettings, 'Anzenna_20261206_glbloauth');
    assert.equal(names.appPolicy, 'Anzenna_20261206_defaultPolicy');
    assert.equal(names.profile, 'Anzenna Integration');
    assert.equal(names.permissionSet, 'Event_Monitoring_Access');
    assert.equal(names.viewAllDataPermissionSet, 'Anzenna_View_All_Data');
    assert.equal(componentNames('Acme_Sec_20270101').permissionSet, 'Acme_Sec_Event_Monitoring_Access');
    assert.equal(integrationBaseName('Anzenna_20261206'), 'Anzenna');
    // Not a date, or not a real one: the name is its own base.
    for (const name of ['Anzenna_20261306', 'Anzenna_20260230', 'Anzenna_19991231', 'Anzenna_2026120', 'Anzenna20261206']) assert.equal(integrationBaseName(name), name, name);
  });

  it('applies and validates overrides', () => {
    const names = componentNames('Anzenna', { profile: 'SecMon Integration', permissionSet: 'SecMon_ELF', oauthPolicy: 'Anzenna_oauthPlcy' });
    assert.equal(names.profile, 'SecMon Integration');
    assert.equal(names.permissionSet, 'SecMon_ELF');
    assert.equal(names.oauthPolicy, 'Anzenna_oauthPlcy');
    assert.throws(() => componentNames('Anzenna', { profile: 'A, B' }), (e: unknown) => e instanceof MetadataInputError && e.field === 'profile');
    assert.throws(() => componentNames('Anzenna', { permissionSet: 'Bad-Name' }), /letters, digits and underscores/);
    assert.throws(() => componentNames('Anzenna', { permissionSet: 'Anzenna_View_All_Data' }), /already used/);
    assert.throws(() => componentNames('Anzenna', { oauthPolicy: 'X_defaultPolicy', appPolicy: 'X_defaultPolicy' }), /can't share/);
  });

  it('accepts valid developer names', () => {
    for (const name of ['Anzenna', 'A', 'Acme_Sec_2', 'x'.repeat(40)]) assert.equal(checkAppName(name), undefined, name);
  });

  it('rejects invalid developer names with the rule they break', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['1Anzenna', /begin with a letter/],
      ['_Anzenna', /begin with a letter/],
      ['Anz enna', /contains " "/],
      ['Anz-enna', /contains "-"/],
      ['Anzénna', /contains "é"/],
      ['Anz__enna', /two consecutive underscores/],
      ['Anzenna_', /end with an underscore/],
      ['x'.repeat(41), /at most 40 characters/],
    ];
    for (const [name, reason] of cases) {
      assert.match(checkAppName(name) ?? 'valid', reason, JSON.stringify(name));
      assert.throws(() => componentNames(name), (e: unknown) => e instanceof MetadataInputError && e.field === 'appName');
    }
  });

  it('checks profile names', () => {
    assert.equal(checkProfileName('Minimum Access - Salesforce'), undefined);
    assert.match(checkProfileName(' X') ?? '', /start or end/);
    assert.match(checkProfileName('A,B') ?? '', /contains ","/);
    assert.match(checkProfileName('A/B') ?? '', /contains "\/"/);
  });
});

describe('paths', () => {
  it('directory names and suffixes agree with the SDR registry', () => {
    const registry = new RegistryAccess();
    for (const [type, layout] of Object.entries(METADATA_TYPES)) {
      const sdr = registry.getTypeByName(type);
      assert.equal(sdr.directoryName, layout.directoryName, type);
      assert.equal(sdr.suffix, layout.suffix, type);
    }
  });

  it('builds source paths', () => {
    assert.equal(sourceFilePath('ExtlClntAppGlobalOauthSettings', 'Anzenna_glbloauth'), 'extlClntAppGlobalOauthSets/Anzenna_glbloauth.ecaGlblOauth-meta.xml');
    assert.equal(componentRefs(componentNames('Anzenna')).profile.path, 'profiles/Anzenna Integration.profile-meta.xml');
  });

  it('every template path exists in force-app', () => {
    for (const [key, path] of Object.entries(templatePaths())) assert.ok(existsSync(join(forceAppDir, path)), `${key}: ${path}`);
  });
});

describe('metadata XML', () => {
  it('reads and rewrites every force-app file byte for byte', () => {
    for (const path of listFiles(forceAppDir).filter((p) => p.endsWith('-meta.xml'))) {
      const text = readFileSync(join(forceAppDir, path), 'utf8');
      assert.equal(serializeMetadataXml(parseMetadataXml(text, path)), text, path);
    }
  });

  it('escapes and unescapes', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
    assert.equal(unescapeXml('a&amp;b&lt;&#65;&#x42;&quot;&apos;&gt;'), `a&b<AB"'>`);
    assert.throws(() => unescapeXml('&nbsp;'), XmlFormatError);
    assert.throws(() => unescapeXml('a & b'), XmlFormatError);
  });

  it('round-trips special characters and multi-line text', () => {
    const xml = buildMetadataXml('ExternalClientApplication', [field('label', `R&D <"team">`), field('description', 'line 1\nline 2'), field('isProtected', false)]);
    const doc = parseMetadataXml(xml);
    assert.deepEqual(doc.children, [
      { name: 'description', text: 'line 1\nline 2' },
      { name: 'isProtected', text: 'false' },
      { name: 'label', text: `R&D <"team">` },
    ]);
    assert.equal(serializeMetadataXml(doc), xml);
  });

  it('inserts a new field in alphabetical order and replaces an existing one', () => {
    const doc = parseMetadataXml(buildMetadataXml('X', [field('a', 1), field('c', 3)]));
    setText(doc, 'b', 2);
    setText(doc, 'c', 'three');
    setText(doc, 'd', 4);
    assert.deepEqual(
      doc.children.map((c) => `${c.name}=${c.text ?? ''}`),
      ['a=1', 'b=2', 'c=three', 'd=4']
    );
  });

  it('rejects what is outside the metadata subset', () => {
    const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
    const bad: Array<[string, RegExp]> = [
      [`<X xmlns="urn:other"><a>1</a></X>`, /namespace/],
      [`<X><a>1</a></X>`, /lacks xmlns/],
      [`<X ${ns}><a b="1">1</a></X>`, /attributes are not allowed/],
      [`<X ${ns}><a><![CDATA[x]]></a></X>`, /CDATA/],
      [`<X ${ns}><a>1</b></X>`, /1:56: Expected closing tag 'a'.*instead of closing tag 'b'/],
      [`<X ${ns}><a>text<b>1</b></a></X>`, /mixes text and elements/],
      [`<X ${ns}><a>&bogus;</a></X>`, /Unknown entity/],
      [`<X ${ns}><a>1</a></X><Y/>`, /after the root/],
      [`<X ${ns}><a>1</a>`, /Unclosed tag 'X'/],
      [`<X ${ns}><a>a & b</a></X>`, /char '&' is not expected/],
    ];
    for (const [xml, reason] of bad) assert.throws(() => parseMetadataXml(xml), reason, xml);
  });
});

describe('module hygiene', () => {
  it('plugin/src/metadata imports only node built-ins, fast-xml-parser and its own relative modules (fast to load, no SDR or jsforce)', () => {
    const dir = join(forceAppDir, '..', 'plugin', 'src', 'metadata');
    for (const file of listFiles(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      const specifiers = [...source.matchAll(/\b(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
      for (const specifier of specifiers) {
        assert.ok(specifier.startsWith('node:') || specifier === 'fast-xml-parser' || (specifier.startsWith('.') && specifier.endsWith('.js')), `${file} imports ${specifier}`);
      }
    }
  });
});
