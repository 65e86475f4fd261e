/** The steps of this repository's composite action (action.yml), to run their scripts as GitHub does. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/cli.js';

type Step = { id?: string; name?: string; run?: string; env?: Record<string, string> };

const steps = (parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { runs: { steps: Step[] } }).runs.steps;

/** The `run:` script of the step with this id or name ('' when there is none). */
export function actionScript(idOrName: string): string {
  return steps.find((s) => s.id === idOrName || s.name === idOrName)?.run ?? '';
}

/**
 * The step's `env:` names, each empty: GitHub always sets them, to '' when the input is empty (the scripts
 * run with `set -u`).
 */
export function actionEnvDefaults(idOrName: string): Record<string, string> {
  const step = steps.find((s) => s.id === idOrName || s.name === idOrName);
  return Object.fromEntries(Object.keys(step?.env ?? {}).map((k) => [k, '']));
}

/** bash as GitHub runs a `shell: bash` step. */
export const githubBash = (script: string): [string, string[]] => ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script]];
