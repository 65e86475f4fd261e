/**
 * The composite action's main step (action.yml, "sf anzenna <command>"), run as GitHub would run it: its
 * script under bash with the step's environment, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the real sf
 * with the plugin linked, against the offline org.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import { repoRoot, sealedEnv, tempDir } from '../helpers/cli.js';
import { homeWithLinkedPlugin, sfInstalled } from '../helpers/sf-cli.js';
import { actionScript, githubBash } from './action-steps.js';

const runStep = actionScript('run');

type StepRun = { code: number; stdout: string; outputs: Record<string, string>; summary: string };

async function runActionStep(home: string, cwd: string, command: string, args = ''): Promise<StepRun> {
  const dir = tempDir('gha');
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  // `sf` on PATH, as `npm install --global @salesforce/cli` puts it on a runner.
  const sfBinDir = join(repoRoot, 'test', 'sf-cli', 'node_modules', '.bin');
  const path = [dirname(process.execPath), sfBinDir, process.env.PATH].join(':');
  const env = sealedEnv(home, {
    PATH: path,
    COMMAND: command,
    ALIAS: 'emu',
    ARGS: args,
    RESULT_FILE: 'anzenna-result.json',
    SF_DISABLE_AUTOUPDATE: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
  });
  const [bash, bashArgs] = githubBash(runStep);
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
  return { code, stdout, outputs, summary: readFileSync(summaryFile, 'utf8') };
}

describe('the composite action (action.yml) runs one command for one org', () => {
  let home = '';
  let emu: EmulatorHandle | undefined;
  before(async () => {
    assert.ok(sfInstalled(), 'the pinned sf CLI is installed (npm run sf-cli)');
    assert.ok(runStep.includes('sf anzenna'), 'action.yml has the step with id "run"');
    home = await homeWithLinkedPlugin();
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    await emu.writeAdminAuth(home, 'emu');
  });
  after(async () => emu?.close());

  it('fails verify on an org not set up yet: exit code, outputs, an error annotation and a summary', async () => {
    const cwd = tempDir('gha-cwd');
    const res = await runActionStep(home, cwd, 'verify');
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
    const setup = await runActionStep(home, cwd, 'setup', '--app-name ActionApp');
    assert.equal(setup.code, 0, setup.summary);
    assert.match(setup.summary, /### sf anzenna setup: passed/);
    assert.match(setup.summary, /- pass `jwt\.login`/);
    const verify = await runActionStep(home, cwd, 'verify', '--app-name ActionApp');
    assert.equal(verify.code, 0, verify.summary);
    assert.equal(verify.outputs['exit-code'], '0');
    assert.doesNotMatch(verify.stdout, /::error/);
  });

  it('refuses a command other than setup or verify', async () => {
    const res = await runActionStep(home, tempDir('gha-cwd'), 'delete');
    assert.equal(res.code, 2);
    assert.match(res.stdout, /command must be setup or verify/);
  });
});
