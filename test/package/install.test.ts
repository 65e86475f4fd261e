/**
 * `sf plugins install file:<tarball>` into a clean sf (the pinned real CLI) under a throw-away HOME, with no
 * registry: npm runs offline, its registry points at a closed loopback port and its cache is empty, so the
 * install succeeds only because the tarball bundles every dependency (`npm run pack:plugin -- --bundle`).
 * Then `sf anzenna setup` and `verify` run through that install against the offline org.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import type { VerifyResult } from '../../plugin/src/verify/types.js';
import { repoRoot, sealedEnv, tempDir, type CliResult } from '../helpers/cli.js';
import { runSf, sfBin, sfInstalled } from '../helpers/sf-cli.js';
import { actionScript, githubBash } from '../workflows/action-steps.js';
import { pluginTarball } from './tarball.js';

const pluginName = '@sf-anzenna/plugin-anzenna';

function offlineNpm(home: string): NodeJS.ProcessEnv {
  return {
    npm_config_offline: 'true',
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_cache: join(home, 'empty-npm-cache'),
    npm_config_update_notifier: 'false',
    SF_DISABLE_AUTOUPDATE: 'true',
  };
}

/**
 * `sf plugins install file:<tarball>` with `answer` typed at the unsigned-plugin prompt; without an answer,
 * stdin is closed and the composite action's install step (action.yml) runs instead, as in a workflow.
 */
async function install(tarball: string, home: string, answer?: string): Promise<CliResult> {
  const path = [dirname(process.execPath), join(repoRoot, 'test', 'sf-cli', 'node_modules', '.bin'), process.env.PATH].join(':');
  const env = sealedEnv(home, { PATH: path, PLUGIN: `file:${tarball}`, ACTION_PATH: repoRoot, ...offlineNpm(home) });
  const [command, args] =
    answer === undefined ? githubBash(actionScript('Install the sf-anzenna plugin')) : [process.execPath, [sfBin, 'plugins', 'install', `file:${tarball}`]];
  const child = spawn(command, args, { cwd: home, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(answer === undefined ? '' : `${answer}\n`);
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? -1));
  });
  return { code, stdout, stderr };
}

async function userPlugins(home: string): Promise<Array<{ name: string; type: string }>> {
  const res = await runSf<Array<{ name: string; type: string }>>(['plugins', '--json'], home);
  assert.equal(res.code, 0, res.stderr);
  // `sf plugins --json` prints the plugin list itself (an array), not the usual { status, result }.
  return (JSON.parse(res.stdout) as Array<{ name: string; type: string }>).filter((p) => p.type === 'user');
}

describe('sf plugins install file:<tarball> into a clean sf, offline', () => {
  let tarball = '';
  let emu: EmulatorHandle | undefined;
  const homes: string[] = [];
  const homeDir = (name: string): string => {
    homes.push(tempDir(name));
    return homes[homes.length - 1];
  };
  before(() => {
    assert.ok(sfInstalled(), 'the pinned sf CLI is installed (npm run sf-cli)');
    tarball = pluginTarball(true);
  });
  after(async () => {
    await emu?.close();
    // Each install holds a full copy of the dependencies (~65 MB): do not leave them in the temp folder.
    for (const dir of [...homes, dirname(tarball)]) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses when the admin answers no at the unsigned-plugin prompt, and installs nothing', async () => {
    const home = homeDir('sf-install-no');
    const res = await install(tarball, home, 'n');
    assert.equal(res.code, 1);
    assert.match(res.stdout + res.stderr, /isn't signed\s+by Salesforce/);
    assert.match(res.stderr, /InstallationCanceledError/);
    assert.deepEqual(await userPlugins(home), []);
  });

  it('installs when the admin answers yes at the prompt', async () => {
    const home = homeDir('sf-install-yes');
    const res = await install(tarball, home, 'y');
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout + res.stderr, /unsignedPluginAllowList\.json/, 'sf suggests the allow list');
    assert.deepEqual(
      (await userPlugins(home)).map((p) => p.name),
      [pluginName]
    );
  });

  it('installs with no prompt from unsignedPluginAllowList.json (action.yml writes it), then sets up and verifies an org', async () => {
    const home = homeDir('sf-install-allow');
    const allowList = join(home, '.config', 'sf', 'unsignedPluginAllowList.json');
    mkdirSync(dirname(allowList), { recursive: true });
    writeFileSync(allowList, JSON.stringify(['@acme/other-plugin']));
    const res = await install(tarball, home);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.deepEqual(JSON.parse(readFileSync(allowList, 'utf8')), ['@acme/other-plugin', `file:${tarball}`], 'the entry is added, others kept');
    assert.match(res.stdout + res.stderr, /allow-listed/);
    const installed = join(home, '.local', 'share', 'sf', 'node_modules', ...pluginName.split('/'));
    assert.ok(existsSync(join(installed, 'node_modules', '@salesforce', 'core')), 'dependencies come from the bundle');

    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    await emu.writeAdminAuth(home, 'emu');
    const cwd = tempDir('sf-install-cwd');
    const setup = await runSf<SetupResult>(['anzenna', 'setup', '--target-org', 'emu', '--json'], home, cwd);
    assert.equal(setup.code, 0, setup.stdout + setup.stderr);
    assert.equal(setup.json?.result?.checks.find((c) => c.id === 'jwt.login')?.status, 'pass');
    assert.ok(emu.state.userByUsername(setup.json?.result?.username ?? ''), 'the integration user exists in the org');
    const verify = await runSf<VerifyResult>(['anzenna', 'verify', '--target-org', 'emu', '--json'], home, cwd);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.equal(verify.json?.result?.summary.fail, 0);
    assert.equal(verify.json?.result?.checks.find((c) => c.id === 'live.jwt')?.status, 'pass');
  });
});
