/**
 * Writing key material to disk: the private key with mode 0600 (owner only), the certificate with 0644.
 * Existing files are never overwritten unless asked, and the key text never appears in errors.
 *
 * A key pair is written as a pair (writeKeyPair): both files are first written into a staging folder beside
 * them (`.<base>.pair-<pid>-<random>`, mode 0700), then renamed into place, key first, then the certificate,
 * then the staging folder is removed. A `kill -9` before the first rename leaves no pair (only the staging
 * folder); one between the two renames leaves the key with its certificate still in the staging folder.
 * recoverKeyPair, run before a pair is looked for, recognises both as ours (the folder's name, a writer that
 * is no longer running, and for the second case a certificate made from exactly that key) and finishes or
 * discards the write. Nothing was deployed with such a key: the certificate is only ever deployed after the
 * pair is complete.
 */
import { constants, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { access, chmod, lstat, mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Messages, SfError } from '@salesforce/core';
import { keyMatchesCertificatePem } from './inspect.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.files');

export const PRIVATE_KEY_MODE = 0o600;
export const CERTIFICATE_MODE = 0o644;

/** Test hook: when set, writeKeyPair stops (for a `kill -9`) at that point and says so on stderr. */
export const KEY_WRITE_PAUSE_ENV = 'SF_ANZENNA_TEST_PAUSE_KEY_WRITE';
export type KeyWritePausePoint = 'staged' | 'between-files';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** The first part of `path` that is not a directory (a file or a broken symbolic link in the way), if any. */
async function blockingPathPart(path: string): Promise<string | undefined> {
  for (let part = path; part !== dirname(part); part = dirname(part)) {
    const info = await lstat(part).catch(() => undefined);
    if (!info) continue;
    if (info.isSymbolicLink()) {
      const target = await stat(part).catch(() => undefined);
      if (!target) return `${part} is a broken symbolic link`;
      if (!target.isDirectory()) return `${part} is not a directory`;
    } else if (!info.isDirectory()) return `${part} is a file, not a directory`;
    return undefined;
  }
  return undefined;
}

async function createDir(full: string): Promise<void> {
  try {
    await mkdir(full, { recursive: true, mode: 0o700 });
  } catch (error) {
    const why = (await blockingPathPart(full)) ?? 'the folder it goes in cannot be written to';
    throw messages.createError('error.OutputDirNotCreatable', [full, errnoCode(error), why], [], error as Error);
  }
}

/** The directory must exist (or be creatable when `create`) and be writable. */
export async function prepareOutputDir(dir: string, create: boolean): Promise<string> {
  const full = resolve(dir);
  if (!(await exists(full))) {
    if (!create) throw messages.createError('error.OutputDirMissing', [full], [full]);
    await createDir(full);
  }
  if (!(await stat(full)).isDirectory()) throw messages.createError('error.OutputDirNotDirectory', [full], [full]);
  try {
    await access(full, constants.W_OK);
  } catch {
    throw messages.createError('error.OutputDirNotWritable', [full]);
  }
  return full;
}

export async function refuseExisting(paths: string[], force: boolean): Promise<void> {
  if (force) return;
  const found: string[] = [];
  for (const path of paths) if (await exists(path)) found.push(path);
  if (found.length > 0) throw messages.createError('error.KeyFilesExist', [found.join(' and ')]);
}

/** Writes a new file with an exact mode, whatever the umask, and flushes it to disk. */
async function writeNew(path: string, content: string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(content);
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a file with an exact mode, whatever the umask, replacing any older file's mode too. */
export async function writeWithMode(path: string, content: string, mode: number): Promise<void> {
  // Written beside the target with its final mode, then renamed over it: the content never sits under an
  // older file's looser permissions.
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeNew(temp, content, mode);
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export type KeyPairFiles = { dir: string; fileBase: string; privateKeyPem: string; certificatePem: string };

export function keyPairPaths(dir: string, fileBase: string): { keyPath: string; certPath: string } {
  return { keyPath: join(dir, `${fileBase}.key`), certPath: join(dir, `${fileBase}.crt`) };
}

async function pauseForTest(point: KeyWritePausePoint): Promise<void> {
  if (process.env[KEY_WRITE_PAUSE_ENV] !== point) return;
  // Straight to file descriptor 2: a running spinner holds back what goes through process.stderr.
  writeSync(2, `${KEY_WRITE_PAUSE_ENV}: paused at ${point}\n`);
  await new Promise<never>(() => setInterval(() => {}, 60_000));
}

/**
 * Writes a key (0600) and its certificate (0644) as one pair into `dir` (which must exist): a `kill -9` at
 * any moment leaves no pair, a whole pair, or a state recoverKeyPair completes. Existing files are replaced.
 */
export async function writeKeyPair(files: KeyPairFiles): Promise<{ keyPath: string; certPath: string }> {
  const { keyPath, certPath } = keyPairPaths(files.dir, files.fileBase);
  const staging = await mkdtemp(join(files.dir, `.${files.fileBase}.pair-${process.pid}-`)).catch((error: unknown) => {
    throw messages.createError('error.KeyPairWriteFailed', [files.dir, errnoCode(error)], [], error as Error);
  });
  let keyPlaced = false;
  try {
    const staged = keyPairPaths(staging, files.fileBase);
    await writeNew(staged.keyPath, files.privateKeyPem, PRIVATE_KEY_MODE);
    await writeNew(staged.certPath, files.certificatePem, CERTIFICATE_MODE);
    await pauseForTest('staged');
    await rename(staged.keyPath, keyPath);
    keyPlaced = true;
    await pauseForTest('between-files');
    await rename(staged.certPath, certPath);
  } catch (error) {
    // A key without its certificate is of no use and was never deployed: take it back out.
    if (keyPlaced) await rm(keyPath, { force: true });
    throw error instanceof SfError ? error : messages.createError('error.KeyPairWriteFailed', [files.dir, errnoCode(error)], [], error as Error);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { keyPath, certPath };
}

function writerIsGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Staging folders of interrupted writes of this pair: ours by name, and their writer no longer runs. */
async function abandonedStagings(dir: string, fileBase: string): Promise<string[]> {
  const prefix = `.${fileBase}.pair-`;
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+-[A-Za-z0-9]{6}$/.test(name.slice(prefix.length)))
    .filter((name) => writerIsGone(Number(name.slice(prefix.length).split('-')[0])))
    .map((name) => join(dir, name));
}

/**
 * Finishes or discards key pair writes that a killed process left in `dir`. A key in place whose certificate
 * is still in the staging folder, made from exactly that key, gets its certificate (the write is completed);
 * anything else staged was never in place, so never deployed, and is removed. Returns what it did.
 */
export async function recoverKeyPair(dir: string, fileBase: string): Promise<'completed' | 'discarded' | 'none'> {
  const { keyPath, certPath } = keyPairPaths(dir, fileBase);
  let outcome: 'completed' | 'discarded' | 'none' = 'none';
  for (const staging of await abandonedStagings(dir, fileBase)) {
    const staged = keyPairPaths(staging, fileBase);
    const stagedCert = await readFile(staged.certPath, 'utf8').catch(() => undefined);
    const placedKey = await readFile(keyPath, 'utf8').catch(() => undefined);
    const onlyCertLeft = stagedCert !== undefined && !(await exists(staged.keyPath));
    if (onlyCertLeft && placedKey !== undefined && keyMatchesCertificatePem(placedKey, stagedCert)) {
      await rename(staged.certPath, certPath);
      outcome = 'completed';
    } else if (outcome === 'none') outcome = 'discarded';
    await rm(staging, { recursive: true, force: true });
  }
  return outcome;
}

/**
 * Where a key pair of `fileBase` in `dir` stands, after finishing or discarding any write of ours that a
 * killed process left there (recoverKeyPair): what setup looks at before reusing or generating a pair.
 */
export async function findKeyPair(dir: string, fileBase: string): Promise<{ keyPath: string; certPath: string; haveKey: boolean; haveCert: boolean }> {
  await recoverKeyPair(dir, fileBase);
  const { keyPath, certPath } = keyPairPaths(dir, fileBase);
  return { keyPath, certPath, haveKey: await exists(keyPath), haveCert: await exists(certPath) };
}

/**
 * Parser of a flag that names a file to read (`Flags.file({ parse: (p) => checkInputFile(p, 'private-key-file') })`):
 * a readable regular file, otherwise a named error saying what is wrong with it.
 */
export async function checkInputFile(path: string, flag: string): Promise<string> {
  const full = resolve(path);
  const info = await stat(full).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') throw messages.createError('error.InputFileMissing', [full], [process.cwd()]);
    throw messages.createError('error.InputFileUnreadable', [full, errnoCode(error)]);
  });
  if (info.isDirectory()) throw messages.createError('error.InputFileIsDirectory', [full], [join(path, flag.includes('key') ? 'anzenna.key' : 'cert.pem')]);
  if (!info.isFile()) throw messages.createError('error.InputFileNotRegular', [full]);
  try {
    await access(full, constants.R_OK);
  } catch (error) {
    throw messages.createError('error.InputFileUnreadable', [full, errnoCode(error)]);
  }
  return path;
}
