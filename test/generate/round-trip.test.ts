/**
 * The round trip a release engineer makes, through the pinned real `sf` with the plugin linked, against the
 * offline org: `sf anzenna metadata generate` into an empty project (a non-default app name, from
 * plugins.anzenna) → stock `sf project deploy start` of that project → `sf anzenna setup` completes it (global
 * OAuth settings, integration user, proof) from the project's copy → `sf anzenna verify` passes → a second
 * generate leaves every file unchanged; a hand-edited file stops it, and --force replaces it.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import type { GenerateResult } from '../../plugin/src/generate/run-generate.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import type { VerifyResult } from '../../plugin/src/verify/types.js';
import { tempDir } from '../helpers/cli.js';
import { homeWithLinkedPlugin, runSf, sfInstalled } from '../helpers/sf-cli.js';

const appName = 'Acme_Monitoring';

describe('generate → sf project deploy start → setup → verify, through the real sf', () => {
  let home = '';
  let project = '';
  let emu: EmulatorHandle | undefined;

  before(async () => {
    assert.ok(sfInstalled(), 'the pinned sf CLI is installed (npm run sf-cli)');
    home = await homeWithLinkedPlugin();
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    await emu.writeAdminAuth(home, 'emu');
    project = join(tempDir('gen-roundtrip'), 'acme-project');
    mkdirSync(join(project, 'force-app'), { recursive: true });
    const json = { packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0', plugins: { anzenna: { appName, contactEmail: 'secops@acme.com' } } };
    writeFileSync(join(project, 'sfdx-project.json'), JSON.stringify(json, null, 2));
  });
  after(async () => {
    await emu?.close();
    for (const dir of [home, project && join(project, '..')]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('generates the metadata into the empty project', async () => {
    const res = await runSf<GenerateResult>(['anzenna', 'metadata', 'generate', '--json'], home, project);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const files = res.json?.result?.files ?? [];
    assert.ok(files.length >= 10 && files.every((f) => f.status === 'created'), JSON.stringify(files));
    assert.ok(files.some((f) => f.path === `force-app/main/default/externalClientApps/${appName}.eca-meta.xml`));
  });

  it('deploys with the stock sf project deploy start', async () => {
    const res = await runSf(['project', 'deploy', 'start', '--target-org', 'emu', '--json'], home, project);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.ok(emu?.state.component('ExternalClientApplication', appName), 'the app is in the org');
    assert.ok(emu?.state.permissionSetByName(`${appName}_Event_Monitoring_Access`), 'the permission set is in the org');
    assert.equal(emu?.state.component('ExtlClntAppGlobalOauthSettings', `${appName}_glbloauth`), undefined, 'no global OAuth settings from source');
  });

  it('setup completes it from the project copy and proves the JWT login', async () => {
    const res = await runSf<SetupResult>(['anzenna', 'setup', '--target-org', 'emu', '--no-prompt', '--json'], home, project);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const result = res.json?.result;
    assert.equal(result?.metadataSource, 'project');
    assert.equal(result?.appName, appName);
    assert.equal(result?.checks.find((c) => c.id === 'jwt.login')?.status, 'pass');
    assert.ok(emu?.state.component('ExtlClntAppGlobalOauthSettings', `${appName}_glbloauth`), 'setup deployed the global OAuth settings');
    assert.ok(emu?.state.userByUsername(result?.username ?? ''), 'the integration user exists');
  });

  it('verify passes', async () => {
    const res = await runSf<VerifyResult>(['anzenna', 'verify', '--target-org', 'emu', '--json'], home, project);
    const checks = res.json?.result?.checks ?? [];
    assert.deepEqual(checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`), []);
    assert.equal(checks.find((c) => c.id === 'app.drift')?.status, 'pass');
    assert.equal(checks.find((c) => c.id === 'live.jwt')?.status, 'pass');
    assert.equal(res.code, 0, res.stdout + res.stderr);
  });

  it('a second generate leaves every file unchanged', async () => {
    const res = await runSf<GenerateResult>(['anzenna', 'metadata', 'generate', '--json'], home, project);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const files = res.json?.result?.files ?? [];
    assert.deepEqual(files.filter((f) => f.status !== 'unchanged'), []);
  });

  it('a hand-edited file stops generate (non-zero, named) and --force replaces it', async () => {
    const eca = join(project, 'force-app', 'main', 'default', 'externalClientApps', `${appName}.eca-meta.xml`);
    const original = readFileSync(eca, 'utf8');
    writeFileSync(eca, original.replace('secops@acme.com', 'someone@acme.com'));
    const refused = await runSf<GenerateResult>(['anzenna', 'metadata', 'generate', '--json'], home, project);
    assert.equal(refused.code, 1, refused.stdout);
    assert.equal(refused.json?.name, 'GeneratedFilesChangedError');
    assert.match(refused.json?.message ?? '', /contactEmail: someone@acme\.com → secops@acme\.com/);
    const forced = await runSf<GenerateResult>(['anzenna', 'metadata', 'generate', '--force', '--json'], home, project);
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    assert.equal(forced.json?.result?.files.find((f) => f.path.endsWith(`${appName}.eca-meta.xml`))?.status, 'updated');
    assert.equal(readFileSync(eca, 'utf8'), original);
  });
});
