/**
 * The fault matrix: `sf anzenna setup` (the built CLI in a child process, the real jsforce and SDR) against an
 * emulated org that answers one fault at a time. For each: the first run either succeeds (a retry covers the
 * fault) or fails with the named error, its actions and exit code 1; the fault clears; the re-run finishes;
 * verify passes; and no temporary folder of ours is left behind. The backoff is shortened with the test-only
 * SF_ANZENNA_RETRY_BASE_MS, so no run waits seconds between tries (jsforce's own GET retries still take ~0.5 s).
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import type { CliResult } from '../helpers/cli.js';
import { isAlive, OWNER_FILE, STAGING_PREFIX } from '../../plugin/src/local/staging.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import type { VerifyResult } from '../../plugin/src/verify/types.js';

const INTEGRATION_USER = 'anzenna-integration@anzenna-emu.example';
const FAST_RETRIES = { SF_ANZENNA_RETRY_BASE_MS: '5' };

const orgs: EmulatedOrg[] = [];
after(async () => Promise.all(orgs.map((o) => o.close())));

async function org(): Promise<EmulatedOrg> {
  const o = await emulatedOrg({ edition: 'Developer' });
  orgs.push(o);
  return o;
}

const setup = (o: EmulatedOrg): Promise<CliResult<SetupResult>> => o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json'], FAST_RETRIES);

/** Folders of ours (prefix and owner file) whose process has ended: what a run left behind. */
function leftBehind(): string[] {
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith(STAGING_PREFIX))
    .map((name) => join(tmpdir(), name))
    .filter((dir) => {
      const owner = join(dir, OWNER_FILE);
      if (!existsSync(owner)) return false;
      try {
        return !isAlive((JSON.parse(readFileSync(owner, 'utf8')) as { pid: number }).pid);
      } catch {
        return false;
      }
    });
}

/**
 * The fault cleared: a re-run finishes (after a failed first run; after a successful one it would only
 * repeat the proof), verify passes, and nothing of ours is left in the temp folder.
 */
async function finishesAfterwards(o: EmulatedOrg, rerun = true): Promise<void> {
  o.emu.faults.clear();
  if (rerun) {
    const again = await setup(o);
    assert.equal(again.code, 0, again.stdout + again.stderr);
  }
  assert.ok(o.emu.state.userByUsername(INTEGRATION_USER), 'the integration user exists');
  const verify = await o.run<VerifyResult>(['anzenna', 'verify', '-o', 'emu', '--json'], FAST_RETRIES);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.deepEqual(leftBehind(), [], 'no temporary folder of ours remains');
}

function assertNamed(res: CliResult, name: string, actions: RegExp): void {
  assert.equal(res.code, 1, res.stdout + res.stderr);
  assert.equal(res.json?.name, name, res.stdout);
  assert.match(res.json?.actions?.join(' ') ?? '', actions);
  assert.doesNotMatch(res.json?.message ?? '', /^sf:|MetadataTransferError/, 'no raw library error');
}

const served = (o: EmulatedOrg, status: number, operation?: string): number =>
  o.emu.requestLog.filter((r) => r.status === status && (operation === undefined || r.operation === operation)).length;

describe('fault matrix: a retry covers a transient fault', { concurrency: 2 }, () => {
  const covered: Array<[string, (o: EmulatedOrg) => void, (o: EmulatedOrg) => void]> = [
    ['two 429s on queries (jsforce retries GETs)', (o) => o.emu.faults.rateLimitOperation('query', 2), (o) => assert.equal(served(o, 429), 2)],
    [
      'a 429 on the first Metadata API call (a SOAP POST jsforce never retries)',
      (o) => o.emu.faults.rateLimit(1, '/services/Soap/m', { method: 'POST' }),
      (o) => assert.equal(o.emu.requestLog.find((r) => r.path.startsWith('/services/Soap/m'))?.status, 429),
    ],
    ['a 429 on a deploy-status check', (o) => o.emu.faults.rateLimitOperation('checkDeployStatus', 1), (o) => assert.equal(served(o, 429), 1)],
    ['a 500 on a Metadata API read', (o) => o.emu.faults.serverErrorOperation('readMetadata', 1), (o) => assert.equal(served(o, 500), 1)],
    ['a 500 on a deploy poll', (o) => o.emu.faults.serverErrorOperation('checkDeployStatus', 1), (o) => assert.equal(served(o, 500), 1)],
    ['a dropped log file download', (o) => void o.emu.faults.resetDownload(0, 1), (o) => assert.ok(o.emu.requestLog.filter((r) => r.operation === 'logFile').length >= 2, 'downloaded again')],
    [
      "the integration user's session ending right after the JWT login",
      (o) => o.emu.faults.expireSessionsAfter('token'),
      (o) => {
        assert.equal(o.emu.faults.expireAfter.length, 0, 'the sessions ended');
        assert.ok(served(o, 401) >= 1, 'the ended session was refused');
        assert.ok(o.emu.requestLog.filter((r) => r.path === '/services/oauth2/token').length >= 2, 'logged in again');
      },
    ],
  ];
  for (const [what, inject, wasServed] of covered) {
    it(`rides out ${what}`, async () => {
      const o = await org();
      inject(o);
      const res = await setup(o);
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.ok(res.json?.result?.consumerKey, 'the hand-off has a consumer key');
      wasServed(o);
      await finishesAfterwards(o, false);
    });
  }
});

describe('fault matrix: a fault no retry covers is named, and a re-run finishes', { concurrency: 2 }, () => {
  it('names a Metadata API read that keeps failing with 500 (OrgServerError), not sf:UNKNOWN_EXCEPTION', async () => {
    const o = await org();
    o.emu.faults.serverErrorOperation('readMetadata', 1000);
    const res = await setup(o);
    assertNamed(res, 'OrgServerError', /run the same command again/i);
    assert.match(res.json?.message ?? '', /readMetadata/);
    assert.equal(o.emu.requestLog.filter((r) => r.operation === 'deploy').length, 0, 'nothing deployed');
    await finishesAfterwards(o);
  });

  it('names a SOQL query still rate-limited after jsforce has tried it again (ApiRequestLimitError), before any write', async () => {
    const o = await org();
    // Queries are REST GETs: jsforce retries a 429 itself (about 15 s of backoff) and we name what is left.
    o.emu.faults.rateLimitOperation('query', 1000);
    const res = await setup(o);
    assertNamed(res, 'ApiRequestLimitError', /API request/);
    assert.ok(served(o, 429, 'query') >= 2, 'jsforce tried the query again before giving up');
    assert.equal(o.emu.requestLog.filter((r) => r.operation === 'deploy').length, 0, 'nothing deployed');
    await finishesAfterwards(o);
  });

  it('names a Metadata API list still rate-limited after the retries (ApiRequestLimitError)', async () => {
    const o = await org();
    // listMetadata is a SOAP POST: only our retries apply; five 429s outlast four tries.
    o.emu.faults.rateLimitOperation('listMetadata', 5);
    const res = await setup(o);
    assertNamed(res, 'ApiRequestLimitError', /API request/);
    await finishesAfterwards(o);
  });

  it('names a 500 on the second deploy (a write: never retried), and a re-run finishes', async () => {
    const o = await org();
    // Armed once the first deploy has been answered, so it hits the second one.
    o.emu.faults.onceAfter('deploy', () => o.emu.faults.serverErrorOperation('deploy', 1));
    const res = await setup(o);
    assertNamed(res, 'OrgServerError', /run the same command again/i);
    assert.equal(o.emu.requestLog.filter((r) => r.operation === 'deploy' && r.status === 500).length, 1, 'the second deploy was not sent again');
    assert.equal(o.emu.state.userByUsername(INTEGRATION_USER), undefined, 'no user before the app is deployed');
    await finishesAfterwards(o);
  });

  it("names a session that ends again after the integration user's second login (IntegrationSessionEndedError)", async () => {
    const o = await org();
    o.emu.faults.expireSessionsAfter('token');
    o.emu.faults.expireSessionsAfter('token');
    const res = await setup(o);
    assertNamed(res, 'IntegrationSessionEndedError', /Session Settings/);
    await finishesAfterwards(o);
  });
});

describe('two runs at once', () => {
  it('reuses the integration user a run beside this one has just created, instead of calling its username taken', async () => {
    const o = await org();
    // The other run creates the user once this one's second deploy has been answered.
    let made = false;
    o.emu.faults.onceAfter('deploy', () =>
      o.emu.faults.onceAfter('deploy', () => {
        made = true;
        o.emu.scenario.createUser({ username: INTEGRATION_USER, profile: 'Anzenna Integration', lastName: 'Integration' });
      })
    );
    const res = await setup(o);
    assert.ok(made, 'the other run created the user');
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.doesNotMatch(res.stdout, /already exists|IntegrationUsernameTaken/);
    assert.equal(o.emu.requestLog.filter((r) => r.method === 'POST' && /\/sobjects\/User\/?$/.test(r.path) && r.status === 400).length, 1, 'the create met the duplicate');
    await finishesAfterwards(o, false);
  });

  it('hands off the consumer key the org holds at the end, when a run beside this one replaced it during the proof', async () => {
    const o = await org();
    const replaced = 'ANZENNA_KEY_FROM_THE_OTHER_RUN';
    let done = false;
    // The other run deploys its own key while this one reads the event logs (after its JWT login).
    o.emu.faults.onceAfter('logFile', () => {
      done = true;
      for (const g of o.emu.state.components('ExtlClntAppGlobalOauthSettings').values()) g.data.consumerKey = replaced;
    });
    const res = await setup(o);
    assert.ok(done, 'the key was replaced during the proof');
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.equal(res.json?.result?.consumerKey, replaced, 'the hand-off shows the key the org holds now');
    assert.equal(res.json?.result?.checks.find((c) => c.id === 'consumerKey.final')?.status, 'warn');
    assert.ok(JSON.stringify(res.json?.result?.vendor).includes(replaced), 'the vendor blocks carry it too');
  });
});
