/**
 * The composite action's steps (action.yml), run as GitHub runs them: their scripts under bash with the step's
 * environment, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the real sf with the plugin linked, against
 * the offline org.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import { repoRoot, sealedEnv, tempDir } from '../helpers/cli.js';
import { homeWithLinkedPlugin, runSf, sfInstalled } from '../helpers/sf-cli.js';
import { actionEnvDefaults, actionScript, githubBash } from './action-steps.js';

type StepRun = { code: number; stdout: string; outputs: Record<string, string>; summary: string; tmp: string };

async function runActionStep(step: string, home: string, cwd: string, stepEnv: NodeJS.ProcessEnv): Promise<StepRun> {
  const dir = tempDir('gha');
  const tmp = tempDir('gha-tmp');
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  // `sf` on PATH, as `npm install --global @salesforce/cli` puts it on a runner.
  const sfBinDir = join(repoRoot, 'test', 'sf-cli', 'node_modules', '.bin');
  const path = [dirname(process.execPath), sfBinDir, process.env.PATH].join(':');
  const env = sealedEnv(home, {
    PATH: path,
    TMPDIR: tmp,
    SF_DISABLE_AUTOUPDATE: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...actionEnvDefaults(step),
    ...stepEnv,
  });
  const [bash, bashArgs] = githubBash(actionScript(step));
  const child = spawn(bash, bashArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.resume();
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
  );
  return { code, stdout, outputs, summary: readFileSync(summaryFile, 'utf8'), tmp };
}

const runCommand = (home: string, cwd: string, command: string, args = ''): Promise<StepRun> =>
  runActionStep('run', home, cwd, { COMMAND: command, ALIAS: 'emu', ARGS: args, RESULT_FILE: 'anzenna-result.json' });

describe('the composite action (action.yml) runs one command for one org', () => {
  let home = '';
  let emu: EmulatorHandle | undefined;
  before(async () => {
    assert.ok(sfInstalled(), 'the pinned sf CLI is installed (npm run sf-cli)');
    assert.ok(actionScript('run').includes('sf anzenna'), 'action.yml has the step with id "run"');
    home = await homeWithLinkedPlugin();
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    await emu.writeAdminAuth(home, 'emu');
  });
  after(async () => emu?.close());

  it('fails verify on an org not set up yet: exit code, outputs, an error annotation and a summary', async () => {
    const cwd = tempDir('gha-cwd');
    const res = await runCommand(home, cwd, 'verify');
    assert.equal(res.code, 1);
    assert.equal(res.outputs['exit-code'], '1');
    assert.equal(res.outputs['result-file'], join(cwd, 'anzenna-result.json'));
    const json = JSON.parse(readFileSync(res.outputs['result-file'], 'utf8')) as { result: { checks: Array<{ id: string; status: string }> } };
    assert.equal(json.result.checks.find((c) => c.id === 'app.exists')?.status, 'fail');
    assert.match(res.stdout, /::error title=sf anzenna verify::/);
    assert.match(res.summary, /### sf anzenna verify: failed/);
    assert.match(res.summary, /- fail `app\.exists`/);
  });

  it('runs setup, then verify passes, with the flags from args', async () => {
    const cwd = tempDir('gha-cwd');
    const setup = await runCommand(home, cwd, 'setup', '--app-name ActionApp');
    assert.equal(setup.code, 0, setup.summary);
    assert.match(setup.summary, /### sf anzenna setup: passed/);
    assert.match(setup.summary, /- pass `jwt\.login`/);
    const verify = await runCommand(home, cwd, 'verify', '--app-name ActionApp');
    assert.equal(verify.code, 0, verify.summary);
    assert.equal(verify.outputs['exit-code'], '0');
    assert.doesNotMatch(verify.stdout, /::error/);
    // setup's own proof logged in through the app, so status sees a connection.
    const status = await runCommand(home, cwd, 'status', '--app-name ActionApp');
    assert.equal(status.code, 0, status.summary);
    assert.match(status.summary, /### sf anzenna status: passed/);
    assert.match(status.summary, /- connection: connected, last login \d{4}-/);
    assert.match(status.summary, /- certificate: \d+ day\(s\) left/);
  });

  it('refuses a command other than setup, verify or status', async () => {
    const res = await runCommand(home, tempDir('gha-cwd'), 'delete');
    assert.equal(res.code, 2);
    assert.match(res.stdout, /command must be setup, verify or status/);
  });

  it('logs in over JWT from the key text, and leaves no key file behind', async () => {
    // The integration user of a set-up org stands in for an admin with a login app: the same JWT bearer flow.
    const cwd = tempDir('gha-cwd');
    const setup = await runSf<SetupResult>(['anzenna', 'setup', '--target-org', 'emu', '--app-name', 'LoginApp', '--json'], home, cwd);
    assert.equal(setup.code, 0, setup.stdout);
    const r = setup.json?.result;
    assert.ok(r?.consumerKey && r.privateKeyPath, 'setup returned a consumer key and a key path');
    const ciHome = tempDir('gha-home');
    const login = await runActionStep('Log the admin in', ciHome, cwd, {
      JWT_CLIENT_ID: r.consumerKey,
      JWT_KEY: readFileSync(r.privateKeyPath, 'utf8'),
      SF_USERNAME: r.username,
      INSTANCE_URL: r.instanceUrl,
      ALIAS: 'ci-admin',
    });
    assert.equal(login.code, 0, login.stdout);
    assert.deepEqual(readdirSync(login.tmp), [], 'the key file written for sf is removed');
    const shown = await runSf<{ username: string }>(['org', 'display', '--target-org', 'ci-admin', '--json'], ciHome);
    assert.equal(shown.json?.result?.username, r.username);
  });

  it('stops with an annotation when no login is configured', async () => {
    const res = await runActionStep('Log the admin in', tempDir('gha-home'), tempDir('gha-cwd'), { ALIAS: 'x' });
    assert.equal(res.code, 1);
    assert.match(res.stdout, /::error title=sf-anzenna::No admin login/);
  });
});
