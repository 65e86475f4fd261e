/**
 * What every NUT file shares: where it runs and the testkit session around it.
 *
 * Where they run (npm run test:nuts):
 * - no TESTKIT_* variable: offline, against the emulator on 127.0.0.1 (every CI run);
 * - TESTKIT_HUB_USERNAME (+ TESTKIT_JWT_KEY/TESTKIT_JWT_CLIENT_ID, or TESTKIT_AUTH_URL): a fresh scratch org
 *   from the project's config/project-scratch-def.json, deleted afterwards. A Dev Hub logged in through an
 *   External Client App needs SF_SCRATCH_SIGNUP_CONNECTED_APP=PlatformCLI to create it;
 * - TESTKIT_ORG_USERNAME (with TESTKIT_AUTH_URL of that org, or TESTKIT_HOMEDIR where it is logged in): that
 *   persistent org, e.g. a sandbox (the fallback when scratch orgs cannot be had).
 * A new org can have no event log files for up to three days: against a real org the event-log checks may
 * warn or skip; against the emulator (which has log files) they must pass.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execCmd, TestSession } from '@salesforce/cli-plugins-testkit';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import { repoRoot, tempDir } from '../helpers/cli.js';
import { sfInstalled } from '../helpers/sf-cli.js';

const env = process.env;
// Empty values count as unset: a CI secret that is not configured arrives as an empty variable.
export const realOrg = ['TESTKIT_HUB_USERNAME', 'TESTKIT_ORG_USERNAME', 'TESTKIT_AUTH_URL', 'TESTKIT_JWT_KEY'].some((name) => Boolean(env[name]));
const sfBinDir = join(repoRoot, 'test', 'sf-cli', 'node_modules', '.bin');

/** Checks that depend on event log files, which a new org may not have for up to three days. */
export const eventLogChecks = new Set(['eventLogs.download', 'live.eventLogs', 'live.logFile']);

export function expectEventLogCheck(status: string | undefined, id: string): void {
  const allowed = realOrg ? ['pass', 'warn', 'skip'] : ['pass'];
  assert.ok(allowed.includes(status ?? ''), `${id} is ${status}; allowed here: ${allowed.join(', ')}`);
}

/** An SFDX project like a release engineer's: this repository's force-app, a scratch definition, plugins.anzenna. */
export function projectCopy(name: string, appName: string): string {
  const dir = join(tempDir(`${name}-src`), `anzenna-${name}-project`);
  mkdirSync(dir, { recursive: true });
  cpSync(join(repoRoot, 'force-app'), join(dir, 'force-app'), { recursive: true });
  cpSync(join(repoRoot, 'config'), join(dir, 'config'), { recursive: true });
  const project = JSON.parse(readFileSync(join(repoRoot, 'sfdx-project.json'), 'utf8')) as Record<string, unknown>;
  project.plugins = { anzenna: { appName, contactEmail: 'secops@example.com', wait: 15 } };
  writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify(project, null, 2));
  return dir;
}

export type NutSession = { target: string; emu?: EmulatorHandle; end(): Promise<void> };

/**
 * A testkit session in a copy of the project at `sourceDir`, with this plugin linked into the pinned sf, and
 * the org to run against: the emulator (logged in as `offlineAlias`), a scratch org `scratchAlias`, or the
 * persistent TESTKIT_ORG_USERNAME. `end()` deletes the scratch org, stops the emulator, removes the folders.
 */
export async function startNutSession(options: { sourceDir: string; name: string; scratchAlias: string; offlineAlias: string }): Promise<NutSession> {
  assert.ok(sfInstalled(), 'the pinned sf CLI is installed (npm run sf-cli)');
  // testkit runs `sf` by name for org creation and TESTKIT_EXECUTABLE_PATH for execCmd: the pinned sf on Node 22.
  env.PATH = [dirname(process.execPath), sfBinDir, env.PATH].join(':');
  env.TESTKIT_EXECUTABLE_PATH ??= join(sfBinDir, 'sf');
  env.SF_DISABLE_AUTOUPDATE = 'true';
  const scratch = realOrg && !env.TESTKIT_ORG_USERNAME;
  const session = await TestSession.create({
    sessionDir: tempDir(`${options.name}-session`),
    project: { sourceDir: options.sourceDir },
    devhubAuthStrategy: realOrg ? 'AUTO' : 'NONE',
    scratchOrgs: scratch ? [{ config: 'config/project-scratch-def.json', alias: options.scratchAlias, duration: 1, wait: 20 }] : [],
  });
  await execCmd(`plugins link ${join(repoRoot, 'plugin')} --no-install`, { async: true, ensureExitCode: 0 });
  let emu: EmulatorHandle | undefined;
  if (!realOrg) {
    emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
    await emu.writeAdminAuth(session.homeDir, options.offlineAlias);
  }
  const target = realOrg ? env.TESTKIT_ORG_USERNAME || options.scratchAlias : options.offlineAlias;
  const end = async (): Promise<void> => {
    await session.clean(); // deletes the scratch org it created
    await emu?.close();
    // testkit keeps a session folder it was given: remove it (and the project copy beside it).
    for (const dir of [session.dir, dirname(options.sourceDir)]) rmSync(dir, { recursive: true, force: true });
  };
  return { target, emu, end };
}
