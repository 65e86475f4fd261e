/**
 * Installs the pinned real `sf` CLI into test/sf-cli (apart from the workspace) when it is missing or its
 * lock file changed, so `npm test` works on a fresh clone. A no-op when it is already in place.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', 'test', 'sf-cli');
const lock = readFileSync(join(dir, 'package-lock.json'));
const hash = createHash('sha256').update(lock).digest('hex');
const marker = join(dir, 'node_modules', '.installed-lock-sha256');
const sfBin = join(dir, 'node_modules', '.bin', 'sf');

if (existsSync(sfBin) && existsSync(marker) && readFileSync(marker, 'utf8') === hash) {
  console.log('sf CLI for tests: already installed');
} else {
  console.log('sf CLI for tests: installing the pinned @salesforce/cli into test/sf-cli …');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  writeFileSync(marker, hash);
}
