/** The steps of this repository's composite action (action.yml), to run their scripts as GitHub does. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/cli.js';

type Step = { id?: string; name?: string; run?: string };

const steps = (parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { runs: { steps: Step[] } }).runs.steps;

/** The `run:` script of the step with this id or name ('' when there is none). */
export function actionScript(idOrName: string): string {
  return steps.find((s) => s.id === idOrName || s.name === idOrName)?.run ?? '';
}

/** bash as GitHub runs a `shell: bash` step. */
export const githubBash = (script: string): [string, string[]] => ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script]];
