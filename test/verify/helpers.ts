/**
 * Helpers for the verify tests: run verify against an emulated org, look up checks, change the org's state
 * for one scenario and put it back, and make certificates.
 */
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { createSelfSignedCertificate } from '../../plugin/src/cert/index.js';
import type { CheckResult, VerifyResult } from '../../plugin/src/verify/types.js';
import type { EmulatorHandle } from '../../emulator/src/index.js';
import type { SRecord } from '../../emulator/src/org-state.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import type { EmulatedOrg } from '../helpers/emulated-org.js';

export const INTEGRATION_USER = 'anzenna-integration@anzenna-emu.example';

export type VerifyRun = CliResult<VerifyResult> & { result: VerifyResult; check(id: string): CheckResult; requests: EmulatorHandle['requestLog'] };

/** Runs `sf anzenna verify -o emu --json …` (in `cwd`, default the org's) and returns the result with a check lookup. */
export async function verify(o: EmulatedOrg, args: string[] = [], cwd = o.cwd): Promise<VerifyRun> {
  const before = o.emu.requestLog.length;
  const res = await runCli<VerifyResult>(['anzenna', 'verify', '-o', 'emu', '--json', ...args], { home: o.home, cwd });
  const result = res.json?.result;
  assert.ok(result, `verify printed a JSON result (exit ${res.code}): ${res.stdout}${res.stderr}`);
  return {
    ...res,
    result,
    requests: o.emu.requestLog.slice(before),
    check: (id) => {
      const found = result.checks.find((c) => c.id === id);
      assert.ok(found, `check ${id} is in the result`);
      return found;
    },
  };
}

/** Asserts a check's status, and (for warn/fail) that its message and actions say what the test expects. */
export function expectCheck(run: VerifyRun, id: string, status: CheckResult['status'], message?: RegExp, action?: RegExp): CheckResult {
  const c = run.check(id);
  assert.equal(c.status, status, `${id}: ${c.status} (${c.message})`);
  if (message) assert.match(c.message, message, `${id} message`);
  if (action) assert.match((c.actions ?? []).join('\n'), action, `${id} actions`);
  if (status === 'warn' || status === 'fail') assert.ok((c.actions?.length ?? 0) > 0, `${id} says what to do`);
  if (status === 'skip') assert.ok(c.reason, `${id} says why it was skipped`);
  return c;
}

/** Saves the org's records, metadata and settings; the returned function puts them back (and clears faults). */
export function checkpoint(emu: EmulatorHandle): () => void {
  return emu.scenario.checkpoint();
}

/**
 * The fields of one deployed component (type, fullName) as a live view: reading gives the org's value, and
 * setting or deleting a field changes the org through the emulator's scenario API (`scenario.setAppField`).
 */
export function componentData(emu: EmulatorHandle, type: string, fullName: string): Record<string, unknown> {
  const { scenario } = emu;
  assert.doesNotThrow(() => scenario.appFields(type, fullName), `${type} ${fullName} is deployed`);
  return new Proxy<Record<string, unknown>>({}, {
    get: (_t, field) => (typeof field === 'string' ? scenario.appField(type, fullName, field) : undefined),
    set: (_t, field, value) => {
      scenario.setAppField(type, fullName, String(field), value);
      return true;
    },
    deleteProperty: (_t, field) => {
      scenario.setAppField(type, fullName, String(field), undefined);
      return true;
    },
    has: (_t, field) => scenario.appFields(type, fullName).includes(String(field)),
    ownKeys: () => scenario.appFields(type, fullName),
    getOwnPropertyDescriptor: (_t, field) =>
      scenario.appFields(type, fullName).includes(String(field)) ? { enumerable: true, configurable: true, writable: true, value: scenario.appField(type, fullName, String(field)) } : undefined,
  });
}

/**
 * The integration user as a live view: reading gives the org's value, and setting a field changes the user
 * through the scenario API (`scenario.setUserField`), as an admin editing the user would.
 */
export function integrationUser(emu: EmulatorHandle): SRecord {
  const { scenario } = emu;
  assert.ok(emu.state.userByUsername(INTEGRATION_USER), 'the integration user exists');
  return new Proxy({} as SRecord, {
    get: (_t, field) => (typeof field === 'string' ? scenario.userField(INTEGRATION_USER, field) : undefined),
    set: (_t, field, value) => {
      scenario.setUserField(INTEGRATION_USER, String(field), value);
      return true;
    },
  });
}

/** A permission set granting `permissions`, assigned to the user (by Id). */
export function assignPermissionSet(emu: EmulatorHandle, userId: string, name: string, permissions: string[]): void {
  const username = String(emu.state.byId('User', userId)?.Username ?? '');
  assert.ok(username, `user ${userId} exists`);
  emu.scenario.createPermissionSet({ name, permissions });
  emu.scenario.assignPermissionSet(username, name);
}

/** A self-signed certificate (of a new key) valid from `start` for `days`. */
export function certificate(days: number, start = new Date()): string {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return createSelfSignedCertificate({ ...pair, subject: { commonName: 'verify test' }, validityDays: days, now: start });
}

/** Only these kinds of requests reach the org during a verify run: reads and token requests. */
export function assertReadOnly(run: VerifyRun): void {
  const allowedSoap = new Set(['retrieve', 'checkRetrieveStatus', 'readMetadata', 'listMetadata']);
  for (const r of run.requests) {
    const ok =
      r.method === 'GET' ||
      (r.method === 'POST' && r.operation === 'token') ||
      (r.method === 'POST' && r.path.startsWith('/services/Soap/m/') && allowedSoap.has(r.operation ?? ''));
    assert.ok(ok, `read-only: ${r.method} ${r.path} (${r.operation ?? '?'})`);
  }
  assert.ok(run.requests.some((r) => r.operation === 'token'), 'the live login ran');
}
