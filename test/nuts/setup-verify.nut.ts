/**
 * NUTs: `sf anzenna setup` and `verify` through the real sf (the pinned CLI in test/sf-cli, with this plugin
 * linked), driven by @salesforce/cli-plugins-testkit (TestSession, execCmd) inside an SFDX project that
 * holds this repository's force-app and a plugins.anzenna block.
 *
 * Where they run (npm run test:nuts):
 * - no TESTKIT_* variable: offline, against the emulator on 127.0.0.1 (every CI run);
 * - TESTKIT_HUB_USERNAME (+ TESTKIT_JWT_KEY/TESTKIT_JWT_CLIENT_ID, or TESTKIT_AUTH_URL): a fresh scratch org
 *   from config/project-scratch-def.json, deleted afterwards. A Dev Hub logged in through an External Client
 *   App needs SF_SCRATCH_SIGNUP_CONNECTED_APP=PlatformCLI to create it;
 * - TESTKIT_ORG_USERNAME (with TESTKIT_AUTH_URL of that org, or TESTKIT_HOMEDIR where it is logged in): that
 *   persistent org, e.g. a sandbox (the fallback when scratch orgs cannot be had).
 * A new org can have no event log files for up to three days: against a real org the event-log checks may
 * warn or skip; against the emulator (which has log files) they must pass.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execCmd, TestSession } from '@salesforce/cli-plugins-testkit';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import type { VerifyResult } from '../../plugin/src/verify/types.js';
import { repoRoot, tempDir } from '../helpers/cli.js';
import { sfInstalled } from '../helpers/sf-cli.js';

const env = process.env;
// Empty values count as unset: a CI secret that is not configured arrives as an empty variable.
const realOrg = ['TESTKIT_HUB_USERNAME', 'TESTKIT_ORG_USERNAME', 'TESTKIT_AUTH_URL', 'TESTKIT_JWT_KEY'].some((name) => Boolean(env[name]));
const sfBinDir = join(repoRoot, 'test', 'sf-cli', 'node_modules', '.bin');
/** Checks that depend on event log files, which a new org may not have for up to three days. */
const eventLogChecks = new Set(['eventLogs.download', 'live.eventLogs', 'live.logFile']);
const scratchAlias = 'anzenna-nut';
const appName = 'AnzennaNut';

/** An SFDX project like a release engineer's: force-app, a scratch definition, the plugins.anzenna settings. */
function projectDir(): string {
  const dir = join(tempDir('nut-src'), 'anzenna-nut-project');
  mkdirSync(dir, { recursive: true });
  cpSync(join(repoRoot, 'force-app'), join(dir, 'force-app'), { recursive: true });
  cpSync(join(repoRoot, 'config'), join(dir, 'config'), { recursive: true });
  const project = JSON.parse(readFileSync(join(repoRoot, 'sfdx-project.json'), 'utf8')) as Record<string, unknown>;
  project.plugins = { anzenna: { appName, contactEmail: 'secops@example.com', wait: 15 } };
  writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify(project, null, 2));
  return dir;
}

function expectEventLogCheck(status: string | undefined, id: string): void {
  const allowed = realOrg ? ['pass', 'warn', 'skip'] : ['pass'];
  assert.ok(allowed.includes(status ?? ''), `${id} is ${status}; allowed here: ${allowed.join(', ')}`);
}

describe(`NUTs: setup and verify through sf (${realOrg ? 'real org' : 'offline emulator'})`, () => {
  let session: TestSession | undefined;
  let emu: EmulatorHandle | undefined;
  let target = '';
  let source = '';

  before(async () => {
    assert.ok(sfInstalled(), 'the pinned sf CLI is installed (npm run sf-cli)');
    // testkit runs `sf` by name for org creation and TESTKIT_EXECUTABLE_PATH for execCmd: the pinned sf on Node 22.
    env.PATH = [dirname(process.execPath), sfBinDir, env.PATH].join(':');
    env.TESTKIT_EXECUTABLE_PATH ??= join(sfBinDir, 'sf');
    env.SF_DISABLE_AUTOUPDATE = 'true';
    const scratch = realOrg && !env.TESTKIT_ORG_USERNAME;
    source = projectDir();
    session = await TestSession.create({
      sessionDir: tempDir('nut-session'),
      project: { sourceDir: source },
      devhubAuthStrategy: realOrg ? 'AUTO' : 'NONE',
      scratchOrgs: scratch ? [{ config: 'config/project-scratch-def.json', alias: scratchAlias, duration: 1, wait: 20 }] : [],
    });
    await execCmd(`plugins link ${join(repoRoot, 'plugin')} --no-install`, { async: true, ensureExitCode: 0 });
    if (realOrg) {
      target = env.TESTKIT_ORG_USERNAME || scratchAlias;
    } else {
      emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
      await emu.writeAdminAuth(session.homeDir, 'nut-admin');
      target = 'nut-admin';
    }
  });

  after(async () => {
    await session?.clean(); // deletes the scratch org it created
    await emu?.close();
    // testkit keeps a session folder it was given: remove it (and the project copy in it).
    for (const dir of [session?.dir, source && dirname(source)]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

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
