/**
 * `npm run demo`: the main job end to end on this machine. Starts the embedded offline org (the emulator
 * from emulator/, a Developer Edition org on 127.0.0.1), writes an admin login for it into a
 * throw-away HOME, and runs `sf anzenna setup` against it with the built plugin, exactly as an admin would
 * against a sandbox. Extra arguments go to setup (for example `npm run demo -- --json` or `-- --dry-run`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/src/index.js';

const root = join(import.meta.dirname, '..');
const extra = process.argv.slice(2);
const json = extra.includes('--json');
const work = mkdtempSync(join(tmpdir(), 'anzenna-demo-'));
const home = join(work, 'home');

const emu = await startEmulator({ edition: 'Developer', latencyMs: json ? 0 : 20, deployMs: json ? 0 : 1500 });
await emu.writeAdminAuth(home, 'demo-org');
const args = ['anzenna', 'setup', '--target-org', 'demo-org', '--no-prompt', ...extra];
if (!json) {
  console.log(`Offline org: ${emu.url} (Developer Edition), admin ${emu.adminUsername}, alias demo-org`);
  console.log(`Working directory: ${work}\n`);
  console.log(`$ sf ${args.join(' ')}\n`);
}
const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_TELEMETRY: 'true' };
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete env[name];
const child = spawn(process.execPath, [join(root, 'plugin', 'bin', 'run.js'), ...args], { cwd: work, env, stdio: 'inherit' });
const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
if (!json) console.log(`\n${emu.requestLog.length} requests reached the offline org.`);
await emu.close();
process.exit(code);
