/**
 * The `sf doctor` hook, called the way plugin-info's doctor calls it (`runHook('sf-doctor-<plugin>',
 * { doctor })`), in a child process with its own HOME: diagnostics arrive as `Doctor:diagnostic` lifecycle
 * events, suggestions and plugin data on the doctor.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { repoRoot, sealedEnv, tempDir } from '../helpers/cli.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';

type HookOutput = {
  events: Array<{ testName: string; status: string }>;
  suggestions: string[];
  data: Record<string, { targetOrg: string; summary: { total: number }; checks: Array<{ id: string; status: string }> }>;
};

const script = `
const core = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'node_modules', '@salesforce', 'core', 'lib', 'index.js')).href)});
const { Lifecycle } = core.Lifecycle ? core : core.default;
const events = [];
Lifecycle.getInstance().on('Doctor:diagnostic', async (d) => { events.push(d); });
const { hook } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'plugin', 'lib', 'hooks', 'diagnostics.js')).href)});
const suggestions = [];
const data = {};
await hook({ doctor: { addSuggestion: (s) => suggestions.push(s), addPluginData: (name, d) => { data[name] = d; } } });
process.stdout.write(JSON.stringify({ events, suggestions, data }));
`;

async function runHook(home: string, cwd: string): Promise<HookOutput> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, env: sealedEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as HookOutput;
}

const orgs: EmulatedOrg[] = [];
after(async () => Promise.all(orgs.map((o) => o.close())));

describe('the sf doctor hook', () => {
  it('verifies the default target org and reports each check as a diagnostic', async () => {
    const o = await emulatedOrg({ edition: 'Developer' });
    orgs.push(o);
    mkdirSync(join(o.home, '.sf'), { recursive: true });
    writeFileSync(join(o.home, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'emu' }));
    const out = await runHook(o.home, o.cwd);
    const status = (id: string): string | undefined => out.events.find((e) => e.testName.startsWith(`[@sf-anzenna/plugin-anzenna] ${id}:`))?.status;
    assert.equal(status('org.edition'), 'pass');
    assert.equal(status('app.exists'), 'fail', 'the org is not set up');
    assert.equal(status('live.jwt'), undefined, 'skipped checks are not reported as diagnostics');
    assert.ok(out.suggestions.some((s) => /^app\.exists: .*sf anzenna setup --target-org emu\b/.test(s)), out.suggestions.join('\n'));
    const data = out.data['@sf-anzenna/plugin-anzenna'];
    assert.equal(data.targetOrg, 'emu');
    assert.equal(data.checks.length, data.summary.total);
    assert.equal(o.emu.requestLog.filter((r) => r.operation === 'deploy' || r.operation === 'create').length, 0, 'read-only');
  });

  it('suggests setting a target org when there is none', async () => {
    const out = await runHook(tempDir('doctor-home'), tempDir('doctor-cwd'));
    assert.deepEqual(out.events.map((e) => e.status), ['warn']);
    assert.match(out.suggestions.join('\n'), /sf config set target-org/);
  });
});
