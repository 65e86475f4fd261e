/**
 * `sf anzenna verify`: every troubleshooting step and maintenance check of the vendor guides, as checks
 * with stable ids, run concurrently against the org, read-only. Also what `setup` and the `sf doctor` hook
 * call. A failed check is a result, not an exception: only "could not run at all" throws.
 */
import type { Org } from '@salesforce/core';
import { accessChecks } from './checks-access.js';
import { appChecks } from './checks-app.js';
import { credentialChecks } from './checks-credentials.js';
import { liveChecks } from './checks-live.js';
import { orgChecks } from './checks-org.js';
import { userChecks } from './checks-user.js';
import { VerifyContext, type VerifyOptions } from './context.js';
import { isOk, runChecks, summarise, verdictOf, type Check } from './runner.js';
import type { VerifyResult } from './types.js';

export type { VerifyOptions } from './context.js';

/** Every check, in report order. */
export const CHECKS: ReadonlyArray<Check<VerifyContext>> = [...orgChecks, ...appChecks, ...credentialChecks, ...userChecks, ...accessChecks, ...liveChecks];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

export async function runVerify(org: Org, options: VerifyOptions, apiVersion?: string): Promise<VerifyResult> {
  const conn = org.getConnection(apiVersion);
  const adminUsername = org.getUsername() ?? '';
  const context = new VerifyContext(conn, adminUsername, options);
  const checks = await runChecks(CHECKS, context);
  const facts = await context.org().catch(() => undefined);
  const summary = summarise(checks);
  return {
    appName: options.appName,
    username: adminUsername,
    integrationUser: context.username,
    ...(facts ? { orgId: facts.orgId, edition: facts.edition, isSandbox: facts.isSandbox } : {}),
    instanceUrl: conn.instanceUrl,
    strict: options.strict,
    ok: isOk(summary, options.strict),
    verdict: verdictOf(summary, options.strict),
    summary,
    checks,
  };
}
