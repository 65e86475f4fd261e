/**
 * The plugin's public contract, as the salesforcecli plugins hold it: command-snapshot.json (every command's
 * flags, checked by @oclif/plugin-command-snapshot's snapshot:compare) and plugin/schemas (every command's
 * --json result). Both fail when a flag or a result field changes without `npm run snapshot:update`.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { generateSchemas, schemaProblems, schemasDir } from '../../scripts/schemas.js';
import { repoRoot, tempDir } from '../helpers/cli.js';

type SnapshotEntry = { command: string; flags: string[]; flagChars: string[] };

async function snapshotCompare(file: string): Promise<{ code: number; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'plugin', 'bin', 'dev.js'), 'snapshot:compare', '--filepath', file], {
    cwd: repoRoot,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, out };
}

describe('command-snapshot.json (flags of every command)', () => {
  const committed = join(repoRoot, 'command-snapshot.json');

  it('matches the commands', async () => {
    const res = await snapshotCompare(committed);
    assert.equal(res.code, 0, `${res.out}\nIf the flags changed on purpose: npm run snapshot:update`);
    assert.match(res.out, /No changes have been detected/);
  });

  it('fails and names the flag when a flag changed without updating the snapshot', async () => {
    const snapshot = JSON.parse(readFileSync(committed, 'utf8')) as SnapshotEntry[];
    const setup = snapshot.find((c) => c.command === 'anzenna:setup');
    assert.ok(setup && setup.flags.includes('dry-run'), 'setup has --dry-run');
    setup.flags = setup.flags.filter((f) => f !== 'dry-run');
    const stale = join(tempDir('snapshot'), 'command-snapshot.json');
    writeFileSync(stale, JSON.stringify(snapshot, null, 4));
    const res = await snapshotCompare(stale);
    assert.equal(res.code, 1, res.out);
    assert.match(res.out, /anzenna:setup/);
    assert.match(res.out, /dry-run/);
  });
});

describe('plugin/schemas (the --json result of every command)', () => {
  let generated: ReturnType<typeof generateSchemas> = {};
  before(() => {
    generated = generateSchemas();
  });

  it('has one schema per command, equal to the one generated from its result type', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'plugin', 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, unknown> };
    const commands = Object.keys(manifest.commands).map((id) => id.split(':').join('-'));
    assert.ok(commands.includes('anzenna-setup'), 'the manifest is built');
    assert.deepEqual(Object.keys(generated).sort(), commands.sort());
    assert.deepEqual(schemaProblems(generated), []);
  });

  it('fails when a result field changed without regenerating the schema', () => {
    const dir = tempDir('schemas');
    cpSync(schemasDir, dir, { recursive: true });
    const path = join(dir, 'anzenna-setup.json');
    const schema = JSON.parse(readFileSync(path, 'utf8')) as { definitions: { SetupResult: { properties: Record<string, unknown> } } };
    delete schema.definitions.SetupResult.properties.consumerKey;
    writeFileSync(path, JSON.stringify(schema, null, 2) + '\n');
    assert.deepEqual(schemaProblems(generated, dir), ["anzenna-setup.json differs from the command's result type (if intended: npm run snapshot:update)"]);
  });

  it('fails when the hand-written verify schema drifts from the VerifyResult type', () => {
    const dir = tempDir('schemas');
    cpSync(schemasDir, dir, { recursive: true });
    const path = join(dir, 'anzenna-verify.json');
    const schema = JSON.parse(readFileSync(path, 'utf8')) as { definitions: { VerifySummary: { properties: Record<string, unknown> } } };
    delete schema.definitions.VerifySummary.properties.skip;
    writeFileSync(path, JSON.stringify(schema, null, 2) + '\n');
    const problems = schemaProblems(generated, dir);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /anzenna-verify\.json at \.summary: the type has properties: fail, pass, skip, total, warn/);
  });
});
