/**
 * One check-result model for every command: setup's preflight and proof, verify's checks, the commands to
 * come. A check has a stable id, a status, a plain message and, when it did not pass, what to do.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export type CheckOutcome = {
  id: string;
  status: CheckStatus;
  message: string;
  /** What fixes it (for warn and fail). */
  actions?: string[];
  /** Supporting lines: differing fields, files per event type, … */
  details?: string[];
};

/** What a check function returns; its runner adds the id (and, in verify, group, title and timing). */
export type Outcome = Omit<CheckOutcome, 'id'>;

/** Thrown inside a check when it cannot be judged (no key, a missing prerequisite): reported as skip. */
export class SkipCheck extends Error {
  public constructor(public readonly reason: string) {
    super(reason);
    this.name = 'SkipCheck';
  }
}

const withDetails = (details?: string[]): { details?: string[] } => (details?.length ? { details } : {});

export const pass = (message: string, details?: string[]): Outcome => ({ status: 'pass', message, ...withDetails(details) });

export const warn = (message: string, actions: string[], details?: string[]): Outcome => ({ status: 'warn', message, actions, ...withDetails(details) });

export const fail = (message: string, actions: string[], details?: string[]): Outcome => ({ status: 'fail', message, actions, ...withDetails(details) });

export const skip = (message: string): Outcome => ({ status: 'skip', message });
