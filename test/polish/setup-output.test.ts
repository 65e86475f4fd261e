/**
 * What setup prints, against the emulated org: the dry run shows the whole plan (the same lines the
 * production prompt shows) and marks nothing done that is not; its JSON hands over no value that does not
 * exist yet; without a terminal the progress lines do not repeat themselves; the wording reads right.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { pluginRunJs, sealedEnv } from '../helpers/cli.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import { formatPlan } from '../../plugin/src/plan/plan.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';

describe('setup --dry-run on a fresh org', () => {
  let o: EmulatedOrg;
  before(async () => {
    o = await emulatedOrg({ edition: 'Developer' });
  });
  after(async () => o.close());

  it('prints the full plan (key pair, both deploys, user steps) once, with no "would" and no ✔ on the user to be created', async () => {
    const json = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--dry-run', '--json']);
    assert.equal(json.code, 0, json.stdout + json.stderr);
    const plan = json.json?.result?.plan ?? [];
    assert.deepEqual(
      plan.map((a) => a.kind),
      ['write-key-pair', 'deploy', 'deploy', 'create-user', 'assign-licence', 'assign-permission-set']
    );
    const human = await o.run(['anzenna', 'setup', '-o', 'emu', '--dry-run']);
    assert.equal(human.code, 0, human.stderr);
    // The production prompt prints formatPlan(plan) too: the dry run shows exactly those lines.
    const lines = formatPlan(plan);
    const printed = human.stdout.split('\n').map((l) => l.trim());
    for (const line of lines) assert.ok(printed.includes(line.trim()), `the dry run prints "${line.trim()}"`);
    assert.ok(lines.some((l) => l.includes('profile: Anzenna Integration')), 'a new user shows the profile it gets');
    assert.doesNotMatch(human.stdout, /\bwould\b.*\bwould\b/i);
    assert.doesNotMatch(human.stdout, /✔[^\n]*anzenna-integration@anzenna-emu\.example: profile/, 'the user does not exist yet');
    assert.match(human.stdout, /- Dry run: anzenna-integration@anzenna-emu\.example is not set up yet/);
    assert.match(human.stdout, /✔ A new RSA 2048 key pair and certificate can be generated \(dry run: none was written/);
    assert.doesNotMatch(human.stdout, /valid until/, 'no expiry date of a certificate that is thrown away');
    assert.deepEqual(json.json?.result?.changes, [], 'a dry run changed nothing; result.plan says what it would do');
    assert.equal(json.json?.result?.checks.find((c) => c.id === 'integrationUser')?.status, 'skip');
  });

  it('--json returns no consumer key, key path or certificate that does not exist yet, and says so', async () => {
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--dry-run', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result;
    assert.ok(r);
    assert.equal(r.dryRun, true);
    assert.equal(r.consumerKey, null);
    assert.equal(r.vendor.anzenna?.consumerKey, null);
    assert.equal(r.vendor.elastic?.clientId, null);
    assert.equal(r.vendor.elastic?.configSnippet, null, 'no snippet with a key that does not exist yet');
    assert.equal(r.privateKeyPath, null);
    assert.equal(r.certificatePath, null);
    assert.equal(r.certificateSha256, null);
    assert.equal(r.vendor.elastic?.clientKeyPath, null);
    assert.match(r.dryRunNote ?? '', /null \(consumerKey, privateKeyPath, certificatePath, certificateSha256, certificateExpiresAt\)/);
    // What is real stays: the org and the URLs.
    assert.equal(r.instanceUrl, o.emu.url);
    assert.equal(r.vendor.anzenna?.salesforceUrl, o.emu.url);
  });
});

describe('setup --api-version', () => {
  it('sends its requests with the API version given', async () => {
    const o = await emulatedOrg({ edition: 'Developer' });
    try {
      const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--dry-run', '--api-version', '61.0', '--json']);
      assert.equal(res.code, 0, res.stdout + res.stderr);
      const data = o.emu.requestLog.filter((r) => r.path.startsWith('/services/data/v'));
      assert.ok(data.length > 0);
      assert.deepEqual([...new Set(data.map((r) => /^\/services\/data\/(v[\d.]+)/.exec(r.path)?.[1]))], ['v61.0']);
    } finally {
      await o.close();
    }
  });
});

describe('setup without a terminal, and again after it ran', () => {
  let o: EmulatedOrg;
  before(async () => {
    // Deploys that take 2 s, so their status is polled (and printed) while they run.
    o = await emulatedOrg({ edition: 'Developer', deployMs: 2000 });
  });
  after(async () => o.close());

  it('prints each progress step without repeating its title', async () => {
    const res = await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const out = res.stdout + res.stderr;
    assert.match(out, /Deploying the External Client App\.\.\. InProgress/, 'the status is printed while the deploy runs');
    for (const m of out.matchAll(/(?:Deploying|Validating) the ([^.\n]+)\.\.\. ([^\n]*)/g)) {
      assert.ok(!m[2].includes(m[1]), `"${m[0]}" names what it deploys once`);
    }
    assert.match(res.stdout, /create user: anzenna-integration@anzenna-emu\.example: profile: Anzenna Integration; email: admin@anzenna-emu\.example/, 'a new user\'s fields show what they became');
  });

  it('a dry run after setup hands over the real consumer key and the pair on disk', async () => {
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--dry-run', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result;
    const global = [...(o.emu.state.metadata.get('ExtlClntAppGlobalOauthSettings')?.values() ?? [])][0];
    assert.equal(r?.consumerKey, global?.data.consumerKey, 'the app exists: its key is real');
    assert.equal(r?.vendor.anzenna?.consumerKey, r?.consumerKey);
    assert.equal(r?.keyMode, 'reused');
    assert.match(r?.privateKeyPath ?? '', /anzenna-jwt\/anzenna\.key$/);
    assert.match(r?.dryRunNote ?? '', /\(none\)/);
  });

  it('says the External Client App "already matches" (and the profile and permission sets "already match")', async () => {
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const checks = res.json?.result?.checks ?? [];
    assert.equal(checks.find((c) => c.id === 'deploy.stage2')?.message, 'The External Client App already matches the source.');
    assert.equal(checks.find((c) => c.id === 'deploy.stage1')?.message, 'The integration profile and permission sets already match the source.');
  });
});

describe('the production prompt', () => {
  let o: EmulatedOrg;
  before(async () => {
    o = await emulatedOrg({ edition: 'Developer' });
  });
  after(async () => o.close());

  // A terminal for the prompt: util-linux `script` runs setup in a pseudo-terminal and types "n".
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it('shows the same plan as the dry run', { skip: hasScript ? false : 'no util-linux script to give setup a terminal' }, async () => {
    const dry = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    const command = `stty cols 500; exec '${process.execPath}' '${pluginRunJs}' anzenna setup -o emu`;
    // A person at a terminal: CI (set when this suite itself runs in CI) would make setup refuse to ask.
    const env = sealedEnv(o.home);
    delete env.CI;
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: o.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stdin.end('n\n');
    await new Promise((resolve) => child.on('close', resolve));
    // eslint-disable-next-line no-control-regex
    const text = out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\s+/g, ' ');
    assert.match(text, /is a production org\. Setup will:/, text);
    assert.match(text, /SetupNotConfirmedError/);
    for (const line of formatPlan(dry.json?.result?.plan ?? [])) assert.ok(text.includes(line.trim().replace(/\s+/g, ' ')), `the prompt shows "${line.trim()}"`);
    assert.equal(o.emu.state.userByUsername('anzenna-integration@anzenna-emu.example'), undefined, 'nothing was done');
  });
});
