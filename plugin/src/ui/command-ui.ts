/**
 * What the commands that change an org (setup, cert rotate, revoke) show while they work, and the one
 * production confirmation they share: no question under --no-prompt or --json; without a terminal (or in CI)
 * a named refusal; otherwise the plan and a yes/no. And the one way every org command handles Ctrl-C.
 */
import { Messages, type SfError } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import { handleInterrupts, type EXIT_CODES } from '../local/interrupt.js';
import { sweepStale } from '../local/staging.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const interruptMessages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.interrupt');

/**
 * What an interrupted run had done, for its one line: the steps in `journal`, else that nothing was changed
 * (`nothingChanged`: no write had been sent) or that no step had finished (`noStepFinished`: one may be under way).
 */
export function doneSoFar(journal: readonly string[], none: 'nothingChanged' | 'noStepFinished'): string {
  return journal.length > 0 ? interruptMessages.getMessage('done', [journal.join(', ')]) : interruptMessages.getMessage(none);
}

/**
 * Runs a command's work with Ctrl-C and SIGTERM handled (local/interrupt.ts): the spinner stops, our temporary
 * folders and lock go, one line (`describe`) says what was done, and the process exits 130 or 143. Temporary
 * folders that earlier killed runs left behind are removed first.
 */
export async function interruptible<T>(command: SfCommand<unknown>, describe: (signal: keyof typeof EXIT_CODES) => string, work: () => Promise<T>): Promise<T> {
  await sweepStale();
  const stop = handleInterrupts({
    describe: (signal) => {
      command.spinner.stop(signal);
      return describe(signal);
    },
  });
  try {
    return await work();
  } finally {
    stop();
  }
}

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
