/**
 * Interruptions and concurrency on the real process: Ctrl-C (SIGINT) and SIGTERM in the middle of a deploy
 * exit 130 / 143 with one plain line and no stack trace, leave no temporary folder of ours, and running the
 * same command again finishes the job; a second setup against the same app and output directory is refused
 * (SetupInProgressError) before anything is written. The signal is sent when setup says it is deploying
 * (its own output), and the deploy is held open by the emulator, so nothing races a timer.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import { tempDir } from '../helpers/cli.js';
import { interruptAt, interruptedLine, oursIn } from '../helpers/interrupt.js';
import { lockPath } from '../../plugin/src/local/lock.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';

const orgs: EmulatedOrg[] = [];
after(async () => Promise.all(orgs.map((o) => o.close())));

const ours = oursIn;

describe('sf anzenna setup interrupted', () => {
  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: exit ${exitCode}, one plain line, no stack trace, no temporary folder left; the same command then finishes the job`, async () => {
      const o = await emulatedOrg({ edition: 'Developer', deployMs: 120_000 });
      orgs.push(o);
      const tmp = tempDir('tmp');
      const run = await interruptAt(o, ['anzenna', 'setup', '-o', 'emu', '--no-prompt'], tmp, { output: /Deploying the integration profile/ }, signal);
      assert.equal(run.code, exitCode, run.stdout + run.stderr);
      assert.match(interruptedLine(run), new RegExp(`Interrupted \\(${signal}\\)\\. Done before it stopped: write key pair\\. Running the same command again finishes the job\\.`));
      assert.deepEqual(ours(tmp), [], 'the staging folder (with the rendered global OAuth settings) and the lock are gone');

      o.emu.faults.deployMs = 0;
      const again = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json'], { TMPDIR: tmp });
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.equal(again.json?.result?.keyMode, 'reused', 'the key pair written before the interruption is used');
      assert.equal(again.json?.result?.checks.find((c) => c.id === 'jwt.login')?.status, 'pass');
      assert.deepEqual(ours(tmp), []);
    });
  }
});

describe('sf anzenna setup, one at a time', () => {
  it('refuses a second setup of the same app and output directory while one runs, before any write', async () => {
    const o = await emulatedOrg({ edition: 'Developer' });
    orgs.push(o);
    const tmp = tempDir('tmp');
    const outputDir = join(o.cwd, 'anzenna-jwt');
    // The first setup is this test's parent process (alive), holding the lock.
    writeFileSync(lockPath('Anzenna', outputDir, tmp), JSON.stringify({ pid: process.ppid, startedAt: Date.now() }));
    const before = o.snapshot();
    const second = await o.run(['anzenna', 'setup', '-o', 'emu', '--json'], { TMPDIR: tmp });
    assert.equal(second.code, 1);
    assert.equal(second.json?.name, 'SetupInProgressError');
    assert.match(second.json?.message ?? '', /Another sf anzenna setup of Anzenna/);
    assert.ok((second.json?.actions ?? []).length > 0);
    assert.equal(o.snapshot(), before, 'the org is untouched');
    assert.equal(existsSync(outputDir), false, 'no key pair written');
  });

  it('takes over the lock of a run that was killed, and removes its stale temporary folder (only ours, only stale)', async () => {
    const o = await emulatedOrg({ edition: 'Developer' });
    orgs.push(o);
    const tmp = tempDir('tmp');
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => dead.on('close', () => resolve(dead.pid as number)));
    const owner = (pid: number): string => JSON.stringify({ pid, startedAt: Date.now() });
    writeFileSync(lockPath('Anzenna', join(o.cwd, 'anzenna-jwt'), tmp), owner(deadPid));
    const stale = join(tmp, 'anzenna-setup-killed');
    const live = join(tmp, 'anzenna-setup-running');
    const foreign = join(tmp, 'anzenna-not-ours');
    for (const [dir, pid] of [[stale, deadPid], [live, process.ppid]] as const) {
      mkdirSync(join(dir, 'bundle'), { recursive: true });
      writeFileSync(join(dir, '.sf-anzenna-owner.json'), owner(pid));
    }
    mkdirSync(foreign);
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json'], { TMPDIR: tmp });
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.deepEqual(ours(tmp).sort(), ['anzenna-not-ours', 'anzenna-setup-running']);
  });
});
