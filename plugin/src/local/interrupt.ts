/**
 * Ctrl-C (SIGINT) and SIGTERM during a run: the registered clean-ups run (temporary files, the lock), one
 * plain line says what was done and that running the same command again finishes the job, and the process
 * exits 130 or 143, with no stack trace. Registered in front of sf's own handlers (which would throw an
 * oclif ExitError from inside the signal handler).
 */
import { removeSync } from './fs-sync.js';

type Cleanup = () => void;

const cleanups = new Set<Cleanup>();

export const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** A synchronous clean-up to run if the process is interrupted; returns its removal. */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** A temporary directory removed if the process is interrupted. */
export function removeOnInterrupt(dir: string): () => void {
  return onInterrupt(() => removeSync(dir));
}

export type InterruptOptions = {
  /** The line printed: what was done so far, and that the same command finishes the job. */
  describe: (signal: keyof typeof EXIT_CODES) => string;
  write?: (line: string) => void;
  exit?: (code: number) => void;
};

/** Handles SIGINT and SIGTERM until the returned function is called. */
export function handleInterrupts(options: InterruptOptions): () => void {
  const write = options.write ?? ((line: string): void => void process.stderr.write(`${line}\n`));
  const exit = options.exit ?? ((code: number): never => process.exit(code));
  const handlers = (Object.keys(EXIT_CODES) as Array<keyof typeof EXIT_CODES>).map((signal) => {
    const handler = (): void => {
      for (const cleanup of [...cleanups]) {
        try {
          cleanup();
        } catch {
          // best effort: the next run removes what is left (sweepStale)
        }
      }
      cleanups.clear();
      write(options.describe(signal));
      exit(EXIT_CODES[signal]);
    };
    process.prependListener(signal, handler);
    return { signal, handler };
  });
  return () => {
    for (const { signal, handler } of handlers) process.removeListener(signal, handler);
  };
}
