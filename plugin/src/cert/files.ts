/**
 * Writing key material to disk: the private key with mode 0600 (owner only), the certificate with 0644.
 * Existing files are never overwritten unless asked, and the key text never appears in errors.
 */
import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SfError } from '@salesforce/core';

export const PRIVATE_KEY_MODE = 0o600;
export const CERTIFICATE_MODE = 0o644;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The directory must exist (or be creatable when `create`) and be writable. */
export async function prepareOutputDir(dir: string, create: boolean): Promise<string> {
  const full = resolve(dir);
  if (!(await exists(full))) {
    if (!create) {
      throw new SfError(`The output directory ${full} does not exist.`, 'OutputDirMissingError', [
        `Create it first (mkdir -p "${full}") or choose another --output-dir.`,
      ]);
    }
    await mkdir(full, { recursive: true, mode: 0o700 });
  }
  if (!(await stat(full)).isDirectory()) {
    throw new SfError(`${full} is not a directory.`, 'OutputDirNotDirectoryError', ['Choose a directory for --output-dir.']);
  }
  try {
    await access(full, constants.W_OK);
  } catch {
    throw new SfError(`The output directory ${full} is not writable.`, 'OutputDirNotWritableError', [
      'Choose a directory you can write to, or fix its permissions.',
    ]);
  }
  return full;
}

export async function refuseExisting(paths: string[], force: boolean): Promise<void> {
  if (force) return;
  const found: string[] = [];
  for (const path of paths) if (await exists(path)) found.push(path);
  if (found.length > 0) {
    throw new SfError(`Refusing to overwrite ${found.join(' and ')}.`, 'KeyFilesExistError', [
      'Pass --force to replace them (a deployed certificate made from the old key stops matching).',
      'Or choose another --output-dir.',
    ]);
  }
}

/** Writes a file with an exact mode, whatever the umask, replacing any older file's mode too. */
export async function writeWithMode(path: string, content: string, mode: number): Promise<void> {
  // Written beside the target with its final mode, then renamed over it: the content never sits under an
  // older file's looser permissions.
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, content, { mode, flag: 'wx' });
  await chmod(temp, mode);
  await rename(temp, path);
}
