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
  const tables = structuredClone([...emu.state.tables.entries()]);
  const metadata = structuredClone([...emu.state.metadata.entries()].map(([type, byName]) => [type, [...byName.entries()]] as const));
  const settings = structuredClone(emu.state.settings);
  return () => {
    emu.faults.clear();
    for (const [name, rows] of structuredClone(tables)) emu.state.tables.set(name, rows);
    for (const [type, entries] of structuredClone(metadata)) emu.state.metadata.set(type, new Map(entries));
    for (const key of Object.keys(emu.state.settings)) delete emu.state.settings[key];
    Object.assign(emu.state.settings, structuredClone(settings));
  };
}

/** The data of one deployed component (type, fullName), for changing it in place. */
export function componentData(emu: EmulatorHandle, type: string, fullName: string): Record<string, unknown> {
  const c = emu.state.component(type, fullName);
  assert.ok(c, `${type} ${fullName} is deployed`);
  return c.data;
}

export function integrationUser(emu: EmulatorHandle): SRecord {
  const user = emu.state.userByUsername(INTEGRATION_USER);
  assert.ok(user, 'the integration user exists');
  return user;
}

/** A permission set granting `permissions`, assigned to the user. */
export function assignPermissionSet(emu: EmulatorHandle, userId: string, name: string, permissions: string[]): void {
  const ps = emu.state.insert('PermissionSet', { Name: name, Label: name, IsOwnedByProfile: false, IsCustom: true, NamespacePrefix: null, ...emu.state.permissionFields(permissions) }, '0PS');
  emu.state.insert('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: ps.Id }, '0Pa');
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
