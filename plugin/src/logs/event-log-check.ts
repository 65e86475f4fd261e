/**
 * The EventLogFile part of the proof: which of the vendor's event types have log files (count, newest
 * LogDate, interval), and one log file actually read. Only the CSV header is read and the download is then
 * abandoned, so a 200 MB file costs one round trip and a few kilobytes, not its size.
 */
import type { Connection } from '@jsforce/jsforce-node';
import { Messages, SfError } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.org');

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
      throw new Error(`HTTP ${res.status}${body ? `: ${body}` : ''}`);
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
  return SfError.wrap(error);
}

async function countFiles(conn: Connection, who: string, eventTypes: readonly string[]): Promise<AggregateRow[]> {
  try {
    return (
      await conn.query<AggregateRow>(
        `SELECT EventType, Interval, COUNT(Id), MAX(LogDate) FROM EventLogFile WHERE EventType IN (${quoteList(eventTypes)}) GROUP BY EventType, Interval`
      )
    ).records;
  } catch (error) {
    throw eventLogAccessError(error as Error, who);
  }
}

async function newestFile(conn: Connection, eventTypes: readonly string[]): Promise<FileRow | undefined> {
  return (
    await conn.query<FileRow>(
      `SELECT Id, EventType, LogDate, Interval, LogFileLength, LogFileFieldNames, LogFile FROM EventLogFile WHERE EventType IN (${quoteList(eventTypes)}) ORDER BY LogDate DESC LIMIT 1`
    )
  ).records[0];
}

/** The newest file's header, read and compared with its LogFileFieldNames (the download is abandoned after it). */
async function sampleNewest(conn: Connection, file: FileRow, notes: string[]): Promise<LogFileSample> {
  let line: string;
  let bytesRead: number;
  try {
    ({ line, bytesRead } = await readLogFileHeader(conn, file.LogFile));
  } catch (error) {
    // No cause attached: fetch reports a dropped connection as a TypeError, which sf would turn into exit code 10.
    const e = error as Error & { cause?: Error };
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
export async function checkEventLogs(conn: Connection, who: string, eventTypes: readonly string[] = VENDOR_EVENT_TYPES): Promise<EventLogReport> {
  // The newest file is looked up beside the counts (one round trip less); unused when there are none.
  const [counted, newest] = await Promise.allSettled([countFiles(conn, who, eventTypes), newestFile(conn, eventTypes)]);
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
  if (newest.status === 'rejected') throw eventLogAccessError(newest.reason as Error, who);
  const sample = newest.value ? await sampleNewest(conn, newest.value, notes) : undefined;
  return { types, onlyFreeTypes, hourly, notes, ...(sample ? { sample } : {}) };
}
