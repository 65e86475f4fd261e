import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isAnzennaCommand, nodeVersionError } from '../../plugin/src/hooks/node-version.js';
import { pluginRunJs, runCli, sealedEnv, tempDir, type CliResult } from '../helpers/cli.js';
import { homeWithLinkedPlugin, sfBin, sfInstalled } from '../helpers/sf-cli.js';

/** A Node.js binary older than 22 on this machine (its own `node`, not the project's), if any. */
function oldNode(): string | undefined {
  const candidates = ['/usr/bin/node', '/usr/local/bin/node', '/opt/homebrew/bin/node'];
  for (const bin of candidates) {
    if (!existsSync(bin)) continue;
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    if (Number(/^v(\d+)/.exec(version)?.[1] ?? 99) < 22) return bin;
  }
  return undefined;
}

const node20 = oldNode();
const NO_OLD_NODE = node20 ? false : 'no Node.js older than 22 on this machine (/usr/bin/node, /usr/local/bin/node): nothing to run the check under';

async function runUnder(node: string, script: string, args: string[], home: string): Promise<CliResult> {
  const child = spawn(node, [script, ...args], { cwd: home, env: sealedEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}

function assertNamedNodeError(res: CliResult, version: string): void {
  const text = res.stdout + res.stderr;
  assert.equal(res.code, 1, text);
  assert.match(text, /NodeVersionTooOldError/);
  assert.ok(text.includes(`Node.js ${version}`), `names the version sf runs on (${version}): ${text}`);
  assert.match(text, /22 or later/);
  assert.match(text, /sf update/);
  assert.match(text, /nvm install 22/);
  assert.doesNotMatch(text, /reading 'bind'/);
}

describe('the plugin on a Node.js older than 22', () => {
  it('decides which command lines are ours', () => {
    assert.ok(isAnzennaCommand('anzenna:setup', ['--help']));
    assert.ok(isAnzennaCommand('anzenna', []));
    assert.ok(isAnzennaCommand('help', ['anzenna', 'setup']));
    assert.equal(isAnzennaCommand('org:list', []), false, 'other plugins’ commands are left alone');
    assert.equal(isAnzennaCommand('help', ['org', 'list']), false);
    assert.equal(nodeVersionError('22.0.0'), undefined);
    assert.equal(nodeVersionError('24.1.0'), undefined);
    assert.equal(nodeVersionError('20.19.1')?.name, 'NodeVersionTooOldError');
  });

  it('names the version through the check itself (any machine)', async () => {
    const res = await runCli(['anzenna', 'verify', '--json'], { env: { SF_ANZENNA_TEST_NODE_VERSION: '20.11.1' } });
    assertNamedNodeError(res, '20.11.1');
    const body = JSON.parse(res.stdout) as { name: string; actions: string[] };
    assert.equal(body.name, 'NodeVersionTooOldError');
    assert.equal(body.actions.length, 3);
  });

  for (const args of [['anzenna', 'setup', '--help'], ['anzenna', 'verify', '--help'], ['anzenna', 'cert', 'generate'], ['anzenna', '--help']]) {
    it(`plugin/bin/run.js ${args.join(' ')} on the machine's Node 20: NodeVersionTooOldError, not a TypeError`, { skip: NO_OLD_NODE }, async () => {
      const res = await runUnder(node20 ?? '', pluginRunJs, args, tempDir('home'));
      assertNamedNodeError(res, execFileSync(node20 ?? '', ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim());
    });
  }

  it('the real sf (pinned) run on Node 20 with the plugin linked: setup --help names the problem', { skip: NO_OLD_NODE || (!sfInstalled() && 'the pinned sf is not installed (npm run sf-cli)') }, async () => {
    const home = await homeWithLinkedPlugin();
    const res = await runUnder(node20 ?? '', sfBin, ['anzenna', 'setup', '--help'], home);
    assertNamedNodeError(res, execFileSync(node20 ?? '', ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim());
    const other = await runUnder(node20 ?? '', sfBin, ['--version'], home);
    assert.equal(other.code, 0, 'sf itself and other commands are not affected');
    assert.doesNotMatch(other.stdout + other.stderr, /NodeVersionTooOldError/);
  });
});
