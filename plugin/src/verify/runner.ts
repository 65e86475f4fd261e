/**
 * Runs checks concurrently and never lets one hide another: a check that throws becomes a failed result
 * with the error's actions, a SkipCheck becomes a skip with its reason, and every other check still runs.
 * Shared facts (the org, the app, the user) are loaded once, lazily, by whichever check asks first.
 */
import { Messages, SfError } from '@salesforce/core';
import { SkipCheck, type CheckGroup, type CheckResult, type Outcome, type VerifySummary } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const checkMessages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify.checks');
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify');

export type Check<C> = {
  id: string;
  group: CheckGroup;
  title: string;
  run(context: C): Promise<Outcome>;
};

/** A value computed once, on first use; its failure is kept and rethrown to every caller. */
export type Lazy<T> = () => Promise<T>;

export function lazy<T>(load: () => Promise<T>): Lazy<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= load();
    return promise;
  };
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}

/**
 * For a check that needs a fact owned by another check: when the fact could not be loaded, the owner
 * reports the failure and this check is skipped with a pointer to it (one root cause, one failure).
 */
export async function need<T>(fact: Lazy<T>, owner: string): Promise<T> {
  try {
    return await fact();
  } catch (error) {
    if (error instanceof SkipCheck) throw error;
    throw new SkipCheck(checkMessages.getMessage('skip.needs', [owner, firstLine(error)]));
  }
}

const fallbackActions = (): string[] => checkMessages.getMessages('fallback.actions');

function failureOf(error: unknown): Outcome {
  const actions = error instanceof SfError && error.actions?.length ? error.actions : fallbackActions();
  const text = error instanceof Error ? error.message : String(error);
  const message =
    error instanceof Error && error.name !== 'Error' && error.name !== 'SfError'
      ? checkMessages.getMessage('error.couldNotCheck.named', [text, error.name])
      : checkMessages.getMessage('error.couldNotCheck', [text]);
  return { status: 'fail', message, actions };
}

export async function runCheck<C>(check: Check<C>, context: C): Promise<CheckResult> {
  const started = performance.now();
  let outcome: Outcome;
  let reason: string | undefined;
  try {
    outcome = await check.run(context);
  } catch (error) {
    if (error instanceof SkipCheck) {
      reason = error.reason;
      outcome = { status: 'skip', message: error.reason };
    } else {
      outcome = failureOf(error);
    }
  }
  // Anything that did not pass says what to do.
  if ((outcome.status === 'warn' || outcome.status === 'fail') && !outcome.actions?.length) outcome = { ...outcome, actions: fallbackActions() };
  return {
    id: check.id,
    group: check.group,
    title: check.title,
    ...outcome,
    ...(reason ? { reason } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}

/** Every check at once; results keep the order of `checks`. */
export async function runChecks<C>(checks: ReadonlyArray<Check<C>>, context: C): Promise<CheckResult[]> {
  return Promise.all(checks.map((check) => runCheck(check, context)));
}

export function summarise(results: readonly CheckResult[]): VerifySummary {
  const count = (status: CheckResult['status']): number => results.filter((r) => r.status === status).length;
  return { pass: count('pass'), warn: count('warn'), fail: count('fail'), skip: count('skip'), total: results.length };
}

/** Exit code 0 only when nothing failed; with strict, warnings fail too. */
export function isOk(summary: VerifySummary, strict: boolean): boolean {
  return summary.fail === 0 && (!strict || summary.warn === 0);
}

export function verdictOf(summary: VerifySummary, strict: boolean): string {
  const { pass, warn, fail, skip, total } = summary;
  if (fail > 0) {
    return skip > 0 ? messages.getMessage('verdict.fail.skipped', [fail, total, warn, skip]) : messages.getMessage('verdict.fail', [fail, total, warn]);
  }
  if (warn > 0 && strict) {
    return skip > 0 ? messages.getMessage('verdict.strict.skipped', [warn, pass, skip]) : messages.getMessage('verdict.strict', [warn, pass]);
  }
  if (warn > 0) return skip > 0 ? messages.getMessage('verdict.warn.skipped', [warn, pass, skip]) : messages.getMessage('verdict.warn', [warn, pass]);
  return skip > 0 ? messages.getMessage('verdict.pass.skipped', [pass, skip]) : messages.getMessage('verdict.pass', [pass]);
}
