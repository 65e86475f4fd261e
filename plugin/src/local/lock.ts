/**
 * One setup at a time per app and output directory: a lock file (in the OS temp directory, named after
 * both) taken before anything is written, so a second run refuses with SetupInProgressError instead of
 * half-overwriting a key pair. A lock whose process is gone (a killed run) is taken over.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { removeSync } from './fs-sync.js';
import { onInterrupt } from './interrupt.js';
import { isAlive, STAGING_PREFIX } from './staging.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.setup');

export type Lock = { path: string; release(): Promise<void> };

export function lockPath(appName: string, outputDir: string, root = tmpdir()): string {
  const id = createHash('sha256').update(`${appName.toLowerCase()}\n${resolve(outputDir)}`).digest('hex').slice(0, 16);
  return join(root, `${STAGING_PREFIX}lock-${id}.json`);
}

function holder(path: string): { pid: number; startedAt: number } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { pid: number; startedAt: number };
  } catch {
    return undefined;
  }
}

async function create(path: string): Promise<boolean> {
  try {
    await writeFile(path, JSON.stringify({ pid: process.pid, startedAt: Date.now() }), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

export async function acquireLock(appName: string, outputDir: string, root = tmpdir()): Promise<Lock> {
  const path = lockPath(appName, outputDir, root);
  if (!(await create(path))) {
    const current = holder(path);
    if (current && isAlive(current.pid) && current.pid !== process.pid) {
      throw messages.createError('error.SetupInProgress', [appName, resolve(outputDir), String(current.pid)]);
    }
    await rm(path, { force: true });
    if (!(await create(path))) throw messages.createError('error.SetupInProgress', [appName, resolve(outputDir), 'another']);
  }
  const forget = onInterrupt(() => removeSync(path));
  return {
    path,
    release: async () => {
      forget();
      await rm(path, { force: true });
    },
  };
}
