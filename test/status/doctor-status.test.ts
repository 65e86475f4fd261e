/**
 * The `sf doctor` hook reports the vendor's connection (`status.connection`) after verify's checks: warn
 * before the vendor's first login (with what to do), pass after it. Called as plugin-info's doctor calls it.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { repoRoot, sealedEnv } from '../helpers/cli.js';
import { vendorLogin, vendorOrg, type VendorOrg } from './helpers.js';

type HookOutput = { events: Array<{ testName: string; status: string }>; suggestions: string[]; data: Record<string, { status: { state: string } }> };

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

describe('sf doctor: status.connection', () => {
  let v: VendorOrg;
  before(async () => {
    v = await vendorOrg();
    mkdirSync(join(v.o.home, '.sf'), { recursive: true });
    writeFileSync(join(v.o.home, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'emu' }));
  });
  after(() => v?.o.close());

  async function runHook(): Promise<HookOutput & { state?: string }> {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: v.o.cwd, env: sealedEnv(v.o.home), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    assert.equal(code, 0, stderr);
    const out = JSON.parse(stdout) as HookOutput;
    return { ...out, state: out.events.find((e) => e.testName.startsWith('[@sf-anzenna/plugin-anzenna] status.connection:'))?.status };
  }

  it('warns before the vendor logs in, and passes after', async () => {
    const first = await runHook();
    assert.equal(first.state, 'warn');
    assert.equal(first.data['@sf-anzenna/plugin-anzenna'].status.state, 'never');
    assert.ok(first.suggestions.some((s) => /status\.connection: .*status --wait/.test(s)), first.suggestions.join('\n'));
    assert.equal((await vendorLogin(v)).status, 200);
    const second = await runHook();
    assert.equal(second.state, 'pass');
    assert.equal(second.data['@sf-anzenna/plugin-anzenna'].status.state, 'connected');
  });
});
