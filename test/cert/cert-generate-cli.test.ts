import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';

/**
 * Short flags stock sf gives a meaning of its own: -o --target-org, -u the deprecated alias of --target-org
 * (still accepted by many stock commands), -v --target-dev-hub, -a --api-version (project deploy/retrieve),
 * -h --help. A command may use one only for that same flag.
 */
const SF_RESERVED_SHORT_FLAGS: Record<string, string | undefined> = {
  o: 'target-org',
  u: undefined,
  v: 'target-dev-hub',
  a: 'api-version',
  h: 'help',
};

type ManifestFlag = { name: string; char?: string; default?: unknown; type: string };
function manifestFlags(id: string): ManifestFlag[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'plugin', 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, { flags: Record<string, ManifestFlag> }>;
  };
  return Object.values(manifest.commands[id].flags);
}

describe('sf anzenna cert generate: what it prints and its flags', () => {
  for (const [what, args, name] of [
    ['a key size below 2048', ['--key-size', '1024'], 'KeySizeTooSmallError'],
    ['existing files', [], 'KeyFilesExistError'],
  ] as const) {
    it(`refuses ${what} with ${name} without first saying "Generating … done"`, async () => {
      const dir = tempDir('cert');
      if (name === 'KeyFilesExistError') assert.equal((await runCli(['anzenna', 'cert', 'generate', '-d', dir])).code, 0);
      const before = readdirSync(dir).sort();
      const res = await runCli(['anzenna', 'cert', 'generate', '-d', dir, ...args]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, new RegExp(name));
      assert.doesNotMatch(res.stdout + res.stderr, /Generating the RSA key pair/);
      assert.deepEqual(readdirSync(dir).sort(), before, 'nothing written');
    });
  }

  it('says "Generating … done" when it does generate', async () => {
    const res = await runCli(['anzenna', 'cert', 'generate', '-d', tempDir('cert')]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout + res.stderr, /Generating the RSA key pair and certificate\.\.\. done/);
  });

  it('uses no short flag that stock sf reserves for another meaning', () => {
    const flags = manifestFlags('anzenna:cert:generate');
    for (const flag of flags.filter((f) => f.char)) {
      const char = flag.char ?? '';
      if (char in SF_RESERVED_SHORT_FLAGS) assert.equal(flag.name, SF_RESERVED_SHORT_FLAGS[char], `-${char} means --${SF_RESERVED_SHORT_FLAGS[char] ?? 'target-org (deprecated)'} in stock sf`);
    }
    assert.deepEqual(flags.filter((f) => f.char).map((f) => `-${f.char} --${f.name}`).sort(), ['-d --output-dir', '-n --app-name']);
  });

  it('shows every default through the flag default, as sf prints it', async () => {
    const res = await runCli(['anzenna', 'cert', 'generate', '--help']);
    assert.equal(res.code, 0);
    const help = res.stdout.replace(/\s+/g, ' ');
    for (const flag of manifestFlags('anzenna:cert:generate').filter((f) => f.type === 'option' && f.name !== 'flags-dir')) {
      assert.notEqual(flag.default, undefined, `--${flag.name} has a default in its definition`);
      assert.ok(help.includes(`--${flag.name}=<`) && help.includes(`[default: ${String(flag.default)}]`), `help shows [default: ${String(flag.default)}] for --${flag.name}`);
    }
  });
});
