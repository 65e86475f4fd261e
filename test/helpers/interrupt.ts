/**
 * Runs the plugin as a real process against an emulated org and sends it a signal at a chosen moment: when its
 * output first matches `output`, or right after the org has answered the next request of `afterOperation`
 * (the emulator's onceAfter hook), so nothing races a timer. Shared by the interruption tests.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { pluginRunJs, sealedEnv } from './cli.js';
import type { EmulatedOrg } from './emulated-org.js';

export type Interrupted = { code: number | null; stdout: string; stderr: string };

/** When to send the signal: on output, after an org operation, or whenever `arm` calls `send`. */
export type Trigger = { output: RegExp } | { afterOperation: string } | { arm: (send: () => void) => void };

export async function interruptAt(o: EmulatedOrg, args: string[], tmp: string, trigger: Trigger, signal: NodeJS.Signals = 'SIGINT'): Promise<Interrupted> {
  const child = spawn(process.execPath, [pluginRunJs, ...args], { cwd: o.cwd, env: sealedEnv(o.home, { TMPDIR: tmp }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sent = false;
  const send = (): void => {
    if (sent) return;
    sent = true;
    child.kill(signal);
  };
  if ('afterOperation' in trigger) o.emu.faults.onceAfter(trigger.afterOperation, send);
  if ('arm' in trigger) trigger.arm(send);
  const onOutput = (): void => {
    if ('output' in trigger && trigger.output.test(stdout + stderr)) send();
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), onOutput()));
  child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr += d), onOutput()));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.ok(sent, `the signal was never sent (${args.join(' ')}):\n${stdout}\n${stderr}`);
  return { code, stdout, stderr };
}

/** The one "Interrupted (…)" line, asserted to be the only one, with no stack trace beside it. */
export function interruptedLine(run: Interrupted): string {
  const said = run.stderr.split('\n').filter((l) => /Interrupted/.test(l));
  assert.equal(said.length, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /ExitError|\n\s+at /, 'no stack trace');
  return said[0];
}

/** Our temporary folders (and lock) under `tmp`. */
export const oursIn = (tmp: string): string[] => readdirSync(tmp).filter((n) => n.startsWith('anzenna-'));
