/** What setup's orchestration is given: the resolved inputs (project/inputs.ts), the run's switches and its UI. */
import type { SetupInputs } from '../project/inputs.js';
import type { Action } from '../plan/plan.js';

export type SetupOptions = SetupInputs & {
  dryRun: boolean;
  sourceDir: string;
  metadataSource: 'project' | 'bundled';
  /** --api-version: the API version of every request to the org (undefined: the org's configured one). */
  apiVersion?: string;
  /** Injectable for tests: the JWT login's pause between retries. */
  sleep?: (ms: number) => Promise<void>;
};

export type SetupUi = {
  step(title: string): void;
  status(message: string): void;
  done(summary?: string): void;
  warn(message: string): void;
  /** Asked before a production org is changed; false stops the run. */
  confirm(plan: readonly Action[]): Promise<boolean>;
};
