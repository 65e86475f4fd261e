/**
 * NUTs: `sf anzenna metadata generate` through the real sf (the pinned CLI in test/sf-cli, this plugin linked),
 * driven by @salesforce/cli-plugins-testkit, in an empty SFDX project with a plugins.anzenna block: generate,
 * the stock `sf project deploy start` of the project, setup completing it from the project's copy, verify, and
 * a second generate that changes nothing. Where they run: session.ts (offline against the emulator without
 * TESTKIT_* variables; a scratch org or a persistent sandbox with them).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execCmd } from '@salesforce/cli-plugins-testkit';
import type { GenerateResult } from '../../plugin/src/generate/run-generate.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import type { VerifyResult } from '../../plugin/src/verify/types.js';
import { tempDir } from '../helpers/cli.js';
import { eventLogChecks, expectEventLogCheck, realOrg, startNutSession, type NutSession } from './session.js';

const scratchAlias = 'anzenna-gen-nut';
const appName = 'AnzennaGenNut';

/** An empty SFDX project (the generator writes the scratch definition a scratch org would need). */
function emptyProject(): string {
  const dir = join(tempDir('gen-nut-src'), 'anzenna-gen-nut-project');
  mkdirSync(join(dir, 'force-app'), { recursive: true });
  mkdirSync(join(dir, 'config'));
  // testkit creates the scratch org before the generator runs: give it the definition the generator writes.
  writeFileSync(join(dir, 'config', 'project-scratch-def.json'), JSON.stringify({ edition: 'Enterprise', features: ['EventLogFile'], settings: { eventSettings: { enableEventLogGeneration: true } } }));
  const project = { packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0', plugins: { anzenna: { appName, contactEmail: 'secops@example.com', wait: 15 } } };
  writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify(project, null, 2));
  return dir;
}

describe(`NUTs: metadata generate, stock deploy, setup, verify through sf (${realOrg ? 'real org' : 'offline emulator'})`, () => {
  let nut: NutSession | undefined;
  let target = '';

  before(async () => {
    nut = await startNutSession({ sourceDir: emptyProject(), name: 'gen-nut', scratchAlias, offlineAlias: 'gen-nut-admin' });
    ({ target } = nut);
  });

  after(async () => nut?.end());

  it('metadata generate writes the app into the project, never the global OAuth settings', async () => {
    const res = await execCmd<GenerateResult>('anzenna metadata generate --json', { async: true, ensureExitCode: 0 });
    const files = res.jsonOutput?.result?.files ?? [];
    assert.ok(files.some((f) => f.path === `force-app/main/default/externalClientApps/${appName}.eca-meta.xml` && f.status === 'created'), JSON.stringify(files));
    assert.ok(!files.some((f) => f.path.includes('extlClntAppGlobalOauthSets')));
  });

  it('the stock sf project deploy start deploys it', async () => {
    await execCmd(`project deploy start --target-org ${target} --json`, { async: true, ensureExitCode: 0 });
  });

  it('setup completes it from the project copy', async () => {
    const res = await execCmd<SetupResult>(`anzenna setup --target-org ${target} --no-prompt --json`, { async: true, ensureExitCode: 0 });
    const result = res.jsonOutput?.result;
    assert.equal(result?.metadataSource, 'project');
    assert.equal(result?.appName, appName);
    assert.equal(result?.checks.find((c) => c.id === 'jwt.login')?.status, 'pass');
  });

  it('verify passes (event logs may still be on their way in a new org)', async () => {
    const res = await execCmd<VerifyResult>(`anzenna verify --target-org ${target} --json`, { async: true });
    const result = res.jsonOutput?.result;
    assert.ok(result, res.shellOutput.stderr);
    assert.deepEqual(result.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`), []);
    assert.equal(result.checks.find((c) => c.id === 'live.jwt')?.status, 'pass');
    for (const c of result.checks.filter((x) => eventLogChecks.has(x.id))) expectEventLogCheck(c.status, c.id);
  });

  it('a second generate changes nothing', async () => {
    const res = await execCmd<GenerateResult>('anzenna metadata generate --json', { async: true, ensureExitCode: 0 });
    assert.deepEqual(res.jsonOutput?.result?.files.filter((f) => f.status !== 'unchanged'), []);
  });
});
