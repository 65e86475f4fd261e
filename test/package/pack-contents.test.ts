import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { filesUnder, pluginTarball, readJson, unpack } from './tarball.js';

// Spelled at run time, so this repository holds no key-header text.
const keyHeader = new RegExp(['-----BEGIN', '(RSA |EC |ENCRYPTED )?PRIVATE', 'KEY-----'].join(' ?'));

/** What the plugin ships: built JavaScript and declarations, messages, metadata, manifest, schemas. */
const shipped = [
  /^bin\/run\.js$/,
  /^lib\/.+\.(js|d\.ts)$/,
  /^messages\/[\w.-]+\.md$/,
  /^metadata\/force-app\/.+-meta\.xml$/,
  /^schemas\/[\w.-]+\.json$/,
  /^(package|npm-shrinkwrap)\.json$/,
  /^README\.md$/,
  /^oclif\.manifest\.json$/,
];

describe('the packed plugin (npm pack of plugin/)', () => {
  let dir = '';
  let files: string[] = [];
  before(() => {
    dir = unpack(pluginTarball(false));
    files = filesUnder(dir);
  });

  it('holds the commands, the manifest, the messages, the metadata and the schemas', () => {
    for (const expected of [
      'lib/commands/anzenna/setup.js',
      'lib/commands/anzenna/verify.js',
      'lib/commands/anzenna/cert/generate.js',
      'oclif.manifest.json',
      'messages/anzenna.setup.md',
      'npm-shrinkwrap.json',
      'schemas/anzenna-verify.json',
      'README.md',
    ]) {
      assert.ok(files.includes(expected), `${expected} is in the tarball`);
    }
    assert.ok(files.some((f) => f.startsWith('metadata/force-app/main/default/externalClientApps/')), 'bundled metadata');
  });

  it('carries nothing else: no tests, no TypeScript sources, no dev entry point', () => {
    const unexpected = files.filter((f) => !shipped.some((re) => re.test(f)));
    assert.deepEqual(unexpected, []);
    assert.equal(files.filter((f) => /^(src|test)\//.test(f) || /(?<!\.d)\.ts$/.test(f)).length, 0);
  });

  it('carries no key material and never the global OAuth settings', () => {
    assert.deepEqual(files.filter((f) => /\.(key|pem|crt|p12|pfx|jks)$/i.test(f) || /extlClntAppGlobalOauthSets/.test(f)), []);
    for (const f of files) {
      assert.doesNotMatch(readFileSync(join(dir, f), 'utf8'), keyHeader, `${f} holds no private key`);
    }
  });

  it('pins every run-time dependency in npm-shrinkwrap.json, and no dev dependency', () => {
    type Shrinkwrap = { packages: Record<string, { version?: string; dev?: boolean; integrity?: string }> };
    const sw = readJson<Shrinkwrap>(join(dir, 'npm-shrinkwrap.json'));
    const pjson = readJson<{ dependencies: Record<string, string>; devDependencies?: unknown }>(join(dir, 'package.json'));
    for (const dep of Object.keys(pjson.dependencies)) {
      assert.ok(sw.packages[`node_modules/${dep}`]?.integrity, `${dep} is pinned with its integrity hash`);
    }
    const paths = Object.keys(sw.packages);
    assert.equal(paths.filter((p) => sw.packages[p].dev).length, 0);
    for (const devOnly of ['typescript', 'eslint', 'tsx', 'sinon']) {
      assert.ok(!paths.includes(`node_modules/${devOnly}`), `${devOnly} is not shipped`);
    }
  });
});
