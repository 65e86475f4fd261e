/**
 * `sf anzenna status` end to end against the emulator: never → connected after the vendor's login → failing
 * after a failed one; `--wait` ends when the login appears; the command changes nothing in the org.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { pluginRunJs, sealedEnv } from '../helpers/cli.js';
import type { StatusResult } from '../../plugin/src/status/run-status.js';
import { vendorLogin, vendorOrg, type VendorOrg } from './helpers.js';

describe('sf anzenna status', () => {
  let v: VendorOrg;
  before(async () => {
    v = await vendorOrg();
  });
  after(() => v?.o.close());

  const status = async (args: string[] = []): Promise<{ code: number; result: StatusResult }> => {
    const res = await v.o.run<StatusResult>(['anzenna', 'status', '-o', 'emu', '--json', ...args]);
    assert.ok(res.json?.result, `status printed a result (exit ${res.code}): ${res.stdout}${res.stderr}`);
    return { code: res.code, result: res.json.result };
  };

  it('says never (exit 1) before the vendor logs in, and changes nothing', async () => {
    const before = v.o.snapshot();
    const { code, result } = await status();
    assert.equal(code, 1);
    assert.equal(result.connection.state, 'never');
    assert.equal(result.connected, false);
    assert.equal(result.connection.lastLoginAt, undefined);
    assert.equal(result.username, v.username);
    assert.ok(result.certificate.daysLeft !== undefined && result.certificate.daysLeft > 300 && result.certificate.daysLeft <= 365, `days left: ${result.certificate.daysLeft}`);
    assert.equal(result.certificate.warning, undefined);
    assert.ok(result.eventLogs.types.some((t) => t.eventType === 'Login' && t.files > 0 && t.newestLogDate), 'the newest Login file is listed');
    assert.equal(v.o.snapshot(), before, 'status is read-only');
  });

  it('says connected (exit 0) after the vendor logs in, with the time, the address and the token', async () => {
    const login = await vendorLogin(v);
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const { code, result } = await status();
    assert.equal(code, 0);
    assert.equal(result.connection.state, 'connected');
    assert.equal(result.connection.lastLoginIp, '127.0.0.1');
    assert.ok(result.connection.lastLoginAt && Date.parse(result.connection.lastLoginAt) > 0);
    assert.deepEqual(result.connection.recentFailures, []);
    assert.equal(result.tokens.count, 1);
    assert.ok(result.tokens.lastUsedAt);
  });

  it('says failing (exit 1) when the latest attempt failed, with Salesforce\'s status text', async () => {
    const login = await vendorLogin(v, { expired: true });
    assert.equal(login.status, 400);
    const { code, result } = await status();
    assert.equal(code, 1);
    assert.equal(result.connection.state, 'failing');
    assert.equal(result.connection.recentFailures.length, 1);
    assert.match(result.connection.recentFailures[0].status, /Invalid Timestamp/);
    assert.ok(result.connection.lastLoginAt, 'the last successful login is still reported');
  });

  it('--wait polls until the vendor\'s successful login appears, then exits 0', async () => {
    const polls = (): number => v.o.emu.requestLog.filter((r) => r.path.includes('LoginHistory')).length;
    const start = polls();
    const child = spawn(process.execPath, [pluginRunJs, 'anzenna', 'status', '-o', 'emu', '--wait', '5', '--poll-interval', '1', '--json'], {
      cwd: v.o.cwd,
      env: sealedEnv(v.o.home),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    // The login happens only once status has looked at least twice (it is waiting, not finished).
    while (polls() < start + 2) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(child.exitCode, null, 'still waiting while the latest attempt is a failure');
    assert.equal((await vendorLogin(v)).status, 200);
    const code = await exited;
    const result = (JSON.parse(stdout) as { result: StatusResult }).result;
    assert.equal(code, 0, stdout);
    assert.equal(result.connection.state, 'connected');
    assert.ok(result.waitedMinutes !== undefined && result.waitedMinutes < 5);
  });
});
