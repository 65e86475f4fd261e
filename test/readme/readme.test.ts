/**
 * The README's own commands, as written: every `npm run <script>` it names exists, the emulator recipe
 * (marked `<!-- readme-test: emulator-recipe -->`) works end to end in two processes as in two shells, the
 * demo's JSON form is pure JSON, and the monthly-maintenance recipe passes `--strict` after the README's
 * own setup example. The only change made to a command is the folder: `/tmp/anzenna-emu` becomes a folder
 * of the test's own.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSelfSignedCertificate } from '../../plugin/src/cert/index.js';
import { assertionClaims, signAssertion } from '../../plugin/src/auth/jwt-assertion.js';
import { generateKeyPairSync } from 'node:crypto';
import { repoRoot, runCli, sealedEnv, tempDir } from '../helpers/cli.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The shell lines of the code blocks marked `<!-- readme-test: <name> -->`, comments and blank lines dropped. */
function markedLines(name: string): string[] {
  const blocks = [...readme.matchAll(new RegExp(`<!-- readme-test: ${name} -->\\s*\`\`\`bash\\n([\\s\\S]*?)\`\`\``, 'g'))];
  assert.ok(blocks.length > 0, `README has a block marked readme-test: ${name}`);
  return blocks.flatMap((b) => b[1].split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#'));
}

/** The machine's PATH without the project's node_modules/.bin, so only `npm run` can put Node 22 first. */
function freshShellEnv(): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.includes(`node_modules${'/'}.bin`)).join(delimiter);
  const hasNpm = spawnSync('sh', ['-c', 'command -v npm'], { env: { PATH: path } }).status === 0;
  const env = sealedEnv(process.env.HOME ?? tmpdir(), { PATH: hasNpm ? path : process.env.PATH, npm_config_update_notifier: 'false', npm_config_fund: 'false' });
  for (const name of Object.keys(env)) if (name.startsWith('npm_') && name !== 'npm_config_update_notifier' && name !== 'npm_config_fund') delete env[name];
  return env;
}

/** A shell running one README line, in a process group of its own so that stopping it stops npm and node too. */
function sh(line: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn('sh', ['-c', line], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function stopGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function finish(child: ChildProcess): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}

const stops: Array<() => void> = [];
const orgs: EmulatedOrg[] = [];
after(async () => {
  for (const stop of stops) stop();
  await Promise.all(orgs.map((o) => o.close()));
});

describe('the README, as written', () => {
  it('names only npm scripts that exist', () => {
    const named = new Set([...readme.matchAll(/npm run (?:--silent )?([a-z][\w:-]*)/g)].map((m) => m[1]));
    assert.ok(named.size >= 6, `found ${[...named].join(', ')}`);
    for (const name of named) assert.ok(scripts[name], `README names "npm run ${name}", which package.json does not define`);
  });

  it('the emulator recipe works in two shells: emulator in one, setup and verify in the other', async () => {
    const folder = tempDir('readme-emu');
    const lines = markedLines('emulator-recipe').map((l) => l.replaceAll('/tmp/anzenna-emu', folder));
    assert.match(lines[0], /^npm run emulator -- /);
    const env = freshShellEnv();
    const emulator = sh(lines[0], env);
    stops.push(() => stopGroup(emulator));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      emulator.stdout?.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(out)) resolve();
      });
      emulator.on('close', (code) => reject(new Error(`the emulator ended (${code}): ${out}`)));
    });
    for (const line of lines.slice(1)) {
      const res = await finish(sh(line, env));
      assert.equal(res.code, 0, `${line}\n${res.stdout}\n${res.stderr}`);
      assert.doesNotMatch(res.stdout + res.stderr, /reading 'bind'|ConfirmationRequiredError|is not a sf command/);
    }
    assert.ok(existsSync(join(folder, 'jwt', 'anzenna.key')), 'the key pair went where the recipe says');
    stopGroup(emulator);
  });

  it('npm run --silent demo -- --json prints pure JSON, and the demo leaves nothing behind', async () => {
    const line = markedLines('commands').find((l) => l.startsWith('npm run --silent demo -- --json'));
    assert.ok(line, 'the README shows the --silent JSON form');
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('anzenna-demo-'));
    // The test run has built the plugin once; rebuilding here would race the tests running beside this one.
    const env = { ...freshShellEnv(), SF_ANZENNA_DEMO_NO_BUILD: '1' };
    const res = await finish(sh('npm run --silent demo -- --json', env));
    assert.equal(res.code, 0, res.stderr);
    const body = JSON.parse(res.stdout) as { status: number; result: { consumerKey: string } };
    assert.equal(body.status, 0);
    assert.match(body.result.consumerKey, /^\S{20,}$/);
    const left = readdirSync(tmpdir()).filter((n) => n.startsWith('anzenna-demo-') && !before.includes(n));
    assert.deepEqual(left, [], 'the demo removed its working folder');

    const kept = await finish(sh('npm run --silent demo -- --dry-run --keep', env));
    assert.equal(kept.code, 0, kept.stderr);
    const where = /Kept the working folder \(private key, sf home\): (\S+)/.exec(kept.stderr)?.[1];
    assert.ok(where && existsSync(join(where, 'home')), `--keep says where: ${kept.stderr}`);
    rmSync(where, { recursive: true, force: true });
  });

  it('the monthly recipe passes --strict after the README’s own setup example (-e secops@acme.com)', async () => {
    const setupLine = /^sf anzenna setup --target-org my-sandbox --certificate-file \.\/cert\.pem .*$/m.exec(readme)?.[0];
    const verifyLine = /- run: (sf anzenna verify .*--strict.*)$/m.exec(readme)?.[1];
    assert.ok(setupLine && verifyLine, 'README has the Anzenna setup example and the verify step');
    assert.match(setupLine, /--integration-user-email secops@acme\.com/);
    const org = await emulatedOrg({ edition: 'Sandbox' });
    orgs.push(org);
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(org.cwd, 'cert.pem'), createSelfSignedCertificate({ ...pair, subject: { commonName: 'vendor' }, validityDays: 365 }));
    const args = (line: string): string[] =>
      line.replace(/\s*>.*$/, '').split(/\s+/).slice(1).map((a) => a.replace(/^(my-sandbox|prod)$/, 'emu'));
    const setup = await org.run<{ consumerKey: string }>([...args(setupLine), '--json']);
    assert.equal(setup.code, 0, setup.stdout + setup.stderr);
    const consumerKey = setup.json?.result?.consumerKey ?? '';
    // --strict wants the profile's login IP ranges set (user.loginIpRanges): the vendor's address here is 127.0.0.1.
    org.emu.scenario.setProfileLoginIpRanges('Anzenna Integration', [{ start: '127.0.0.1', end: '127.0.0.1' }]);
    // The vendor connects with its key, as Anzenna does once the consumer key is pasted in.
    const assertion = signAssertion(assertionClaims(consumerKey, 'anzenna-integration@anzenna-emu.example', org.emu.url), pair.privateKey);
    const token = await fetch(`${org.emu.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    });
    assert.equal(token.status, 200, await token.clone().text());
    const verify = await runCli<{ checks: Array<{ id: string; status: string; message: string }> }>(
      args(verifyLine).map((a) => (a === '"$VENDOR_CONSUMER_KEY"' ? consumerKey : a)),
      { home: org.home, cwd: org.cwd }
    );
    const notPassing = (verify.json?.result?.checks ?? []).filter((c) => c.status === 'warn' || c.status === 'fail');
    assert.equal(verify.code, 0, JSON.stringify(notPassing.length ? notPassing : verify.json, null, 1));
  });
});

// Keep the run's temp folder tidy even when a test above fails midway.
after(() => {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('anzenna-readme-emu-'))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
});
