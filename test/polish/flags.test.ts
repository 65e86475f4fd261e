/**
 * Every command's flags as sf shows them: no short flag that stock sf reads another way, `--api-version`
 * wherever a command talks to an org, and defaults shown as sf shows them (`[default: …]`), never in prose.
 * Read from the built manifest, so commands added later are held to the same rules.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, runCli } from '../helpers/cli.js';

/** -o --target-org, -u its deprecated alias (still read that way by stock commands), -v --target-dev-hub, -a --api-version, -h --help. */
const SF_RESERVED_SHORT_FLAGS: Record<string, string | undefined> = { o: 'target-org', u: undefined, v: 'target-dev-hub', a: 'api-version', h: 'help' };

type ManifestFlag = { name: string; char?: string; default?: unknown; type: string; summary?: string };
const manifest = JSON.parse(readFileSync(join(repoRoot, 'plugin', 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, { flags: Record<string, ManifestFlag> }>;
};
const commands = Object.entries(manifest.commands).filter(([id]) => id.startsWith('anzenna:'));

describe('flags of every anzenna command', () => {
  it('the manifest lists the commands this test is about', () => {
    for (const id of ['anzenna:setup', 'anzenna:verify', 'anzenna:cert:generate']) assert.ok(manifest.commands[id], id);
  });

  for (const [id, { flags }] of commands) {
    it(`${id}: no short flag that stock sf reserves for another meaning`, () => {
      for (const flag of Object.values(flags).filter((f) => f.char)) {
        const char = flag.char ?? '';
        if (char in SF_RESERVED_SHORT_FLAGS) {
          assert.equal(flag.name, SF_RESERVED_SHORT_FLAGS[char], `-${char} of --${flag.name}: stock sf reads -${char} as --${SF_RESERVED_SHORT_FLAGS[char] ?? 'target-org (deprecated -u)'}`);
        }
      }
    });

    it(`${id}: --api-version when it talks to an org, and no default in prose`, () => {
      if (flags['target-org']) assert.ok(flags['api-version'], `${id} has --target-org, so it takes --api-version`);
      for (const flag of Object.values(flags)) assert.doesNotMatch(flag.summary ?? '', /\(default/i, `--${flag.name}: the default belongs in the flag's default`);
    });
  }

  it('setup --help shows the defaults of --wait, --app-name, --ip-relaxation, --output-dir and --contact-email as [default: …]', async () => {
    const res = await runCli(['anzenna', 'setup', '--help']);
    assert.equal(res.code, 0, res.stderr);
    const help = res.stdout.replace(/\s+/g, ' ');
    for (const [flag, value] of [
      ['wait', '10'],
      ['app-name', 'Anzenna'],
      ['ip-relaxation', 'bypass'],
      ['output-dir', './anzenna-jwt'],
      ['contact-email', 'support@anzenna.ai'],
      ['key-size', '2048'],
    ]) {
      assert.match(help, new RegExp(`--${flag}=<[a-z]+> \\[default: ${value.replace(/\./g, '\\.')}\\]`), `--${flag} [default: ${value}]`);
    }
    assert.match(help, /--api-version=<value>/);
  });

  it('verify --help shows the same defaults for the inputs it shares with setup', async () => {
    const res = await runCli(['anzenna', 'verify', '--help']);
    assert.equal(res.code, 0, res.stderr);
    const help = res.stdout.replace(/\s+/g, ' ');
    assert.match(help, /--app-name=<value> \[default: Anzenna\]/);
    assert.match(help, /--ip-relaxation=<option> \[default: bypass\]/);
    assert.doesNotMatch(help, /-u, --integration-user/);
  });
});
