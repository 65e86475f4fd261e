import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import type { EditionName } from '../../emulator/src/index.js';

const INTEGRATION_USER = 'anzenna-integration@anzenna-emu.example';

function deploys(org: EmulatedOrg): number {
  return org.emu.requestLog.filter((r) => r.operation === 'deploy').length;
}

function noKeyText(...texts: string[]): void {
  for (const text of texts) assert.doesNotMatch(text, /PRIVATE KEY/, 'no private key text in any output');
}

/** Every file under a directory (the sf log files and auth files in HOME). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function check(result: SetupResult | undefined, id: string): string | undefined {
  return result?.checks.find((c) => c.id === id)?.status;
}

const orgs: EmulatedOrg[] = [];
async function org(edition: EditionName, extra: Parameters<typeof emulatedOrg>[0] = {}): Promise<EmulatedOrg> {
  const o = await emulatedOrg({ edition, ...extra });
  orgs.push(o);
  return o;
}
after(async () => Promise.all(orgs.map((o) => o.close())));

describe('sf anzenna setup against a fresh org', () => {
  for (const edition of ['Developer', 'EnterpriseEventMonitoring', 'Unlimited'] as const) {
    it(`sets up a ${edition} org end to end and proves the JWT login`, async () => {
      const o = await org(edition);
      const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
      assert.equal(res.code, 0, res.stdout + res.stderr);
      const r = res.json?.result;
      assert.ok(r);
      assert.equal(r.username, INTEGRATION_USER);
      assert.equal(r.instanceUrl, o.emu.url);
      assert.equal(r.tokenUrl, `${o.emu.url}/services/oauth2/token`);
      assert.equal(r.audience, o.emu.url);
      assert.equal(r.appName, 'Anzenna');
      assert.equal(r.keyMode, 'generated');
      assert.equal(r.changed, true);
      assert.equal(check(r, 'jwt.login'), 'pass');
      assert.equal(check(r, 'eventLogs.download'), 'pass');
      // The key the org holds is the one handed over.
      const global = [...(o.emu.state.metadata.get('ExtlClntAppGlobalOauthSettings')?.values() ?? [])][0];
      assert.equal(global?.data.consumerKey, r.consumerKey);
      assert.deepEqual(r.vendor.anzenna, { consumerKey: r.consumerKey, salesforceUrl: o.emu.url, adminEmail: r.adminEmail });
      assert.equal(r.vendor.elastic?.clientKeyPath, r.privateKeyPath);
      // The user has the licence, profile and permission set.
      const user = o.emu.state.userByUsername(INTEGRATION_USER);
      assert.ok(user, 'integration user created');
      assert.equal(o.emu.state.profileById(String(user.ProfileId))?.Name, 'Anzenna Integration');
      // Key file: 0600, never printed, never in the sf log files or anything else under HOME.
      assert.equal(statSync(r.privateKeyPath ?? '').mode & 0o777, 0o600);
      noKeyText(res.stdout, res.stderr);
      const homeFiles = filesUnder(o.home);
      assert.ok(homeFiles.some((f) => /\.sf\/sf-.*\.log$/.test(f)), `the sf log file was written (${homeFiles.join(', ')})`);
      noKeyText(...homeFiles.map((f) => readFileSync(f, 'utf8')));
    });
  }

  it('succeeds on Enterprise without the add-on and says only the free event types exist', async () => {
    const o = await org('Enterprise');
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result;
    const note = r?.checks.find((c) => c.id === 'eventLogs.note');
    assert.equal(note?.status, 'warn');
    assert.match(note?.message ?? '', /Only the free event types/);
    assert.equal(r?.eventLogs?.types.find((t) => t.eventType === 'Report')?.files, 0);
  });

  it('turns on Event Manager storage with --real-time-events where the add-on allows it, and only warns where not', async () => {
    const withAddOn = await org('EnterpriseEventMonitoring');
    const ok = await withAddOn.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--real-time-events', '--json']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(check(ok.json?.result, 'deploy.real-time-events'), 'pass');
    assert.match(JSON.stringify(withAddOn.emu.state.settings.RealTimeEvent), /ReportEvent/);

    const without = await org('Enterprise');
    const warned = await without.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--real-time-events', '--json']);
    assert.equal(warned.code, 0, warned.stdout + warned.stderr);
    const rt = warned.json?.result?.checks.find((c) => c.id === 'deploy.real-time-events');
    assert.equal(rt?.status, 'warn');
    assert.match(rt?.message ?? '', /could not be switched on/);
    assert.equal(check(warned.json?.result, 'jwt.login'), 'pass', 'the rest of the setup is unaffected');
  });

  it('refuses Professional Edition before deploying anything', async () => {
    const o = await org('Professional');
    const res = await o.run(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(res.code, 1);
    assert.equal(res.json?.name, 'EditionWithoutEventMonitoringError');
    assert.ok((res.json?.actions?.length ?? 0) > 0);
    assert.equal(deploys(o), 0, 'no deploy reached the org');
    const writes = o.emu.requestLog.filter((r) => ['deploy', 'create', 'update', 'delete'].includes(r.operation ?? ''));
    assert.deepEqual(writes, [], 'no write of any kind (reads such as listMetadata are POSTs too)');
  });

  it('sets up a sandbox', async () => {
    const o = await org('Sandbox');
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.equal(res.json?.result?.isSandbox, true);
    assert.equal(check(res.json?.result, 'jwt.login'), 'pass');
  });
});

describe('sf anzenna setup run again', () => {
  it('changes nothing on a second run and says so', async () => {
    const o = await org('Developer');
    const first = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const deploysAfterFirst = deploys(o);
    const writesAfterFirst = o.emu.requestLog.filter((r) => r.method === 'POST' && r.path.includes('/sobjects/')).length;
    const second = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--verify', '--json']);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    const r = second.json?.result;
    assert.equal(r?.changed, false);
    assert.deepEqual(r?.changes, []);
    assert.equal(r?.keyMode, 'reused');
    assert.equal(r?.consumerKey, first.json?.result?.consumerKey, 'the vendor keeps the same consumer key');
    assert.equal(deploys(o), deploysAfterFirst, 'no deploy on the second run');
    assert.equal(o.emu.requestLog.filter((r2) => r2.method === 'POST' && r2.path.includes('/sobjects/')).length, writesAfterFirst);
    assert.equal(check(r, 'jwt.login'), 'pass', 'but everything is checked again');
    assert.equal(r?.verification?.ok, true, JSON.stringify(r?.verification?.checks.filter((c) => c.status !== 'pass')));
    assert.equal(r?.verification?.summary.fail, 0);
    assert.ok((r?.verification?.checks.length ?? 0) > 20, 'every verify check ran');
    assert.equal(deploys(o), deploysAfterFirst, 'verify deployed nothing either');

    const human = await o.run(['anzenna', 'setup', '-o', 'emu']);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /No changes: the org already matched/);
  });

  it('leaves the org exactly as it was with --dry-run, and writes no key', async () => {
    const o = await org('Developer');
    const before = o.snapshot();
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--dry-run', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.equal(o.snapshot(), before);
    assert.deepEqual(res.json?.result?.changes, [], 'nothing was changed');
    assert.ok((res.json?.result?.plan ?? []).some((a) => a.kind === 'create-user'), 'the plan says what would be');
    assert.throws(() => readdirSync(join(o.cwd, 'anzenna-jwt')), /ENOENT/);
    assert.ok(deploys(o) >= 1, 'the metadata was validated with a check-only deploy');
  });
});

describe('sf anzenna setup with a vendor certificate', () => {
  it('deploys the vendor certificate, skips the live login and checks event logs as the admin', async () => {
    const o = await org('Developer');
    const keys = await o.run<{ certificatePath: string; privateKeyPath: string }>(['anzenna', 'cert', 'generate', '-d', join(o.cwd, 'vendor'), '--json']);
    assert.equal(keys.code, 0);
    const certPath = keys.json?.result?.certificatePath ?? '';
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--certificate-file', certPath, '--integration-user-email', 'secops@acme.example', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result;
    assert.equal(r?.keyMode, 'vendor');
    assert.equal(r?.privateKeyPath, undefined);
    assert.equal(check(r, 'jwt.login'), 'skip');
    assert.equal(check(r, 'eventLogs.query'), 'pass');
    assert.equal(r?.adminEmail, 'secops@acme.example');
    const global = [...(o.emu.state.metadata.get('ExtlClntAppGlobalOauthSettings')?.values() ?? [])][0];
    assert.equal(String(global?.data.certificate).replace(/\s+/g, ''), readFileSync(certPath, 'utf8').replace(/\s+/g, ''));
  });
});
