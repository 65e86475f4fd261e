/**
 * The model end to end: setup inside an SFDX project with `plugins.anzenna` settings and the project's own
 * force-app; the drift scenario through `setup --dry-run`, setup and verify (the same change, the same
 * words in the plan and in app.drift); `result.plan` on real runs; the org refusing readMetadata for a type.
 */
import { strict as assert } from 'node:assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { forceAppDir } from '../metadata/helpers.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import type { VerifyResult } from '../../plugin/src/verify/types.js';

const orgs: EmulatedOrg[] = [];
after(async () => Promise.all(orgs.map((o) => o.close())));

async function org(): Promise<EmulatedOrg> {
  const o = await emulatedOrg({ edition: 'Developer' });
  orgs.push(o);
  return o;
}

const component = (o: EmulatedOrg, type: string, name: string): Record<string, unknown> | undefined =>
  [...(o.emu.state.metadata.get(type)?.values() ?? [])].find((c) => c.fullName === name)?.data;
const drift = (v: VerifyResult | undefined): VerifyResult['checks'][number] | undefined => v?.checks.find((c) => c.id === 'app.drift');

describe('sf anzenna setup inside an SFDX project', () => {
  it('takes its settings from plugins.anzenna and deploys the project\'s own force-app; verify there sees no drift', async () => {
    const o = await org();
    const project = tempDir('project');
    cpSync(forceAppDir, join(project, 'force-app'), { recursive: true });
    const ecaFile = join(project, 'force-app', 'main', 'default', 'externalClientApps', 'Anzenna.eca-meta.xml');
    writeFileSync(ecaFile, readFileSync(ecaFile, 'utf8').replace(/<description>[^<]*<\/description>/, '<description>Reviewed in the Acme repository</description>'));
    const settings = { appName: 'Acme_SIEM', label: 'Acme & Co <SIEM>', contactEmail: 'sec@acme.example', integrationUserEmail: 'ops@acme.example', setupAudit: true, wait: 1 };
    writeFileSync(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0', plugins: { anzenna: settings } }));

    const res = await runCli<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json'], { home: o.home, cwd: project });
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result;
    assert.equal(r?.metadataSource, 'project');
    assert.equal(r?.appName, 'Acme_SIEM');
    assert.equal(r?.adminEmail, 'ops@acme.example');
    const eca = component(o, 'ExternalClientApplication', 'Acme_SIEM');
    assert.equal(eca?.description, 'Reviewed in the Acme repository', 'the project\'s force-app was deployed');
    assert.equal(eca?.label, 'Acme & Co <SIEM>');
    assert.equal(eca?.contactEmail, 'sec@acme.example');
    assert.ok(r?.plan.some((a) => a.kind === 'assign-permission-set' && a.target === 'Acme_SIEM_Setup_Audit'), 'the opt-in from the project');
    assert.ok(r?.privateKeyPath?.endsWith(join('anzenna-jwt', 'acme_siem.key')));

    const v = await runCli<VerifyResult>(['anzenna', 'verify', '-o', 'emu', '--json'], { home: o.home, cwd: project });
    assert.equal(drift(v.json?.result)?.status, 'pass', JSON.stringify(drift(v.json?.result)));
    assert.equal(v.json?.result?.checks.find((c) => c.id === 'live.jwt')?.status, 'pass', 'verify finds the key pair by the same naming rule');
  });
});

describe('the drift scenario: setup --dry-run, setup and verify agree', () => {
  let o: EmulatedOrg;
  before(async () => {
    o = await org();
    const first = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--contact-email', 'someone@else.example', '--json']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.ok((first.json?.result?.plan ?? []).some((a) => a.kind === 'deploy'), 'a real run returns what it did as result.plan');
  });

  it('shows the changed field, from → to, identically in the dry-run plan and in app.drift, then setup puts it back', async () => {
    const line = 'ExternalClientApplication Anzenna: contactEmail: someone@else.example → support@anzenna.ai';
    const dry = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    const plan = dry.json?.result?.plan ?? [];
    assert.deepEqual(plan.map((a) => `${a.kind} ${a.target}`), ['deploy External Client App']);
    assert.deepEqual(plan[0].changes, [{ field: 'ExternalClientApplication Anzenna: contactEmail', from: 'someone@else.example', to: 'support@anzenna.ai' }]);
    assert.equal(component(o, 'ExternalClientApplication', 'Anzenna')?.contactEmail, 'someone@else.example', 'a dry run changes nothing');

    const human = await o.run(['anzenna', 'setup', '-o', 'emu', '--dry-run']);
    assert.ok(human.stdout.includes(`~ deploy the External Client App (the org differs from the source)\n      ${line}`), human.stdout);

    const verify = await o.run<VerifyResult>(['anzenna', 'verify', '-o', 'emu', '--json']);
    assert.deepEqual(drift(verify.json?.result)?.details, [line]);

    const fix = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(fix.code, 0, fix.stdout + fix.stderr);
    assert.deepEqual(fix.json?.result?.plan, plan, 'the run does what the dry run showed');
    assert.equal(component(o, 'ExternalClientApplication', 'Anzenna')?.contactEmail, 'support@anzenna.ai');
    const after = await o.run<VerifyResult>(['anzenna', 'verify', '-o', 'emu', '--json']);
    assert.equal(drift(after.json?.result)?.status, 'pass');
    const again = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.deepEqual(again.json?.result?.plan, [], 'nothing to do: an empty plan');
  });

  it('where the org refuses readMetadata for a type, that type is retrieved instead and the run carries on', async () => {
    o.emu.faults.readRefused.add('ExternalClientApplication');
    try {
      const start = o.emu.requestLog.length;
      const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.deepEqual(res.json?.result?.plan, [], 'the retrieved app still matches');
      const ops = o.emu.requestLog.slice(start).map((r) => r.operation);
      assert.ok(ops.includes('retrieve'), 'fell back to a retrieve');
      assert.ok(ops.includes('readMetadata'), 'the other types were still read directly');
    } finally {
      o.emu.faults.readRefused.clear();
    }
  });
});
