/**
 * What `sf anzenna verify` reports: one result per check, each with a stable id, a status, a plain message
 * and, when it did not pass, the actions that fix it (what to click in Setup or what to run).
 */
import type { CheckStatus } from '../setup/result.js';

export type { CheckStatus } from '../setup/result.js';

export const CHECK_GROUPS = ['org', 'app', 'certificate', 'consumerKey', 'user', 'live'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

/** What a check function returns; the runner adds id, group, title and timing. */
export type Outcome = {
  status: CheckStatus;
  message: string;
  actions?: string[];
  /** Supporting lines: differing fields, files per event type, … */
  details?: string[];
};

export type CheckResult = Outcome & {
  id: string;
  group: CheckGroup;
  title: string;
  /** Why a check was skipped (also its message). */
  reason?: string;
  durationMs: number;
};

export type VerifySummary = { pass: number; warn: number; fail: number; skip: number; total: number };

export type VerifyResult = {
  appName: string;
  /** The admin the checks ran as. */
  username: string;
  integrationUser: string;
  orgId?: string;
  edition?: string;
  isSandbox?: boolean;
  instanceUrl: string;
  strict: boolean;
  /** True when nothing failed (and, with --strict, nothing warned): the exit code is 0. */
  ok: boolean;
  verdict: string;
  summary: VerifySummary;
  checks: CheckResult[];
};

/** Thrown inside a check when it cannot be judged (no key, a missing prerequisite): reported as skip. */
export class SkipCheck extends Error {
  public constructor(public readonly reason: string) {
    super(reason);
    this.name = 'SkipCheck';
  }
}

export const pass = (message: string, details?: string[]): Outcome => ({ status: 'pass', message, ...(details?.length ? { details } : {}) });

export const warn = (message: string, actions: string[], details?: string[]): Outcome => ({
  status: 'warn',
  message,
  actions,
  ...(details?.length ? { details } : {}),
});

export const fail = (message: string, actions: string[], details?: string[]): Outcome => ({
  status: 'fail',
  message,
  actions,
  ...(details?.length ? { details } : {}),
});
