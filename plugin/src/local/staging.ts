/**
 * Temporary folders of ours: created under the OS temp directory with our prefix and an owner file (the
 * process Id), removed when the run ends or is interrupted. A run killed outright (`kill -9`) leaves its
 * folder; the next run removes it, and only folders that are ours (prefix and owner file) and stale (their
 * process is gone, or they are older than a day).
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOnInterrupt } from './interrupt.js';

export const STAGING_PREFIX = 'anzenna-';
export const OWNER_FILE = '.sf-anzenna-owner.json';
const DAY_MS = 24 * 60 * 60 * 1000;

export type Staging = { dir: string; dispose(): Promise<void> };

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A folder of ours whose process is gone (or that is older than a day). */
export function isStale(dir: string, now = Date.now()): boolean {
  const owner = join(dir, OWNER_FILE);
  if (!existsSync(owner)) return false;
  try {
    const { pid, startedAt } = JSON.parse(readFileSync(owner, 'utf8')) as { pid: number; startedAt: number };
    return !isAlive(pid) || now - startedAt > DAY_MS;
  } catch {
    return now - statSync(owner).mtimeMs > DAY_MS;
  }
}

/** Removes stale folders of ours under `root` (default: the OS temp directory); returns what it removed. */
export async function sweepStale(root = tmpdir(), now = Date.now()): Promise<string[]> {
  const entries = await readdir(root).catch(() => [] as string[]);
  const stale = entries.filter((name) => name.startsWith(STAGING_PREFIX)).map((name) => join(root, name)).filter((dir) => isStale(dir, now));
  await Promise.all(stale.map((dir) => rm(dir, { recursive: true, force: true })));
  return stale;
}

/** A new temporary folder of ours (`anzenna-<purpose>-…`), removed by dispose() or on Ctrl-C/SIGTERM. */
export async function createStaging(purpose: string, root = tmpdir()): Promise<Staging> {
  // Synchronous, so no signal handler can run between the folder appearing and its clean-up being registered
  // (with an awaited mkdtemp, a Ctrl-C while it was pending left the folder behind).
  const dir = mkdtempSync(join(root, `${STAGING_PREFIX}${purpose}-`));
  const forget = removeOnInterrupt(dir);
  await writeFile(join(dir, OWNER_FILE), JSON.stringify({ pid: process.pid, startedAt: Date.now() }), { mode: 0o600 });
  return {
    dir,
    dispose: async () => {
      forget();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
