import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { defaultFiles, lintWorkflows } from '../../scripts/lint-workflows.js';
import { repoRoot, tempDir } from '../helpers/cli.js';

type Workflow = { on: Record<string, unknown>; jobs: Record<string, { environment?: string; needs?: string | string[]; steps?: Array<{ uses?: string; with?: Record<string, string> }> }> };

function workflow(name: string): Workflow {
  return parse(readFileSync(join(repoRoot, '.github', 'workflows', name), 'utf8')) as Workflow;
}

describe('workflows and the composite action', () => {
  it('lints every workflow and action.yml clean', async () => {
    const files = defaultFiles().map((f) => f.slice(repoRoot.length + 1));
    assert.deepEqual(files, [
      '.github/workflows/ci.yml',
      '.github/workflows/fleet.yml',
      '.github/workflows/nuts.yml',
      '.github/workflows/promote.yml',
      'action.yml',
    ]);
    assert.deepEqual(await lintWorkflows(), []);
  });

  it('reports what each linter catches in a broken workflow and a broken action', async () => {
    const dir = tempDir('workflows');
    const wf = join(dir, 'broken.yml');
    writeFileSync(
      wf,
      [
        'on: push',
        'jobs:',
        '  a:',
        '    needs: missing-job',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo ${{ github.no_such_property }}',
        '      - run: if [ -n "$X" ]; then echo',
      ].join('\n')
    );
    const action = join(dir, 'action.yml');
    writeFileSync(action, ['name: x', 'description: y', 'runs:', '  using: composite', '  steps:', '    - run: echo hi'].join('\n'));
    const findings = await lintWorkflows([wf, action]);
    const by = (tool: string, file: string): string =>
      findings
        .filter((f) => f.tool === tool && f.file.endsWith(file))
        .map((f) => f.message)
        .join('\n');
    assert.match(by('actionlint', 'broken.yml'), /missing-job/);
    assert.match(by('actionlint', 'broken.yml'), /no_such_property/);
    assert.match(by('bash -n', 'broken.yml'), /syntax error/);
    assert.match(by('action-validator', 'action.yml'), /shell/);
  });

  it('promotes to production only after the sandbox, behind an environment with reviewers', () => {
    const { jobs } = workflow('promote.yml');
    assert.equal(jobs.sandbox.environment, 'sandbox');
    assert.equal(jobs.production.environment, 'production');
    assert.equal(jobs.production.needs, 'sandbox');
    const commands = (job: string): string[] => (jobs[job].steps ?? []).filter((s) => s.uses === './').map((s) => `${s.with?.command} ${s.with?.args ?? ''}`.trim());
    assert.deepEqual(commands('sandbox'), ['setup --dry-run', 'setup', 'verify']);
    assert.deepEqual(commands('production'), ['setup --dry-run', 'setup --no-prompt', 'verify']);
  });

  it('lists fleet orgs that each name an existing project and a secret', () => {
    const fleet = JSON.parse(readFileSync(join(repoRoot, 'fleet', 'orgs.json'), 'utf8')) as {
      orgs: Array<{ name: string; authSecret: string; projectDir?: string }>;
    };
    assert.ok(fleet.orgs.length > 0);
    assert.equal(new Set(fleet.orgs.map((o) => o.name)).size, fleet.orgs.length, 'names are unique (they name the artifacts)');
    for (const org of fleet.orgs) {
      assert.match(org.name, /^[a-z0-9][a-z0-9-]*$/, 'an artifact-safe name');
      assert.match(org.authSecret, /^[A-Z_][A-Z0-9_]*$/, 'a valid secret name');
      assert.ok(existsSync(join(repoRoot, org.projectDir ?? '.', 'sfdx-project.json')), `${org.name}: its projectDir holds sfdx-project.json`);
    }
    const verify = workflow('fleet.yml').jobs.verify as unknown as { strategy: { 'fail-fast': boolean }; steps: Array<{ uses?: string; if?: string; with?: Record<string, string> }> };
    assert.equal(verify.strategy['fail-fast'], false, 'one failing org does not cancel the others');
    const commands = verify.steps.filter((s) => s.uses === './');
    assert.deepEqual(commands.map((s) => s.with?.command), ['verify', 'status'], 'verify, then the vendor connection');
    assert.match(commands[1].if ?? '', /always\(\)/, 'status runs even when verify failed');
    assert.equal(commands[1].with?.plugin, 'skip-install', 'status reuses the install and login of the same job');
  });
});
