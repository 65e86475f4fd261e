/**
 * EventLogFile records and their CSV content. Content is generated deterministically from a
 * per-file seed, so a file of any size can be streamed without ever being held in memory, and
 * its exact byte length (LogFileLength) is known up front: rows repeat a cached block of
 * R distinct rows whose only changing parts are fixed-width timestamps.
 */
import { Readable } from 'node:stream';
import { to15 } from './ids.js';
import type { OrgState, SRecord } from './org-state.js';
import { DAY_MS, HOUR_MS, hash32, prng, sfDateTime, startOfUtcDay } from './util.js';

/** The event types the Anzenna guide reads. */
export const ANZENNA_EVENT_TYPES = ['Login', 'LoginAs', 'Logout', 'URI', 'API', 'ApexExecution', 'Report', 'Dashboard'] as const;
/** Free event types (no add-on) that we seed. */
export const FREE_EVENT_TYPES = ['Login', 'Logout', 'ApiTotalUsage'] as const;
/** All free types per the Object Reference (the rest are add-on only). */
export const FREE_EVENT_TYPE_SET = new Set([
  'ApexUnexpectedException', 'ApiTotalUsage', 'CorsViolation', 'CspViolation', 'HostnameRedirects', 'InsecureExternalAssets', 'Login', 'Logout',
]);

const COMMON = ['EVENT_TYPE', 'TIMESTAMP', 'REQUEST_ID', 'ORGANIZATION_ID', 'USER_ID', 'RUN_TIME', 'CPU_TIME', 'URI', 'SESSION_KEY', 'LOGIN_KEY', 'USER_TYPE', 'REQUEST_STATUS', 'DB_TOTAL_TIME'];
/** The first ten columns every captured header starts with. */
const HEAD = ['EVENT_TYPE', 'TIMESTAMP', 'REQUEST_ID', 'ORGANIZATION_ID', 'USER_ID', 'RUN_TIME', 'CPU_TIME', 'URI', 'SESSION_KEY', 'LOGIN_KEY'];

/**
 * CSV header fields per event type, in file order. Where a public capture exists the columns, their order
 * and the value shapes follow it (see CAPTURED and emulator/README.md); the other types keep our own list
 * (after the EventLogFile supported-event-types pages), marked UNVERIFIED there.
 */
export const EVENT_FIELDS: Record<string, string[]> = {
  // elastic/beats x-pack/filebeat/input/salesforce/input_test.go (a 2023 Login file, header and rows).
  Login: [...COMMON, 'LOGIN_TYPE', 'BROWSER_TYPE', 'API_TYPE', 'API_VERSION', 'USER_NAME', 'TLS_PROTOCOL', 'CIPHER_SUITE', 'AUTHENTICATION_METHOD_REFERENCE', 'LOGIN_SUB_TYPE', 'TIMESTAMP_DERIVED', 'USER_ID_DERIVED', 'CLIENT_IP', 'URI_ID_DERIVED', 'LOGIN_STATUS', 'SOURCE_IP'],
  // panther-labs/panther-docs (Salesforce.LoginAs CSV columns); DELEGATED_USER_ID_DERIVED as in the Object Reference.
  LoginAs: [...HEAD, 'DELEGATED_USER_NAME', 'DELEGATED_USER_ID', 'TIMESTAMP_DERIVED', 'USER_ID_DERIVED', 'CLIENT_IP', 'URI_ID_DERIVED', 'DELEGATED_USER_ID_DERIVED'],
  // elastic/integrations packages/salesforce/data_stream/logout/_dev/test/pipeline/test-logout-eventlogfile.log
  // (field order as captured) = panther-labs/panther-docs (Salesforce.Logout CSV columns).
  Logout: ['EVENT_TYPE', 'TIMESTAMP', 'REQUEST_ID', 'ORGANIZATION_ID', 'USER_ID', 'USER_TYPE', 'SESSION_TYPE', 'SESSION_LEVEL', 'BROWSER_TYPE', 'PLATFORM_TYPE', 'RESOLUTION_TYPE', 'APP_TYPE', 'CLIENT_VERSION', 'API_TYPE', 'API_VERSION', 'USER_INITIATED_LOGOUT', 'SESSION_KEY', 'LOGIN_KEY', 'TIMESTAMP_DERIVED', 'USER_ID_DERIVED', 'CLIENT_IP'],
  // panther-labs/panther-docs (Salesforce.URI CSV columns).
  URI: [...HEAD, 'REQUEST_STATUS', 'DB_TOTAL_TIME', 'DB_BLOCKS', 'DB_CPU_TIME', 'REFERRER_URI', 'TIMESTAMP_DERIVED', 'USER_ID_DERIVED', 'CLIENT_IP', 'URI_ID_DERIVED', 'USER_TYPE'],
  // UNVERIFIED: ours.
  API: [...COMMON, 'API_TYPE', 'API_VERSION', 'CLIENT_NAME', 'METHOD_NAME', 'ENTITY_NAME', 'ROWS_PROCESSED', 'REQUEST_SIZE', 'RESPONSE_SIZE', 'TIMESTAMP_DERIVED', 'USER_ID_DERIVED', 'CLIENT_IP', 'URI_ID_DERIVED'],
  // The field set of elastic/integrations packages/salesforce/data_stream/apex/_dev/test/pipeline/test-apex.log
  // (a JSON capture: no column order). UNVERIFIED: the order after the ten common columns.
  ApexExecution: [...HEAD, 'CALLOUT_TIME', 'DB_TOTAL_TIME', 'ENTRY_POINT', 'EXEC_TIME', 'IS_LONG_RUNNING_REQUEST', 'NUMBER_SOQL_QUERIES', 'QUIDDITY', 'TIMESTAMP_DERIVED', 'USER_ID_DERIVED', 'CLIENT_IP', 'URI_ID_DERIVED'],
  // UNVERIFIED: ours.
  Report: [...COMMON, 'ENTITY_NAME', 'DISPLAY_TYPE', 'RENDERING_TYPE', 'REPORT_ID', 'ROW_COUNT', 'NUMBER_EXCEPTION_FILTERS', 'NUMBER_COLUMNS', 'AVERAGE_ROW_SIZE', 'SORT', 'DB_BLOCKS', 'DB_CPU_TIME', 'NUMBER_BUCKETS', 'TIMESTAMP_DERIVED', 'USER_ID_DERIVED', 'CLIENT_IP', 'URI_ID_DERIVED', 'REPORT_ID_DERIVED'],
  // UNVERIFIED: ours.
  Dashboard: [...COMMON, 'DASHBOARD_ID', 'DASHBOARD_COMPONENT_ID', 'DASHBOARD_TYPE', 'IS_SCHEDULED', 'IS_MOBILE', 'TIMESTAMP_DERIVED', 'USER_ID_DERIVED', 'DASHBOARD_ID_DERIVED', 'DASHBOARD_COMPONENT_ID_DERIVED', 'URI_ID_DERIVED'],
  // UNVERIFIED: ours.
  ApiTotalUsage: ['EVENT_TYPE', 'TIMESTAMP', 'TIMESTAMP_DERIVED', 'ORGANIZATION_ID', 'USER_ID', 'USER_ID_DERIVED', 'API_FAMILY', 'API_VERSION', 'API_RESOURCE', 'CLIENT_NAME', 'CONNECTED_APP_ID', 'ENTITY_NAME', 'HTTP_METHOD', 'CLIENT_IP', 'REQUEST_ID', 'COUNTS_AGAINST_API_LIMIT', 'STATUS_CODE', 'UNIQUE_ID'],
};

/** Event types whose columns (set and order) come from a public capture. */
export const CAPTURED_EVENT_TYPES = ['Login', 'LoginAs', 'Logout', 'URI'] as const;

const NUMBER_FIELDS = new Set([
  'RUN_TIME', 'CPU_TIME', 'DB_TOTAL_TIME', 'DB_BLOCKS', 'DB_CPU_TIME', 'ROWS_PROCESSED', 'REQUEST_SIZE', 'RESPONSE_SIZE', 'CALLOUT_TIME', 'EXEC_TIME',
  'NUMBER_SOQL_QUERIES', 'ROW_COUNT', 'NUMBER_EXCEPTION_FILTERS', 'NUMBER_COLUMNS', 'AVERAGE_ROW_SIZE', 'NUMBER_BUCKETS', 'STATUS_CODE', 'APP_TYPE',
  'CLIENT_VERSION', 'PLATFORM_TYPE', 'RESOLUTION_TYPE', 'USER_INITIATED_LOGOUT',
]);
const ID_FIELDS = new Set([
  'ORGANIZATION_ID', 'USER_ID', 'USER_ID_DERIVED', 'URI_ID_DERIVED', 'DELEGATED_USER_ID', 'DELEGATED_ORGANIZATION_ID', 'REPORT_ID', 'REPORT_ID_DERIVED',
  'DASHBOARD_ID', 'DASHBOARD_COMPONENT_ID', 'DASHBOARD_ID_DERIVED', 'DASHBOARD_COMPONENT_ID_DERIVED', 'CONNECTED_APP_ID', 'DELEGATED_USER_ID_DERIVED',
]);

export function fieldType(name: string): string {
  if (name === 'TIMESTAMP_DERIVED') return 'DateTime';
  if (name === 'CLIENT_IP' || name === 'SOURCE_IP') return 'IP';
  if (name === 'IS_SCHEDULED' || name === 'IS_MOBILE' || name === 'IS_LONG_RUNNING_REQUEST' || name === 'COUNTS_AGAINST_API_LIMIT') return 'Boolean';
  if (NUMBER_FIELDS.has(name)) return 'Number';
  if (ID_FIELDS.has(name)) return 'Id';
  return 'String';
}

export interface LogUser {
  id: string;
  username: string;
}

/** Everything needed to regenerate one file's content. */
export interface LogSpec {
  id: string;
  eventType: string;
  fields: string[];
  rowCount: number;
  startMs: number;
  spanMs: number;
  seed: number;
  orgId: string;
  /** The org's API version (Logout's API_VERSION). */
  apiVersion?: string;
  users: LogUser[];
  headerLength: number;
  totalLength: number;
}

/** Rows repeat in a block of this many distinct rows. */
const BLOCK_ROWS = 768;

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const pick = <T>(rnd: () => number, pool: readonly T[]): T => pool[Math.floor(rnd() * pool.length)];
const chars = (rnd: () => number, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += B62.charAt(Math.floor(rnd() * 62));
  return s;
};
const int = (rnd: () => number, lo: number, hi: number): string => String(lo + Math.floor(rnd() * (hi - lo + 1)));
const ip = (rnd: () => number): string => `${int(rnd, 11, 223)}.${int(rnd, 0, 255)}.${int(rnd, 0, 255)}.${int(rnd, 1, 254)}`;
const fakeId = (rnd: () => number, prefix: string): string => `${prefix}5g000000${chars(rnd, 4)}`;
const KEY_CHARS = `${B62}/+`;
/** A 16-character session or login key as captured (`bY5Wfv8t/Ith7WVE`). */
const key16 = (rnd: () => number): string => {
  let k = '';
  for (let i = 0; i < 16; i++) k += KEY_CHARS.charAt(Math.floor(rnd() * KEY_CHARS.length));
  return k;
};
/** A request Id as captured (`4u6LyuMrDvb_G-l1cJIQk-`): 22 characters with `-` and `_`. */
const requestId = (rnd: () => number): string => `4${chars(rnd, 8)}${pick(rnd, ['_', '-', 'V'])}${pick(rnd, ['G', 'l'])}-l1cJ${chars(rnd, 5)}${pick(rnd, ['-', 'V', 'k'])}`;
/** CLIENT_IP: an address, or "Salesforce.com IP" for a request from Salesforce's own network (as captured). */
const clientIp = (rnd: () => number): string => (rnd() < 0.3 ? 'Salesforce.com IP' : ip(rnd));

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'SFDC-Callout/66.0',
  'sfdx toolbelt:',
];
const PAGES = ['/lightning/page/home', '/lightning/o/Account/list', '/lightning/r/Account/0015g00000AbCdE/view', '/lightning/setup/SetupOneHome/home', '/apex/InvoiceView', '/lightning/o/Report/home'];
const ENTITIES = ['Account', 'Contact', 'Opportunity', 'Lead', 'Case', 'User'];

function timestampText(ms: number): string {
  const d = new Date(ms).toISOString(); // 2024-01-01T00:00:00.000Z
  return `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(11, 13)}${d.slice(14, 16)}${d.slice(17, 19)}.${d.slice(20, 23)}`;
}

interface CachedRow {
  text: string;
  /** Character offsets of TIMESTAMP and TIMESTAMP_DERIVED values (-1 if absent). */
  tsOffset: number;
  tsdOffset: number;
}

/** Per-row choices several columns must agree on. */
interface RowContext {
  user: LogUser;
  other: LogUser;
  /** Login: an OAuth token-endpoint login (the JWT bearer flow) rather than a browser login. */
  oauth: boolean;
}

/** Columns whose values follow the captures (see EVENT_FIELDS); undefined: no capture for this column. */
function capturedValue(field: string, spec: LogSpec, rnd: () => number, row: RowContext): string | undefined {
  const e = spec.eventType;
  switch (field) {
    case 'REQUEST_ID': return requestId(rnd);
    case 'SESSION_KEY': return e === 'Login' ? '' : key16(rnd);
    case 'LOGIN_KEY': return key16(rnd);
    case 'CLIENT_IP': return clientIp(rnd);
    case 'USER_TYPE': return e === 'Logout' ? pick(rnd, ['S', 'X']) : 'Standard';
    default: break;
  }
  if (e === 'Login') {
    switch (field) {
      case 'URI': return row.oauth ? '/services/oauth2/token' : '/index.jsp';
      // 'i' is captured for a /services/oauth2/token login; UNVERIFIED: 'A' (Application) for a browser login.
      case 'LOGIN_TYPE': return row.oauth ? 'i' : 'A';
      case 'REQUEST_STATUS': return '';
      case 'BROWSER_TYPE': return row.oauth ? 'Go-http-client/1.1' : BROWSERS[0];
      case 'API_TYPE': return '';
      case 'API_VERSION': return '9998.0';
      case 'TLS_PROTOCOL': return 'TLSv1.2';
      case 'CIPHER_SUITE': return 'ECDHE-RSA-AES256-GCM-SHA384';
      case 'AUTHENTICATION_METHOD_REFERENCE':
      case 'LOGIN_SUB_TYPE':
      case 'URI_ID_DERIVED': return '';
      default: return undefined;
    }
  }
  if (e === 'Logout') {
    switch (field) {
      // Session type codes (panther-labs/panther-docs): A API, I APIOnlyUser, O Oauth2, U UI, C Content (captured).
      case 'SESSION_TYPE': return pick(rnd, ['U', 'U', 'O', 'A', 'C']);
      // 1 Standard Session, 2 High-Assurance Session (captured: 1).
      case 'SESSION_LEVEL': return pick(rnd, ['1', '1', '1', '2']);
      case 'PLATFORM_TYPE': return pick(rnd, ['1015', '1000', '2003']);
      case 'RESOLUTION_TYPE': return '9999';
      case 'APP_TYPE': return pick(rnd, ['1000', '1007', '2514']);
      case 'CLIENT_VERSION': return '9998';
      case 'API_TYPE': return pick(rnd, ['fo', '']);
      case 'API_VERSION': return `${spec.apiVersion ?? '66.0'}`;
      default: return undefined;
    }
  }
  if (e === 'LoginAs' && field === 'DELEGATED_USER_ID_DERIVED') return row.other.id;
  return undefined;
}

function value(field: string, spec: LogSpec, rnd: () => number, row: RowContext): string {
  const captured = capturedValue(field, spec, rnd, row);
  if (captured !== undefined) return captured;
  const { user, other } = row;
  const e = spec.eventType;
  switch (field) {
    case 'EVENT_TYPE': return e;
    case 'TIMESTAMP': return '00000000000000.000';
    case 'TIMESTAMP_DERIVED': return '0000-00-00T00:00:00.000Z';
    case 'ORGANIZATION_ID': return to15(spec.orgId);
    case 'USER_ID': return to15(user.id);
    case 'USER_ID_DERIVED': return user.id;
    case 'USER_NAME': return user.username;
    case 'RUN_TIME': return int(rnd, 5, 2500);
    case 'CPU_TIME': return int(rnd, 0, 900);
    case 'DB_TOTAL_TIME': return int(rnd, 1_000_000, 900_000_000);
    case 'DB_BLOCKS': return int(rnd, 0, 5000);
    case 'DB_CPU_TIME': return int(rnd, 0, 400);
    case 'URI':
      if (e === 'Login') return pick(rnd, ['/index.jsp', '/services/oauth2/token', '/services/Soap/u/66.0']);
      if (e === 'API') return pick(rnd, ['/services/Soap/u/66.0', '/services/Soap/m/66.0', '/services/Soap/c/66.0']);
      if (e === 'Report') return pick(rnd, ['/00O5g000004AbCd', '/lightning/r/Report/00O5g000004AbCd/view']);
      if (e === 'Dashboard') return pick(rnd, ['/01Z5g000000XyZa', '/lightning/r/Dashboard/01Z5g000000XyZa/view']);
      if (e === 'ApexExecution') return pick(rnd, ['TRIGGERS', '/apex/InvoiceView', '/services/apexrest/orders']);
      return pick(rnd, PAGES);
    case 'URI_ID_DERIVED': return e === 'URI' ? fakeId(rnd, '001') : '';
    case 'REQUEST_STATUS': return pick(rnd, ['S', 'S', 'S', 'S', 'F', 'A', 'R']);
    case 'LOGIN_STATUS': return pick(rnd, ['LOGIN_NO_ERROR', 'LOGIN_NO_ERROR', 'LOGIN_NO_ERROR', 'LOGIN_ERROR_INVALID_PASSWORD', 'LOGIN_ERROR_API_TOO_MANY_REQUESTS']);
    case 'LOGIN_TYPE': return pick(rnd, ['Application', 'Remote Access 2.0', 'Partner Product', 'SAML Idp Initiated SSO']);
    case 'SOURCE_IP': return ip(rnd);
    case 'BROWSER_TYPE': return pick(rnd, BROWSERS);
    case 'API_TYPE': return pick(rnd, ['E', 'P', 'R', 'M']);
    case 'API_VERSION': return '66.0';
    case 'TLS_PROTOCOL': return pick(rnd, ['TLSv1.2', 'TLSv1.3']);
    case 'CIPHER_SUITE': return pick(rnd, ['TLS_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384']);
    case 'DELEGATED_USER_ID': return to15(other.id);
    case 'DELEGATED_USER_NAME': return other.username;
    case 'DELEGATED_ORGANIZATION_ID': return to15(spec.orgId);
    case 'SESSION_LEVEL': return pick(rnd, ['STANDARD', 'HIGH_ASSURANCE']);
    case 'USER_INITIATED_LOGOUT': return pick(rnd, ['0', '1']);
    case 'APP_TYPE': return pick(rnd, ['1000', '1007', '1014']);
    case 'CLIENT_VERSION': return '9998';
    case 'PLATFORM_TYPE': return pick(rnd, ['1015', '2003', '4006']);
    case 'RESOLUTION_TYPE': return pick(rnd, ['1920', '1440', '2560']);
    case 'REFERRER_URI': return pick(rnd, ['', ...PAGES]);
    case 'CLIENT_NAME': return pick(rnd, ['', 'Workbench', 'DataLoader', 'sfdx toolbelt', 'Anzenna']);
    case 'METHOD_NAME': return pick(rnd, ['query', 'queryMore', 'describeSObjects', 'create', 'update', 'retrieve']);
    case 'ENTITY_NAME': return pick(rnd, ENTITIES);
    case 'ROWS_PROCESSED': return int(rnd, 0, 2000);
    case 'REQUEST_SIZE': return int(rnd, 100, 9000);
    case 'RESPONSE_SIZE': return int(rnd, 100, 90000);
    case 'CALLOUT_TIME': return int(rnd, 0, 300);
    case 'ENTRY_POINT': return pick(rnd, ['AccountTrigger', 'VF- /apex/InvoiceView', 'OrderRestResource', 'BatchCleanup']);
    case 'EXEC_TIME': return int(rnd, 1, 5000);
    case 'IS_LONG_RUNNING_REQUEST': return pick(rnd, ['0', '0', '0', '1']);
    case 'NUMBER_SOQL_QUERIES': return int(rnd, 0, 60);
    case 'QUIDDITY': return pick(rnd, ['A', 'R', 'V', 'W', 'B']);
    case 'DISPLAY_TYPE': return pick(rnd, ['D', 'H', 'S', 'T']);
    case 'RENDERING_TYPE': return pick(rnd, ['W', 'E', 'P', 'J']);
    case 'REPORT_ID': return '00O5g000004AbCd';
    case 'REPORT_ID_DERIVED': return '00O5g000004AbCdEAK';
    case 'ROW_COUNT': return int(rnd, 0, 50000);
    case 'NUMBER_EXCEPTION_FILTERS': return int(rnd, 0, 3);
    case 'NUMBER_COLUMNS': return int(rnd, 1, 30);
    case 'AVERAGE_ROW_SIZE': return int(rnd, 10, 900);
    case 'SORT': return pick(rnd, ['', 'Account.Name ASC', 'CreatedDate DESC']);
    case 'NUMBER_BUCKETS': return int(rnd, 0, 5);
    case 'DASHBOARD_ID': return '01Z5g000000XyZa';
    case 'DASHBOARD_ID_DERIVED': return '01Z5g000000XyZaEAK';
    case 'DASHBOARD_COMPONENT_ID': return pick(rnd, ['01a5g000001Qw1A', '01a5g000001Qw1B']);
    case 'DASHBOARD_COMPONENT_ID_DERIVED': return pick(rnd, ['01a5g000001Qw1AAAS', '01a5g000001Qw1BAAS']);
    case 'DASHBOARD_TYPE': return pick(rnd, ['R', 'S', 'D']);
    case 'IS_SCHEDULED':
    case 'IS_MOBILE': return pick(rnd, ['0', '0', '1']);
    case 'API_FAMILY': return pick(rnd, ['REST', 'SOAP', 'Bulk API 2.0']);
    case 'API_RESOURCE': return pick(rnd, ['/v66.0/query', '/v66.0/sobjects/Account', '/v66.0/sobjects/EventLogFile']);
    case 'CONNECTED_APP_ID': return pick(rnd, ['', '0H45g000000AbCd']);
    case 'HTTP_METHOD': return pick(rnd, ['GET', 'GET', 'POST', 'PATCH']);
    case 'COUNTS_AGAINST_API_LIMIT': return pick(rnd, ['true', 'true', 'false']);
    case 'STATUS_CODE': return pick(rnd, ['200', '200', '200', '201', '400', '401']);
    case 'UNIQUE_ID': return chars(rnd, 24);
    default: return '';
  }
}

function headerText(fields: string[]): string {
  return `${fields.map((f) => `"${f}"`).join(',')}\n`;
}

function buildRow(spec: LogSpec, i: number): CachedRow {
  const rnd = prng((spec.seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  const user = spec.users[Math.floor(rnd() * spec.users.length)];
  const other = spec.users[Math.floor(rnd() * spec.users.length)];
  const row: RowContext = { user, other, oauth: rnd() < 0.6 };
  let text = '';
  let tsOffset = -1;
  let tsdOffset = -1;
  spec.fields.forEach((field, idx) => {
    if (idx > 0) text += ',';
    text += '"';
    if (field === 'TIMESTAMP') tsOffset = text.length;
    if (field === 'TIMESTAMP_DERIVED') tsdOffset = text.length;
    text += value(field, spec, rnd, row);
    text += '"';
  });
  return { text: `${text}\n`, tsOffset, tsdOffset };
}

function buildBlock(spec: LogSpec, rows: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < rows; i++) out.push(Buffer.from(buildRow(spec, i).text, 'utf8'));
  return out;
}

/** Computes the exact byte length of a file with the given row count. */
function computeLength(spec: LogSpec, block: Buffer[]): number {
  const r = block.length;
  if (r === 0) return spec.headerLength;
  let blockSum = 0;
  for (const b of block) blockSum += b.length;
  const full = Math.floor(spec.rowCount / r);
  let rest = 0;
  for (let i = 0; i < spec.rowCount % r; i++) rest += block[i].length;
  return spec.headerLength + full * blockSum + rest;
}

export function makeLogSpec(init: Omit<LogSpec, 'fields' | 'headerLength' | 'totalLength'> & { targetBytes?: number }): LogSpec {
  const fields = EVENT_FIELDS[init.eventType] ?? EVENT_FIELDS.API;
  const spec: LogSpec = { ...init, fields, headerLength: Buffer.byteLength(headerText(fields)), totalLength: 0 };
  delete (spec as { targetBytes?: number }).targetBytes;
  if (init.targetBytes !== undefined) {
    const probe = buildBlock(spec, BLOCK_ROWS);
    const avg = probe.reduce((n, b) => n + b.length, 0) / probe.length;
    spec.rowCount = Math.max(1, Math.round((init.targetBytes - spec.headerLength) / avg));
    spec.totalLength = computeLength(spec, probe);
    return spec;
  }
  spec.totalLength = computeLength(spec, buildBlock(spec, Math.min(spec.rowCount, BLOCK_ROWS)));
  return spec;
}

/** A Readable that produces the file's CSV bytes on the fly. */
export function logFileStream(spec: LogSpec): Readable {
  const blockSize = Math.min(spec.rowCount, BLOCK_ROWS);
  let block: CachedRow[] | undefined;
  let next = -1; // -1 = header not yet sent
  const rowsPerChunk = 512;
  return new Readable({
    highWaterMark: 256 * 1024,
    read() {
      if (next === -1) {
        next = 0;
        this.push(Buffer.from(headerText(spec.fields), 'utf8'));
        return;
      }
      if (next >= spec.rowCount) {
        this.push(null);
        return;
      }
      if (!block) {
        block = [];
        for (let i = 0; i < blockSize; i++) block.push(buildRow(spec, i));
      }
      const end = Math.min(spec.rowCount, next + rowsPerChunk);
      const parts: string[] = [];
      for (let i = next; i < end; i++) {
        const row = block[i % blockSize];
        const ms = spec.startMs + Math.floor((i * spec.spanMs) / spec.rowCount);
        let text = row.text;
        if (row.tsOffset >= 0) text = text.slice(0, row.tsOffset) + timestampText(ms) + text.slice(row.tsOffset + 18);
        if (row.tsdOffset >= 0) text = text.slice(0, row.tsdOffset) + new Date(ms).toISOString() + text.slice(row.tsdOffset + 24);
        parts.push(text);
      }
      next = end;
      this.push(Buffer.from(parts.join(''), 'utf8'));
    },
  });
}

/** Log file specs by record Id (kept beside the OrgState, never in the records). */
export class EventLogStore {
  public readonly specs = new Map<string, LogSpec>();

  public constructor(private readonly state: OrgState) {}

  public users(): LogUser[] {
    return this.state
      .table('User')
      .filter((u) => u.IsActive === true)
      .map((u) => ({ id: u.Id, username: String(u.Username) }));
  }

  /**
   * Adds one EventLogFile record. Either rows (row count) or sizeBytes (approximate target size;
   * the exact LogFileLength is reported on the record) may be given.
   */
  public add(options: { eventType: string; logDate: number; interval?: 'Daily' | 'Hourly'; sequence?: number; rows?: number; sizeBytes?: number; createdDate?: number }): SRecord {
    const interval = options.interval ?? 'Daily';
    const id = this.state.ids.next('0AT');
    const spanMs = interval === 'Daily' ? DAY_MS : HOUR_MS;
    const seed = hash32(`${id}|${options.eventType}|${options.logDate}`);
    const spec = makeLogSpec({
      id,
      eventType: options.eventType,
      rowCount: options.rows ?? 5 + (seed % 40),
      startMs: options.logDate,
      spanMs,
      seed,
      orgId: this.state.orgId,
      apiVersion: this.state.apiVersion,
      users: this.users(),
      targetBytes: options.sizeBytes,
    });
    this.specs.set(id, spec);
    const created = options.createdDate ?? options.logDate + spanMs + 2 * 3600_000 + (seed % 3600) * 1000;
    const rec: SRecord = {
      Id: id,
      EventType: options.eventType,
      LogDate: sfDateTime(options.logDate),
      LogFileLength: spec.totalLength,
      LogFile: null,
      LogFileContentType: 'CSV',
      LogFileFieldNames: spec.fields.join(','),
      LogFileFieldTypes: spec.fields.map(fieldType).join(','),
      Interval: interval,
      Sequence: options.sequence ?? (interval === 'Daily' ? 0 : 1),
      ApiVersion: Number(this.state.apiVersion),
      IsDeleted: false,
      CreatedDate: sfDateTime(created),
      CreatedById: this.state.adminUserId,
      LastModifiedDate: sfDateTime(created),
      LastModifiedById: this.state.adminUserId,
      SystemModstamp: sfDateTime(created),
    };
    this.state.table('EventLogFile').push(rec);
    return rec;
  }

  /** Seeds daily (and, with the add-on, hourly) files for the edition's event types and retention. */
  public seed(now = Date.now()): void {
    const e = this.state.editionInfo;
    if (!e.eventLogFiles) return;
    const types: readonly string[] = e.freeTypesOnly ? FREE_EVENT_TYPES : [...ANZENNA_EVENT_TYPES, 'ApiTotalUsage'];
    const today = startOfUtcDay(now);
    for (let d = e.retentionDays; d >= 1; d--) {
      for (const t of types) this.add({ eventType: t, logDate: today - d * DAY_MS, interval: 'Daily' });
    }
    if (e.hourly) {
      const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
      for (let h = 24; h >= 2; h--) {
        const start = hour - h * HOUR_MS;
        for (const t of ANZENNA_EVENT_TYPES) {
          this.add({ eventType: t, logDate: start, interval: 'Hourly', sequence: new Date(start).getUTCHours() + 1, createdDate: start + HOUR_MS + 15 * 60_000 });
        }
      }
    }
  }

  /** Whether the edition produces this kind of file at all (queries only see those). */
  public visible(rec: SRecord, now = Date.now()): boolean {
    const e = this.state.editionInfo;
    if (!e.eventLogFiles) return false;
    if (e.freeTypesOnly && !FREE_EVENT_TYPE_SET.has(String(rec.EventType))) return false;
    if (!e.hourly && rec.Interval === 'Hourly') return false;
    return Date.parse(String(rec.LogDate).replace('+0000', 'Z')) >= startOfUtcDay(now) - Math.max(e.retentionDays, 1) * DAY_MS - DAY_MS;
  }
}
