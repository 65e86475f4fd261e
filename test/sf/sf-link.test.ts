import { strict as assert } from 'node:assert';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import { homeWithLinkedPlugin, runSf, sfInstalled } from '../helpers/sf-cli.js';
import type { CertGenerateResult } from '../../plugin/src/commands/anzenna/cert/generate.js';

describe('the plugin inside the real sf binary (sf plugins link)', () => {
  let home = '';
  let emu: EmulatorHandle | undefined;
  before(async () => {
    assert.ok(sfInstalled(), 'the pinned sf CLI is installed (npm run sf-cli)');
    home = await homeWithLinkedPlugin();
  });
  after(async () => emu?.close());

  it('lists the anzenna commands', async () => {
    const res = await runSf(['commands', '--json'], home);
    assert.equal(res.code, 0, res.stderr);
    const ids = (JSON.parse(res.stdout) as Array<{ id: string }>).map((c) => c.id);
    assert.ok(ids.includes('anzenna:cert:generate'), `anzenna:cert:generate among ${ids.length} commands`);
  });

  it('runs sf anzenna cert generate --json and writes a 0600 key', async () => {
    const res = await runSf<CertGenerateResult>(['anzenna', 'cert', 'generate', '-d', join(home, 'jwt'), '--json'], home);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.json?.status, 0);
    const keyPath = res.json?.result?.privateKeyPath ?? '';
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    assert.doesNotMatch(res.stdout, /PRIVATE KEY/);
  });

  it('exits non-zero with the named error through sf', async () => {
    const res = await runSf(['anzenna', 'cert', 'generate', '-d', join(home, 'weak'), '--key-size', '1024', '--json'], home);
    assert.equal(res.code, 1);
    assert.equal(res.json?.name, 'KeySizeTooSmallError');
  });

  it('runs sf anzenna setup against the offline org and proves the JWT login', async () => {
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    await emu.writeAdminAuth(home, 'emu');
    const res = await runSf<SetupResult>(['anzenna', 'setup', '--target-org', 'emu', '--json'], home);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const result = res.json?.result;
    assert.equal(result?.checks.find((c) => c.id === 'jwt.login')?.status, 'pass');
    assert.equal(result?.instanceUrl, emu.url);
    assert.ok(emu.state.userByUsername(result?.username ?? ''), 'the integration user exists in the org');
    assert.doesNotMatch(res.stdout + res.stderr, /PRIVATE KEY/);
  });
});
