/**
 * The EventLogFile part of the proof: which of the vendor's event types have log files (count, newest
 * LogDate, interval), and one log file actually read. Only the CSV header is read and the download is then
 * abandoned, so a 200 MB file costs one round trip and a few kilobytes, not its size.
 */
import type { Connection } from '@jsforce/jsforce-node';
import { Messages, SfError } from '@salesforce/core';
import { faultKind, nameOrgFault, queryRecords, retryRead } from '../faults/org-faults.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.org');
const faultMessages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.faults');

/**
 * How long a new org (or a new event type) can wait for its first files. Salesforce's REST API guide now says
 * event log files "can be created within three days" (it used to say 24 hours): field-update-2026-12.md.
 */
export const FIRST_FILES_DELAY = messages.getMessage('info.firstFilesDelay');

/** The log types the Anzenna guide lists. */
export const VENDOR_EVENT_TYPES = ['Login', 'LoginAs', 'Logout', 'URI', 'API', 'ApexExecution', 'Report', 'Dashboard'] as const;

/** Event types every edition with Event Monitoring gets at no extra cost (Object Reference, EventLogFile supported event types). */
export const FREE_EVENT_TYPES = [
  'ApexUnexpectedException',
  'ApiTotalUsage',
  'CorsViolation',
  'CspViolation',
  'HostnameRedirects',
  'InsecureExternalAssets',
  'Login',
  'Logout',
] as const;

export type EventTypeSummary = {
  eventType: string;
  files: number;
  newestLogDate?: string;
  intervals: string[];
  free: boolean;
};

export type LogFileSample = {
  id: string;
  eventType: string;
  logDate: string;
  interval: string;
  length: number;
  headerMatches: boolean;
  columns: number;
  bytesRead: number;
};

export type EventLogReport = {
  types: EventTypeSummary[];
  sample?: LogFileSample;
  /** Only free types have files (no add-on, or none of its logs generated yet). */
  onlyFreeTypes: boolean;
  hourly: boolean;
  notes: string[];
};

type AggregateRow = { EventType: string; Interval: string; expr0: number; expr1: string | null };
type FileRow = {
  Id: string;
  EventType: string;
  LogDate: string;
  Interval: string;
  LogFileLength: number;
  LogFileFieldNames: string;
  LogFile: string;
};

const quoteList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

export function parseCsvHeader(line: string): string[] {
  return line
    .replace(/\r$/, '')
    .split(',')
    .map((c) => c.trim().replace(/^"|"$/g, ''));
}

/**
 * Reads a log file up to its first line break (or `limit` bytes), then aborts the download: the rest of
 * the file is never transferred or buffered, whatever its size. A plain fetch with the session's token,
 * because jsforce's request buffers the whole body even when streamed.
 */
export async function readLogFileHeader(
  conn: Pick<Connection, 'instanceUrl' | 'accessToken'>,
  path: string,
  limit = 64 * 1024
): Promise<{ line: string; bytesRead: number }> {
  const abort = new AbortController();
  try {
    const res = await fetch(new URL(path, conn.instanceUrl), {
      headers: { Authorization: `Bearer ${conn.accessToken ?? ''}`, 'Accept-Encoding': 'gzip' },
      signal: abort.signal,
    });
    if (!res.ok || !res.body) {
      const body = (await res.text()).slice(0, 200);
      throw Object.assign(new Error(`HTTP ${res.status}${body ? `: ${body}` : ''}`), { status: res.status });
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    let bytesRead = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { line: buffered, bytesRead };
      bytesRead += value.byteLength;
      buffered += decoder.decode(value, { stream: true });
      const newline = buffered.indexOf('\n');
      if (newline >= 0) return { line: buffered.slice(0, newline), bytesRead };
      if (bytesRead >= limit) return { line: buffered, bytesRead };
    }
  } finally {
    abort.abort();
  }
}

export function summarise(rows: AggregateRow[], eventTypes: readonly string[]): EventTypeSummary[] {
  return eventTypes.map((eventType) => {
    const mine = rows.filter((r) => r.EventType === eventType);
    const newest = mine.map((r) => r.expr1).filter((d): d is string => Boolean(d)).sort().pop();
    return {
      eventType,
      files: mine.reduce((sum, r) => sum + Number(r.expr0), 0),
      newestLogDate: newest,
      intervals: [...new Set(mine.map((r) => r.Interval))].sort(),
      free: (FREE_EVENT_TYPES as readonly string[]).includes(eventType),
    };
  });
}

export function eventLogAccessError(error: Error, who: string): SfError {
  if (/INVALID_TYPE|not supported/i.test(`${error.name} ${error.message}`)) {
    return messages.createError('error.EventLogFileNotAvailable', [who, error.message], [who], 1, error);
  }
  const named = nameOrgFault(error, 'query');
  return named instanceof SfError ? named : SfError.wrap(error);
}

/** A read as the integration user, and what to do when its session has ended: log in once more (optional). */
type Reader = <T>(read: () => Promise<T>) => Promise<T>;

function sessionEnded(error: unknown): boolean {
  const e = error as { status?: unknown; data?: { status?: unknown } } | undefined;
  return faultKind(error) === 'session' || e?.status === 401 || e?.data?.status === 401;
}

/**
 * Runs reads; when the org ends the session (a session that expires right after its JWT login), `relogin`
 * (the same JWT login again: we hold the key) runs once, shared by the reads in flight, and the read is tried
 * again. A session that ends again is named (`IntegrationSessionEndedError`).
 */
export function keepSession(who: string, relogin?: () => Promise<void>): Reader {
  let again: Promise<void> | undefined;
  return async <T>(read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      if (!relogin || !sessionEnded(error)) throw error;
      again ??= relogin();
      await again;
      try {
        return await read();
      } catch (second) {
        if (!sessionEnded(second)) throw second;
        throw faultMessages.createError('error.IntegrationSessionEnded', [who], [], 1);
      }
    }
  };
}

async function countFiles(conn: Connection, who: string, eventTypes: readonly string[], keep: Reader): Promise<AggregateRow[]> {
  try {
    return await keep(() =>
      queryRecords<AggregateRow>(conn, `SELECT EventType, Interval, COUNT(Id), MAX(LogDate) FROM EventLogFile WHERE EventType IN (${quoteList(eventTypes)}) GROUP BY EventType, Interval`)
    );
  } catch (error) {
    if (error instanceof SfError && error.name === 'IntegrationSessionEndedError') throw error;
    throw eventLogAccessError(error as Error, who);
  }
}

async function newestFile(conn: Connection, eventTypes: readonly string[], keep: Reader): Promise<FileRow | undefined> {
  const soql = `SELECT Id, EventType, LogDate, Interval, LogFileLength, LogFileFieldNames, LogFile FROM EventLogFile WHERE EventType IN (${quoteList(eventTypes)}) ORDER BY LogDate DESC LIMIT 1`;
  return (await keep(() => queryRecords<FileRow>(conn, soql)))[0];
}

/** The newest file's header, read and compared with its LogFileFieldNames (the download is abandoned after it). */
async function sampleNewest(conn: Connection, file: FileRow, notes: string[], keep: Reader): Promise<LogFileSample> {
  let line: string;
  let bytesRead: number;
  try {
    // A dropped connection or a 5xx is tried again with a backoff (it is a read); an ended session by `keep`.
    ({ line, bytesRead } = await keep(() => retryRead('logFile', () => readLogFileHeader(conn, file.LogFile))));
  } catch (error) {
    if (error instanceof SfError && error.name === 'IntegrationSessionEndedError') throw error;
    // No cause attached: fetch reports a dropped connection as a TypeError, which sf would turn into exit code 10.
    const e = (error instanceof SfError && error.cause instanceof Error ? error.cause : error) as Error & { cause?: Error };
    throw messages.createError('error.LogFileDownload', [file.EventType, file.Id, `${e.message}${e.cause?.message ? ` (${e.cause.message})` : ''}`], [], 1);
  }
  const header = parseCsvHeader(line);
  const expected = parseCsvHeader(file.LogFileFieldNames);
  const headerMatches = header.length === expected.length && header.every((c, i) => c === expected[i]);
  if (!headerMatches) {
    notes.push(`The ${file.EventType} log file's CSV header does not match its LogFileFieldNames; a collector that maps columns by LogFileFieldNames would misread it.`);
  }
  return { id: file.Id, eventType: file.EventType, logDate: file.LogDate, interval: file.Interval, length: Number(file.LogFileLength), headerMatches, columns: header.length, bytesRead };
}

/** Counts files per vendor event type with one aggregate query, then reads the header of the newest file. */
export async function checkEventLogs(
  conn: Connection,
  who: string,
  eventTypes: readonly string[] = VENDOR_EVENT_TYPES,
  /** Logs in again (the same JWT login) when the session ends right after the first one; see keepSession. */
  relogin?: () => Promise<void>
): Promise<EventLogReport> {
  const keep = keepSession(who, relogin);
  // The newest file is looked up beside the counts (one round trip less); unused when there are none.
  const [counted, newest] = await Promise.allSettled([countFiles(conn, who, eventTypes, keep), newestFile(conn, eventTypes, keep)]);
  if (counted.status === 'rejected') throw counted.reason;
  const types = summarise(counted.value, eventTypes);
  const withFiles = types.filter((t) => t.files > 0);
  const notes: string[] = [];
  const onlyFreeTypes = withFiles.length > 0 && withFiles.every((t) => t.free);
  const hourly = types.some((t) => t.intervals.includes('Hourly'));
  if (withFiles.length === 0) {
    notes.push(`No event log files yet: ${FIRST_FILES_DELAY} The query itself works.`);
    return { types, onlyFreeTypes: false, hourly, notes };
  }
  if (onlyFreeTypes) {
    notes.push(
      `Only the free event types have files (${withFiles.map((t) => t.eventType).join(', ')}): ${types.filter((t) => !t.free).map((t) => t.eventType).join(', ')} need the Event Monitoring add-on (or Shield).`
    );
  }
  if (newest.status === 'rejected') throw newest.reason instanceof SfError && newest.reason.name === 'IntegrationSessionEndedError' ? newest.reason : eventLogAccessError(newest.reason as Error, who);
  const sample = newest.value ? await sampleNewest(conn, newest.value, notes, keep) : undefined;
  return { types, onlyFreeTypes, hourly, notes, ...(sample ? { sample } : {}) };
}
