/**
 * NUTs: `sf anzenna setup` and `verify` through the real sf (the pinned CLI in test/sf-cli, with this plugin
 * linked), driven by @salesforce/cli-plugins-testkit (TestSession, execCmd) inside an SFDX project that
 * holds this repository's force-app and a plugins.anzenna block. Where they run: session.ts.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { execCmd } from '@salesforce/cli-plugins-testkit';
import type { EmulatorHandle } from '../../emulator/src/index.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import type { VerifyResult } from '../../plugin/src/verify/types.js';
import { eventLogChecks, expectEventLogCheck, projectCopy, realOrg, startNutSession, type NutSession } from './session.js';

const scratchAlias = 'anzenna-nut';
const appName = 'AnzennaNut';

describe(`NUTs: setup and verify through sf (${realOrg ? 'real org' : 'offline emulator'})`, () => {
  let nut: NutSession | undefined;
  let emu: EmulatorHandle | undefined;
  let target = '';

  before(async () => {
    nut = await startNutSession({ sourceDir: projectCopy('nut', appName), name: 'nut', scratchAlias, offlineAlias: 'nut-admin' });
    ({ target, emu } = nut);
  });

  after(async () => nut?.end());

  it('setup --dry-run validates and changes nothing', async () => {
    const res = await execCmd<SetupResult>(`anzenna setup --target-org ${target} --dry-run --json`, { async: true, ensureExitCode: 0 });
    const result = res.jsonOutput?.result;
    assert.equal(result?.dryRun, true);
    assert.equal(result?.appName, appName, 'the app name comes from plugins.anzenna in sfdx-project.json');
    assert.equal(result?.checks.find((c) => c.id === 'jwt.login')?.status, 'skip');
    if (emu) assert.equal(emu.state.userByUsername(result?.username ?? ''), undefined, 'no integration user yet');
  });

  it('setup deploys the project copy, proves the JWT login and reads the event logs', async () => {
    const res = await execCmd<SetupResult>(`anzenna setup --target-org ${target} --json`, { async: true, ensureExitCode: 0 });
    const result = res.jsonOutput?.result;
    assert.equal(result?.metadataSource, 'project');
    assert.equal(result?.checks.find((c) => c.id === 'jwt.login')?.status, 'pass');
    for (const c of result?.checks.filter((x) => eventLogChecks.has(x.id)) ?? []) expectEventLogCheck(c.status, c.id);
    assert.doesNotMatch(JSON.stringify(res.jsonOutput), /PRIVATE KEY/);
    if (emu) assert.ok(emu.state.userByUsername(result?.username ?? ''), 'the integration user exists in the org');
  });

  it('verify passes every check right after setup (event logs may still be on their way in a new org)', async () => {
    const res = await execCmd<VerifyResult>(`anzenna verify --target-org ${target} --json`, { async: true });
    const result = res.jsonOutput?.result;
    assert.ok(result, res.shellOutput.stderr);
    const failed = result.checks.filter((c) => c.status === 'fail');
    assert.deepEqual(failed.map((c) => `${c.id}: ${c.message}`), []);
    assert.equal(result.checks.find((c) => c.id === 'live.jwt')?.status, 'pass');
    for (const c of result.checks.filter((x) => eventLogChecks.has(x.id))) expectEventLogCheck(c.status, c.id);
  });

  it('setup run again changes nothing', async () => {
    const res = await execCmd<SetupResult>(`anzenna setup --target-org ${target} --json`, { async: true, ensureExitCode: 0 });
    assert.equal(res.jsonOutput?.result?.changed, false);
  });
});
