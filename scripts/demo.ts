/**
 * `npm run demo`: the main job, end to end, on this machine. Until `sf anzenna setup` lands it shows the
 * part that exists: the key pair and certificate the integration signs with, made by the built plugin.
 * Pass --json to print the command's JSON result instead of the human output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'anzenna-demo-'));
const json = process.argv.includes('--json');
const args = ['anzenna', 'cert', 'generate', '--output-dir', join(work, 'jwt'), ...(json ? ['--json'] : [])];
if (!json) console.log(`$ sf ${args.join(' ')}\n`);
const res = spawnSync(process.execPath, [join(root, 'plugin', 'bin', 'run.js'), ...args], {
  stdio: 'inherit',
  env: { ...process.env, HOME: work, SF_DISABLE_TELEMETRY: 'true', SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' },
});
process.exit(res.status ?? 1);
