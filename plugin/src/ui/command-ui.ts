/**
 * What the commands that change an org (setup, cert rotate, revoke) show while they work, and the one
 * production confirmation they share: no question under --no-prompt or --json; without a terminal (or in CI)
 * a named refusal; otherwise the plan and a yes/no.
 */
import type { SfError } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';

export type ProgressUi = {
  step(title: string): void;
  status(message: string): void;
  done(summary?: string): void;
  warn(message: string): void;
};

export function progressUi(command: SfCommand<unknown>): ProgressUi {
  return {
    step: (title) => command.spinner.start(title),
    status: (message) => {
      command.spinner.status = message;
    },
    done: (summary) => command.spinner.stop(summary),
    warn: (message) => void command.warn(message),
  };
}

export type Confirmation = {
  noPrompt: boolean;
  /** The named error when no one can answer (no terminal, or CI). */
  refusal: () => SfError;
  /** The question, with the plan in it. */
  question: () => string;
};

export async function confirmProduction(command: SfCommand<unknown>, confirmation: Confirmation): Promise<boolean> {
  if (confirmation.noPrompt || command.jsonEnabled()) return true;
  command.spinner.stop();
  if (!process.stdin.isTTY || process.env.CI) throw confirmation.refusal();
  return command.confirm({ message: confirmation.question() });
}
