/**
 * Fault specs as given on the command line (`--fault <spec>`, repeatable), parsed into the same in-process
 * fault calls tests make. `<operation>` is a request-log operation name.
 */
import type { Faults } from './faults.js';

/** Operation names as they appear in the request log (`RequestLogEntry.operation`). */
export const OPERATIONS = [
  'token', 'query', 'queryAll', 'queryMore', 'create', 'update', 'delete', 'retrieve', 'describe', 'logFile', 'oauthApps', 'revokeTokens', 'rest',
  'deploy', 'checkDeployStatus', 'cancelDeploy', 'checkRetrieveStatus', 'listMetadata', 'readMetadata',
] as const;

export type FaultSpec =
  | { kind: 'rate-limit' | 'server-error'; operation: string; count: number }
  | { kind: 'reset-download'; bytes: number; count: number }
  | { kind: 'fail-component'; fullName: string }
  | { kind: 'expire-sessions-after'; operation: string };

export const FAULT_SPEC_HELP = [
  'rate-limit:<operation>:<count>',
  'server-error:<operation>:<count>',
  'reset-download:<bytes>:<count>',
  'fail-component:<fullName>',
  'expire-sessions-after:<operation>',
].join(', ');

function operation(spec: string, value: string | undefined): string {
  if (!value || !(OPERATIONS as readonly string[]).includes(value)) {
    throw new Error(`--fault ${spec}: unknown operation "${value ?? ''}" (one of ${OPERATIONS.join(', ')})`);
  }
  return value;
}

function count(spec: string, value: string | undefined, what: string, min: number): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(n) || n < min) throw new Error(`--fault ${spec}: ${what} must be a whole number ≥ ${min}`);
  return n;
}

/** Parses one `--fault` value; throws an Error with a plain message on a bad spec. */
export function parseFaultSpec(spec: string): FaultSpec {
  const [kind, ...rest] = spec.split(':');
  switch (kind) {
    case 'rate-limit':
    case 'server-error':
      if (rest.length !== 2) break;
      return { kind, operation: operation(spec, rest[0]), count: count(spec, rest[1], '<count>', 1) };
    case 'reset-download':
      if (rest.length !== 2) break;
      return { kind, bytes: count(spec, rest[0], '<bytes>', 0), count: count(spec, rest[1], '<count>', 1) };
    case 'fail-component':
      if (rest.length < 1 || rest.join(':') === '') break;
      return { kind, fullName: rest.join(':') };
    case 'expire-sessions-after':
      if (rest.length !== 1) break;
      return { kind, operation: operation(spec, rest[0]) };
    default:
      break;
  }
  throw new Error(`--fault ${spec}: expected one of ${FAULT_SPEC_HELP}`);
}

/** Arms a parsed fault. */
export function applyFaultSpec(faults: Faults, f: FaultSpec): void {
  switch (f.kind) {
    case 'rate-limit':
      faults.rateLimitOperation(f.operation, f.count);
      return;
    case 'server-error':
      faults.serverErrorOperation(f.operation, f.count);
      return;
    case 'reset-download':
      faults.resetDownload(f.bytes, f.count);
      return;
    case 'fail-component':
      faults.failComponent(f.fullName);
      return;
    case 'expire-sessions-after':
      faults.expireSessionsAfter(f.operation);
  }
}
