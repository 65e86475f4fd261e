/**
 * Faults the org (or the way to it) can answer with, named for the user: a rate limit, a server error, a
 * dropped connection, an ended session. Reads and status polls that meet a transient one are tried again with
 * a bounded backoff; writes never are (a POST that failed may have been applied), they are only named.
 *
 * jsforce already retries GETs (REST queries) five times on 429/5xx; what it never retries is a POST, and every
 * Metadata API call (readMetadata, listMetadata, checkDeployStatus) is a SOAP POST. SDR turns a failed status
 * poll into a `MetadataTransferError` whose message carries the SOAP fault code. Both shapes are read here.
 */
import type { Connection } from '@jsforce/jsforce-node';
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.faults');

export type FaultKind = 'rate-limit' | 'server' | 'connection' | 'session';

const CODE_KINDS: ReadonlyArray<[RegExp, FaultKind]> = [
  [/\bREQUEST_LIMIT_EXCEEDED\b/, 'rate-limit'],
  [/\b(UNKNOWN_EXCEPTION|SERVER_UNAVAILABLE|SERVICE_UNAVAILABLE)\b/, 'server'],
  [/\bINVALID_SESSION_ID\b/, 'session'],
];

/** Node and undici codes of a connection that dropped or never answered (the ones jsforce retries on GETs). */
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function codesOf(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 3) return [];
  const e = error as { name?: unknown; errorCode?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  const own = [e.errorCode, e.code, e.name, e.message].filter((v): v is string => typeof v === 'string');
  return [...own, ...codesOf(e.cause, depth + 1)];
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown; data?: { statusCode?: unknown } } | undefined;
  const status = e?.statusCode ?? e?.status ?? e?.data?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

const KINDS: readonly FaultKind[] = ['rate-limit', 'server', 'connection', 'session'];

/** The kind of a fault this module has already named (its data carries it; the cause is not attached). */
function namedKind(error: unknown): FaultKind | undefined {
  const kind = (error as { data?: { kind?: unknown } } | undefined)?.data?.kind;
  return KINDS.find((k) => k === kind);
}

/** What kind of fault an error from jsforce, SDR or fetch is, or undefined when it is none of ours to name. */
export function faultKind(error: unknown): FaultKind | undefined {
  const named = namedKind(error);
  if (named) return named;
  const texts = codesOf(error);
  for (const [pattern, kind] of CODE_KINDS) if (texts.some((t) => pattern.test(t))) return kind;
  if (texts.some((t) => CONNECTION_CODES.has(t) || /socket hang up|fetch failed|other side closed/i.test(t))) return 'connection';
  const status = statusOf(error);
  if (status === 429) return 'rate-limit';
  if (status !== undefined && status >= 500) return 'server';
  return undefined;
}

/** Faults worth another try on a read: everything but an ended session (that needs a login, not patience). */
export function isTransient(error: unknown): boolean {
  const kind = faultKind(error);
  return kind !== undefined && kind !== 'session';
}

const ERROR_KEYS: Record<FaultKind, string> = {
  'rate-limit': 'error.ApiRequestLimit',
  server: 'error.OrgServerError',
  connection: 'error.OrgConnectionError',
  session: 'error.OrgSessionExpired',
};

/**
 * The named error for a fault (`ApiRequestLimitError`, `OrgServerError`, `OrgConnectionError`,
 * `OrgSessionExpiredError`), with what to do; the original error is kept as the cause. Anything else,
 * including errors that are already named SfErrors of ours, is returned as it is.
 */
export function nameOrgFault(error: unknown, operation: string): unknown {
  const kind = faultKind(error);
  if (!kind || namedKind(error)) return error;
  const detail = keepErrorIds(error instanceof Error ? error.message.split('\n')[0] : String(error));
  // No cause attached: sf reads an ErrorId in the cause chain as a Salesforce internal error (exit 20) and a
  // TypeError there (fetch's dropped connection) as a bug (exit 10); a named fault exits 1.
  const named = messages.createError(ERROR_KEYS[kind], [operation, detail], [], 1);
  named.setData({ operation, kind, original: error instanceof Error ? error.name : undefined, ...statusData(error) });
  return named;
}

function statusData(error: unknown): { status?: number } {
  const status = statusOf(error);
  return status === undefined ? {} : { status };
}

/**
 * Salesforce's ErrorId ("1234567890-12345 (-1234567890)") kept for support, written so that sf does not take
 * the named error for an unhandled Salesforce internal error (which it exits with 20).
 */
export function keepErrorIds(text: string): string {
  return text.replace(/(\d{9,}-\d{3,}) \((-?\d{7,})\)/g, '$1 / $2');
}

export type RetryOptions = {
  /** Tries in all, the first included (default 4). */
  attempts?: number;
  /** Pause before the second try; doubles after each (default 1 s). */
  baseMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (message: string) => void;
};

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The first pause of a retry when the caller gives none: 1 s, or `SF_ANZENNA_RETRY_BASE_MS` (TEST-ONLY: the
 * fault matrix runs the CLI in child processes and sets it to a few milliseconds so no test waits seconds).
 */
export function defaultBaseMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SF_ANZENNA_RETRY_BASE_MS?.trim();
  const fromEnv = raw ? Number(raw) : NaN;
  return Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : 1000;
}

/**
 * Runs a read (a query, readMetadata, listMetadata, a deploy or retrieve status check) and tries it again on a
 * transient fault, with a bounded backoff; what still fails is thrown as the named error. Never wrap a write.
 */
export async function retryRead<T>(operation: string, read: () => PromiseLike<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const sleep = options.sleep ?? realSleep;
  let pause = options.baseMs ?? defaultBaseMs();
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw nameOrgFault(error, operation);
      options.onRetry?.(messages.getMessage('info.Retrying', [operation, faultKind(error) ?? '', Math.ceil(pause / 1000)]));
      await sleep(pause);
      pause *= 2;
    }
  }
}

/** Names a fault of a write (never retried: it may have been applied); re-throws everything else unchanged. */
export async function nameWriteFaults<T>(operation: string, write: () => PromiseLike<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw nameOrgFault(error, operation);
  }
}


/**
 * A SOQL query (a REST GET): jsforce has already tried it again on a 429, a 5xx or a dropped connection (five
 * times over about 15 s), so it is tried once here and what is left is named (`ApiRequestLimitError`, …).
 */
export async function queryRecords<T extends Record<string, unknown>>(conn: Connection, soql: string): Promise<T[]> {
  return (await retryRead('query', () => conn.query<T>(soql), { attempts: 1 })).records;
}
