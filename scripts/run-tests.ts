/**
 * Runs every test under test/ with Node's test runner, in a sealed environment:
 * its own HOME, no proxy variables (jsforce would send loopback traffic through them),
 * the file keychain, no telemetry. Extra arguments are passed to `node --test`
 * (for example a file path or `--test-name-pattern`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out.sort();
}

const env: NodeJS.ProcessEnv = { ...process.env };
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']) {
  delete env[name];
}
env.HOME = mkdtempSync(join(tmpdir(), 'anzenna-test-home-'));
env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';
env.SF_DISABLE_TELEMETRY = 'true';
env.SFDX_DISABLE_TELEMETRY = 'true';
env.SF_AUTOUPDATE_DISABLE = 'true';
env.SF_SKIP_NEW_VERSION_CHECK = 'true';
env.NODE_ENV = 'test';

const args = process.argv.slice(2);
const files = args.some((a) => a.endsWith('.ts')) ? [] : findTests(join(root, 'test'));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...args, ...files],
  { cwd: root, env, stdio: 'inherit' }
);
process.exit(result.status ?? 1);
