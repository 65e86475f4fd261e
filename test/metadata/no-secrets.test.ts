/**
 * No private key anywhere in the repository tree: every file git would commit (tracked, or
 * untracked and not ignored; without git, every file outside node_modules and .git) is scanned
 * for a PEM private-key block with a real body. Marker strings alone (as in assertions or in a
 * deliberately truncated fixture) don't count; an actual key does, also inside a JSON string
 * with escaped line breaks.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { listFiles, repoRoot, testCertificatePem } from './helpers.js';

const MAX_BYTES = 5 * 1024 * 1024;
/** A 1024-bit RSA key is ~850 base64 characters; anything this long between the markers is key material. */
const MIN_KEY_BODY = 200;
// Assembled so that this file does not itself contain the marker it looks for.
const BLOCK = new RegExp(['-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE', 'KEY)-----([\\s\\S]*?)-----END (?:[A-Z0-9]+ )*PRIVATE', 'KEY-----'].join(' '), 'g');

function candidateFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
    return out.split('\0').filter((path) => path !== '' && !path.split('/').includes('node_modules'));
  } catch {
    return listFiles(repoRoot).filter((path) => !path.split('/').some((part) => part === 'node_modules' || part === '.git'));
  }
}

/** Private-key blocks with a real body in a text. */
export function privateKeyBlocks(text: string): string[] {
  const unescaped = text.replace(/\\r\\n|\\n/g, '\n');
  const found: string[] = [];
  for (const match of unescaped.matchAll(BLOCK)) {
    const body = match[2]
      .split('\n')
      .filter((line) => !/^[A-Za-z-]+:/.test(line.trim())) // Proc-Type / DEK-Info headers of encrypted PKCS#1 keys
      .join('')
      .replace(/[\s"'+,]/g, '');
    if (/^[A-Za-z0-9+/=]+$/.test(body) && body.length >= MIN_KEY_BODY) found.push(match[1]);
  }
  return found;
}

describe('no private key in the repository', () => {
  it('the detector finds real keys, escaped or not, and ignores bare markers', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    for (const type of ['pkcs1', 'pkcs8'] as const) {
      const pem = privateKey.export({ type, format: 'pem' }).toString();
      assert.equal(privateKeyBlocks(pem).length, 1, type);
      assert.equal(privateKeyBlocks(JSON.stringify({ key: pem })).length, 1, `${type} in JSON`);
    }
    const encrypted = privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    assert.equal(privateKeyBlocks(encrypted).length, 1, 'encrypted PKCS#1 with headers');
    assert.equal(privateKeyBlocks(['-----BEGIN PRIVATE', 'KEY-----\nAAAA\n-----END PRIVATE', 'KEY-----'].join(' ')).length, 0);
    assert.equal(privateKeyBlocks(testCertificatePem()).length, 0);
  });

  it('no file that git would commit holds a private key', () => {
    const files = candidateFiles();
    assert.ok(files.length > 10, 'the file list looks wrong');
    const offenders: string[] = [];
    for (const path of files) {
      const full = join(repoRoot, path);
      let size: number;
      try {
        const stat = statSync(full);
        if (!stat.isFile()) continue;
        size = stat.size;
      } catch {
        continue; // deleted in the working tree
      }
      if (size > MAX_BYTES) continue;
      const buffer = readFileSync(full);
      if (buffer.includes(0)) continue; // binary
      const kinds = privateKeyBlocks(buffer.toString('utf8'));
      if (kinds.length > 0) offenders.push(`${path} (${kinds.join(', ')})`);
    }
    assert.deepEqual(offenders, []);
  });

  it('no key store or private-key file is tracked or committable', () => {
    const tracked = candidateFiles();
    assert.deepEqual(
      tracked.filter((path) => /\.(key|p12|pfx|jks)$/i.test(path) || /private[^/]*\.pem$/i.test(path)),
      []
    );
  });
});
