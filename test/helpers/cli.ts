/**
 * Runs the built plugin (plugin/bin/run.js) in a child process with its own HOME and no proxy variables,
 * on the Node 22 that runs this test. Returns exit code, stdout, stderr and the parsed --json body.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const pluginRunJs = join(repoRoot, 'plugin', 'bin', 'run.js');

export type CliResult<T = unknown> = {
  code: number;
  stdout: string;
  stderr: string;
  json?: { status: number; result?: T; name?: string; message?: string; actions?: string[]; warnings?: string[] };
};

export function sealedEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(https?|all|no)_proxy$/i.test(name)) delete env[name];
  }
  return {
    ...env,
    HOME: home,
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    ...extra,
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `anzenna-${prefix}-`));
}

/** Runs a Node script (the plugin's or sf's bin) in a child process and collects what it printed. */
export async function runNode<T = unknown>(script: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult<T>> {
  const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? -1));
  });
  let json: CliResult<T>['json'];
  if (args.includes('--json')) {
    try {
      json = JSON.parse(stdout) as CliResult<T>['json'];
    } catch {
      json = undefined;
    }
  }
  return { code, stdout, stderr, json };
}

export async function runCli<T = unknown>(
  args: string[],
  options: { cwd?: string; home?: string; env?: NodeJS.ProcessEnv; bin?: string } = {}
): Promise<CliResult<T>> {
  const home = options.home ?? tempDir('home');
  return runNode<T>(options.bin ?? pluginRunJs, args, options.cwd ?? home, sealedEnv(home, options.env));
}
