/**
 * Runs every test under test/ with Node's test runner, in a sealed environment:
 * a run folder of its own (`TMPDIR` and `HOME` inside it, so every temporary folder a test, the plugin or
 * the emulator makes lands there), no proxy variables (jsforce would send loopback traffic through them),
 * the file keychain, no telemetry. The run folder is removed at the end, on failure and on Ctrl-C too; then
 * the real temp folder is checked: an `anzenna-*` entry made during the run means something ignored TMPDIR,
 * and fails the run. Extra arguments are passed to `node --test` (for example a file path or
 * `--test-name-pattern`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const realTmp = tmpdir();

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

/** `anzenna-*` entries of the real temp folder changed since `since` (ms), other than `except`. */
function oursLeftIn(dir: string, since: number, except: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('anzenna-') && join(dir, name) !== except)
    .filter((name) => {
      try {
        return statSync(join(dir, name)).ctimeMs >= since;
      } catch {
        return false;
      }
    });
}

/** Whether another test runner (any checkout) is running on this machine (Linux: /proc; elsewhere unknown → false). */
function otherRunnerRunning(): boolean {
  if (!existsSync('/proc')) return false;
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid && Number(pid) !== process.ppid)
    .some((pid) => {
      try {
        return /scripts\/run-tests\.ts/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
      } catch {
        return false;
      }
    });
}

const started = Date.now() - 1000;
const otherRunsAtStart = otherRunnerRunning();
const runDir = mkdtempSync(join(realTmp, 'anzenna-test-run-'));
const env: NodeJS.ProcessEnv = { ...process.env };
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']) {
  delete env[name];
}
env.TMPDIR = join(runDir, 'tmp');
env.HOME = join(runDir, 'home');
mkdirSync(env.TMPDIR);
mkdirSync(env.HOME);
env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';
env.SF_DISABLE_TELEMETRY = 'true';
env.SFDX_DISABLE_TELEMETRY = 'true';
env.SF_AUTOUPDATE_DISABLE = 'true';
env.SF_SKIP_NEW_VERSION_CHECK = 'true';
env.NODE_ENV = 'test';

// Ctrl-C reaches the test processes too; this process stays to clean up after them.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

const args = process.argv.slice(2);
const files = args.some((a) => a.endsWith('.ts')) ? [] : findTests(join(root, 'test'));
let status = 1;
try {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/helpers/quiet-loopback-warnings.ts', '--test', '--test-concurrency=2', '--test-reporter=spec', ...args, ...files],
    { cwd: root, env, stdio: 'inherit' }
  );
  status = result.status ?? 1;
} finally {
  rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
}
const left = oursLeftIn(realTmp, started, runDir);
// Another test run on this machine at the same time (its run folder, or an older runner's HOME) makes the
// entries impossible to attribute: then they are listed, not failed on.
const otherRun = (name: string): boolean => name.startsWith('anzenna-test-run-') || name.startsWith('anzenna-test-home-');
const concurrent = otherRunsAtStart || otherRunnerRunning() || left.some(otherRun);
if (left.length > 0) {
  const verdict = concurrent ? 'WARNING (another test run was going on, so they may be its)' : 'FAIL';
  console.error(`\n${verdict}: ${left.length} entr${left.length === 1 ? 'y' : 'ies'} named anzenna-* appeared in ${realTmp} during the run (something ignored TMPDIR):`);
  for (const name of left.slice(0, 20)) console.error(`  ${join(realTmp, name)}`);
  if (!concurrent) status = status || 1;
} else {
  console.error(`\nNothing named anzenna-* was left in ${realTmp}.`);
}
process.exit(status);
