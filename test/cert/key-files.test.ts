import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  KEY_WRITE_PAUSE_ENV,
  createSelfSignedCertificate,
  findKeyPair,
  privateKeyPem,
  recoverKeyPair,
  writeKeyPair,
  type KeyWritePausePoint,
} from '../../plugin/src/cert/index.js';
import { pluginRunJs, runCli, sealedEnv, tempDir } from '../helpers/cli.js';

function pairPems(): { keyPem: string; certPem: string } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certPem = createSelfSignedCertificate({ ...pair, subject: { commonName: 't' }, validityDays: 30 });
  return { keyPem: privateKeyPem(pair.privateKey, 'pkcs8'), certPem };
}

function matches(dir: string): boolean {
  const cert = new X509Certificate(readFileSync(join(dir, 'anzenna.crt')));
  return cert.checkPrivateKey(createPrivateKey(readFileSync(join(dir, 'anzenna.key'))));
}

const paused = new Set<ChildProcess>();
after(() => {
  for (const child of paused) child.kill('SIGKILL');
});

/** A process id that is not running: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid ?? 999_999;
}

/** Runs `cert generate` with the test hook, waits until it pauses at `point`, then kills it with SIGKILL (the tests' timeout only guards against a hang). */
async function killDuringWrite(dir: string, point: KeyWritePausePoint, extra: string[] = []): Promise<void> {
  const home = tempDir('home');
  const env = sealedEnv(home, { [KEY_WRITE_PAUSE_ENV]: point });
  const child = spawn(process.execPath, [pluginRunJs, 'anzenna', 'cert', 'generate', '-d', dir, ...extra], { cwd: home, env, stdio: ['ignore', 'ignore', 'pipe'] });
  paused.add(child);
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.includes(`paused at ${point}`)) resolve();
    });
    child.on('close', (code) => reject(new Error(`cert generate ended (${code}) before pausing: ${stderr}`)));
  });
  const closed = new Promise((resolve) => child.on('close', resolve));
  child.kill('SIGKILL');
  await closed;
  paused.delete(child);
}

function visible(dir: string): string[] {
  return readdirSync(dir).filter((name) => !name.startsWith('.')).sort();
}

describe('key pair files', () => {
  it('writes the pair with modes 0600 and 0644 and leaves nothing else', async () => {
    const dir = tempDir('pair');
    const { keyPem, certPem } = pairPems();
    const paths = await writeKeyPair({ dir, fileBase: 'anzenna', privateKeyPem: keyPem, certificatePem: certPem });
    assert.equal(statSync(paths.keyPath).mode & 0o777, 0o600);
    assert.equal(statSync(paths.certPath).mode & 0o777, 0o644);
    assert.deepEqual(readdirSync(dir).sort(), ['anzenna.crt', 'anzenna.key']);
    assert.ok(matches(dir));
  });

  it('kill -9 before the files are in place leaves no pair; the re-run writes a whole pair and cleans up', { timeout: 120_000 }, async () => {
    const dir = tempDir('kill');
    await killDuringWrite(dir, 'staged');
    assert.deepEqual(visible(dir), [], 'no key and no certificate in place');
    const res = await runCli(['anzenna', 'cert', 'generate', '-d', dir, '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['anzenna.crt', 'anzenna.key'], 'no staging folder and no *.tmp left');
    assert.ok(matches(dir));
  });

  it('kill -9 between the two files: the next run completes the pair by itself (never a lone key)', { timeout: 120_000 }, async () => {
    const dir = tempDir('kill');
    await killDuringWrite(dir, 'between-files');
    assert.deepEqual(visible(dir), ['anzenna.key'], 'the kill came between the two renames');
    assert.deepEqual(await findKeyPair(dir, 'anzenna'), {
      keyPath: join(dir, 'anzenna.key'),
      certPath: join(dir, 'anzenna.crt'),
      haveKey: true,
      haveCert: true,
    });
    assert.equal(await recoverKeyPair(dir, 'anzenna'), 'none', 'nothing left to recover');
    assert.deepEqual(readdirSync(dir).sort(), ['anzenna.crt', 'anzenna.key']);
    assert.ok(matches(dir), 'the certificate put in place is the one made from that key');
  });

  it('kill -9 between the two files of a --force replacement: recovery puts the new certificate beside the new key', { timeout: 120_000 }, async () => {
    const dir = tempDir('kill');
    assert.equal((await runCli(['anzenna', 'cert', 'generate', '-d', dir])).code, 0);
    await killDuringWrite(dir, 'between-files', ['--force']);
    assert.equal(matches(dir), false, 'new key, old certificate');
    const res = await runCli(['anzenna', 'cert', 'generate', '-d', dir, '--json']);
    assert.equal(res.json?.name, 'KeyFilesExistError', 'the completed pair is kept, not overwritten without --force');
    assert.ok(matches(dir));
    assert.deepEqual(readdirSync(dir).sort(), ['anzenna.crt', 'anzenna.key']);
  });

  it('findKeyPair on a folder that does not exist yet: no pair, nothing thrown', async () => {
    const dir = join(tempDir('none'), 'anzenna-jwt');
    const found = await findKeyPair(dir, 'anzenna');
    assert.equal(found.haveKey || found.haveCert, false);
    assert.equal(existsSync(dir), false, 'looking creates nothing');
  });

  it('recovery leaves a lone key alone when nothing proves it ours, and never touches a running writer', async () => {
    const dir = tempDir('lone');
    const mine = pairPems();
    const other = pairPems();
    writeFileSync(join(dir, 'anzenna.key'), mine.keyPem, { mode: 0o600 });
    // A stale staging folder whose certificate was made from another key: removed, the lone key kept.
    const stale = join(dir, `.anzenna.pair-${await deadPid()}-abcdef`);
    mkdirSync(stale);
    writeFileSync(join(stale, 'anzenna.crt'), other.certPem);
    // A staging folder of a process still running (this one): left alone.
    const live = join(dir, `.anzenna.pair-${process.pid}-ghijkl`);
    mkdirSync(live);
    writeFileSync(join(live, 'anzenna.crt'), mine.certPem);
    assert.equal(await recoverKeyPair(dir, 'anzenna'), 'discarded');
    assert.equal(readFileSync(join(dir, 'anzenna.key'), 'utf8'), mine.keyPem);
    assert.equal(existsSync(join(dir, 'anzenna.crt')), false);
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(live), true);
  });
});

describe('output directories that cannot be used', () => {
  it('a file in the way: OutputDirNotCreatableError naming the file, nothing written', async () => {
    const dir = tempDir('out');
    writeFileSync(join(dir, 'blocker'), 'x');
    const res = await runCli(['anzenna', 'cert', 'generate', '-d', join(dir, 'blocker', 'jwt'), '--json']);
    assert.equal(res.code, 1);
    assert.equal(res.json?.name, 'OutputDirNotCreatableError');
    assert.match(res.json?.message ?? '', /blocker is a file, not a directory/);
    assert.ok((res.json?.actions ?? []).length > 0);
    assert.doesNotMatch(res.stdout, /ENOTDIR.*\n\s+at /, 'no stack trace as the message');
  });

  it('a dangling symbolic link: OutputDirNotCreatableError naming the broken link', async () => {
    const dir = tempDir('out');
    symlinkSync(join(dir, 'gone', 'away'), join(dir, 'jwt'));
    const res = await runCli(['anzenna', 'cert', 'generate', '-d', join(dir, 'jwt'), '--json']);
    assert.equal(res.code, 1);
    assert.equal(res.json?.name, 'OutputDirNotCreatableError');
    assert.match(res.json?.message ?? '', /broken symbolic link/);
    assert.deepEqual(visible(dir), ['jwt']);
  });

  it('a file as the output directory: OutputDirNotDirectoryError', async () => {
    const dir = tempDir('out');
    writeFileSync(join(dir, 'jwt'), 'x');
    const res = await runCli(['anzenna', 'cert', 'generate', '-d', join(dir, 'jwt'), '--json']);
    assert.equal(res.json?.name, 'OutputDirNotDirectoryError');
    assert.ok((res.json?.actions ?? []).length > 0);
  });
});
