/**
 * The real `sf` binary (pinned in test/sf-cli) with our plugin linked into a throw-away HOME.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot, runNode, sealedEnv, tempDir, type CliResult } from './cli.js';

export const sfBin = join(repoRoot, 'test', 'sf-cli', 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');

export function sfInstalled(): boolean {
  return existsSync(sfBin);
}

export async function runSf<T = unknown>(args: string[], home: string, cwd = home, extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult<T>> {
  // PATH first holds the Node 22 that runs the tests: sf's hooks spawn `node` and `sf` by name.
  const path = [dirname(process.execPath), join(repoRoot, 'test', 'sf-cli', 'node_modules', '.bin'), process.env.PATH].join(':');
  return runNode<T>(sfBin, args, cwd, sealedEnv(home, { PATH: path, SF_DISABLE_AUTOUPDATE: 'true', ...extraEnv }));
}

/** A fresh HOME with the plugin linked (no dependency install: the workspace already has them). */
export async function homeWithLinkedPlugin(): Promise<string> {
  const home = tempDir('sf-home');
  const linked = await runSf(['plugins', 'link', join(repoRoot, 'plugin'), '--no-install'], home);
  if (linked.code !== 0) throw new Error(`sf plugins link failed (${linked.code}): ${linked.stderr}`);
  return home;
}
