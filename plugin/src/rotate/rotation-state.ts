/**
 * The record a --parallel-app rotation keeps for --finish: `<output-dir>/<app file base>.rotation.json`, no
 * secret in it. Written before the second app is deployed, so a run interrupted while that deploy may still
 * land can be picked up again (parallel.ts) and finished (finish.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Messages } from '@salesforce/core';
import { writeWithMode } from '../cert/index.js';
import { fileBaseForApp } from '../defaults.js';
import type { RotateOptions } from './options.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.rotate');

/**
 * What --parallel-app leaves for --finish (no secret). Written before the deploy, so a run interrupted while
 * the deploy may still land can be finished. `proofRun`: this machine logged in through the new app (saved
 * before it tries); `ownLoginAt`: LoginHistory's time of that login when it could be read. Neither is the
 * vendor's login --finish waits for.
 */
export type RotationState = {
  appName: string;
  newAppName: string;
  consumerKey: string;
  certificateSha256: string;
  createdAt: string;
  proofRun?: boolean;
  ownLoginAt?: string;
};

export const stateFilePath = (options: RotateOptions): string => join(options.outputDir, `${fileBaseForApp(options.appName)}.rotation.json`);

export async function saveRotationState(options: RotateOptions, state: RotationState): Promise<void> {
  await writeWithMode(stateFilePath(options), `${JSON.stringify(state, null, 2)}\n`, 0o644);
}

export async function readRotationState(options: RotateOptions): Promise<RotationState> {
  const path = stateFilePath(options);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) throw messages.createError('error.RotationStateMissing', [path, options.appName]);
  return JSON.parse(text) as RotationState;
}
