/**
 * `npm run demo`: the main job end to end on this machine. Builds the plugin, starts the embedded offline
 * org (the emulator from emulator/, a Developer Edition org on 127.0.0.1), writes an admin login for it into
 * a throw-away HOME, and runs `sf anzenna setup` against it with the built plugin, exactly as an admin would
 * against a sandbox. Extra arguments go to setup (for example `npm run demo -- --json` or `-- --dry-run`),
 * except `--keep`, which keeps the working folder (private key and sf home) and says where it is; without it
 * the folder is removed at the end, whatever the outcome.
 *
 * Everything but setup's own output goes to stderr (the build included), so `npm run --silent demo -- --json`
 * prints nothing but setup's JSON on stdout. SF_ANZENNA_DEMO_NO_BUILD=1 skips the build (tests, which build
 * once for every test).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/src/index.js';

const root = join(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const extra = process.argv.slice(2).filter((a) => a !== '--keep');
const json = extra.includes('--json');
const say = (line: string): void => void process.stderr.write(`${line}\n`);

if (process.env.SF_ANZENNA_DEMO_NO_BUILD !== '1') {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const work = mkdtempSync(join(tmpdir(), 'anzenna-demo-'));
const home = join(work, 'home');
const cleanUp = (): void => {
  if (!keep) rmSync(work, { recursive: true, force: true });
};
// Ctrl-C, a kill, or a reader that went away (`| head`) must not leave the private key behind either.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
process.on('exit', cleanUp);
const emu = await startEmulator({ edition: 'Developer', latencyMs: json ? 0 : 20, deployMs: json ? 0 : 1500 });
let code = 1;
try {
  await emu.writeAdminAuth(home, 'demo-org');
  const args = ['anzenna', 'setup', '--target-org', 'demo-org', '--no-prompt', ...extra];
  if (!json) {
    say(`Offline org: ${emu.url} (Developer Edition), admin ${emu.adminUsername}, alias demo-org`);
    say(`Working directory: ${work}${keep ? '' : ' (removed at the end; pass --keep to keep it)'}\n`);
    say(`$ sf ${args.join(' ')}\n`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_TELEMETRY: 'true' };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete env[name];
  const child = spawn(process.execPath, [join(root, 'plugin', 'bin', 'run.js'), ...args], { cwd: work, env, stdio: 'inherit' });
  code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (!json) say(`\n${emu.requestLog.length} requests reached the offline org.`);
} finally {
  await emu.close();
  if (keep) say(`Kept the working folder (private key, sf home): ${work}`);
  cleanUp();
}
process.exit(code);
