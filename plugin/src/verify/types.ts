/**
 * What `sf anzenna verify` reports: one result per check, each with a stable id, a status, a plain message
 * and, when it did not pass, the actions that fix it (what to click in Setup or what to run).
 */
import type { Outcome } from '../checks/model.js';

export type { CheckStatus, Outcome } from '../checks/model.js';
export { SkipCheck, pass, warn, fail } from '../checks/model.js';

export const CHECK_GROUPS = ['org', 'app', 'certificate', 'consumerKey', 'user', 'live'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

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
