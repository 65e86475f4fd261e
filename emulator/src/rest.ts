/**
 * REST API: /services/data (versions, resources, query/queryAll/paging, tooling query, sObject
 * CRUD/describe, EventLogFile LogFile blobs, OAuth usage/credentials).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { EmulatorContext } from './context.js';
import { createRecord, deleteRecord, updateRecord } from './dml.js';
import { logFileStream } from './event-logs.js';
import { bearerToken, readBody, releaseLabel, sendApiError, sendJson, sendNoContent } from './http-util.js';
import { randomBase62, sameId } from './ids.js';
import type { MetadataComponent, Session, SRecord } from './org-state.js';
import { OBJECTS, findObject, type ObjectDef } from './schema.js';
import { ApiError, invalidType, resolveObject, queryColumns, runQuery, type RecordSource } from './soql.js';
import { sfDateTime } from './util.js';

/** REST error texts. Rows marked UNVERIFIED are our best guess. */
export const REST_ERRORS = {
  invalidSession: 'Session expired or invalid',
  notFound: 'The requested resource does not exist',
  apiDisabledForOrg: 'The REST API is not enabled for this Organization.',
  apiDisabledForUser: 'API is disabled for this User',
  // UNVERIFIED: secret access through the credentials REST API when the org setting is off.
  secretNotEnabled: 'Access to consumer secrets through the REST API is not currently enabled for this org.',
  rateLimit: 'TotalRequests Limit exceeded.',
  invalidLocator: 'invalid query locator',
} as const;

export const MIN_API_VERSION = 31;

/** The request-log operation name of a REST call (refined later by the handlers). */
function guessOperation(method: string, rest: string): string {
  const sub = rest.replace(/^\/tooling/, '');
  if (/^\/query(All)?\/[^/]+$/.test(sub)) return 'queryMore';
  if (sub === '/query') return 'query';
  if (sub === '/queryAll') return 'queryAll';
  if (sub.endsWith('/LogFile')) return 'logFile';
  if (sub.endsWith('/describe')) return 'describe';
  if (sub.startsWith('/apps/oauth')) return /\/tokens(\/|$)/.test(sub) && method === 'DELETE' ? 'revokeTokens' : 'oauthApps';
  if (sub.startsWith('/sobjects')) return method === 'POST' ? 'create' : method === 'PATCH' ? 'update' : method === 'DELETE' ? 'delete' : 'retrieve';
  return 'rest';
}

interface Cursor {
  records: Record<string, unknown>[];
  totalSize: number;
  created: number;
}

export class RestApi {
  private readonly cursors = new Map<string, Cursor>();

  public constructor(private readonly ctx: EmulatorContext) {}

  public versions(): { label: string; url: string; version: string }[] {
    const max = Math.round(Number(this.ctx.state.apiVersion));
    const out = [];
    for (let v = MIN_API_VERSION; v <= max; v++) out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
    return out;
  }

  /** Returns the session or answers 401/403 itself. */
  public authenticate(req: IncomingMessage, res: ServerResponse): Session | undefined {
    const session = this.ctx.state.sessionFor(bearerToken(req));
    if (!session) {
      sendJson(res, 401, [{ message: REST_ERRORS.invalidSession, errorCode: 'INVALID_SESSION_ID' }], { 'www-authenticate': 'Token' });
      return undefined;
    }
    if (!this.ctx.state.apiEnabled) {
      sendApiError(res, new ApiError(403, 'API_DISABLED_FOR_ORG', REST_ERRORS.apiDisabledForOrg));
      return undefined;
    }
    if (!this.ctx.state.effectivePermissions(session.userId).has('ApiEnabled')) {
      sendApiError(res, new ApiError(403, 'API_CURRENTLY_DISABLED', REST_ERRORS.apiDisabledForUser));
      return undefined;
    }
    return session;
  }

  public async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/services/data') {
      sendJson(res, 200, this.versions());
      return;
    }
    const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
    if (!m) {
      sendApiError(res, new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound));
      return;
    }
    const version = m[1];
    const rest = m[2] ?? '';
    const v = Number(version);
    if (v < MIN_API_VERSION || v > Number(this.ctx.state.apiVersion)) {
      sendApiError(res, new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound));
      return;
    }
    if (this.ctx.operation(req, res, guessOperation(req.method ?? 'GET', rest))) return;
    const session = this.authenticate(req, res);
    if (!session) return;
    this.ctx.state.apiRequestCount++;
    res.setHeader('sforce-limit-info', `api-usage=${this.ctx.state.apiRequestCount}/${this.ctx.state.apiRequestLimit}`);
    try {
      await this.route(req, res, url, version, rest, session);
    } catch (err) {
      if (err instanceof ApiError) sendApiError(res, err);
      else throw err;
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL, version: string, rest: string, session: Session): Promise<void> {
    const method = req.method ?? 'GET';
    const base = `/services/data/v${version}`;
    if (rest === '') {
      sendJson(res, 200, {
        tooling: `${base}/tooling`, metadata: `${base}/metadata`, eclair: `${base}/eclair`, folders: `${base}/folders`, prechatForms: `${base}/prechatForms`,
        jsonxform: `${base}/jsonxform`, chatter: `${base}/chatter`, tabs: `${base}/tabs`, appMenu: `${base}/appMenu`, quickActions: `${base}/quickActions`,
        queryAll: `${base}/queryAll`, commerce: `${base}/commerce`, wave: `${base}/wave`, iot: `${base}/iot`, analytics: `${base}/analytics`,
        search: `${base}/search`, identity: `${this.ctx.origin()}/id/${this.ctx.state.orgId}/${session.userId}`, composite: `${base}/composite`,
        parameterizedSearch: `${base}/parameterizedSearch`, fingerprint: `${base}/fingerprint`, theme: `${base}/theme`, nouns: `${base}/nouns`,
        recent: `${base}/recent`, connect: `${base}/connect`, licensing: `${base}/licensing`, limits: `${base}/limits`, process: `${base}/process`,
        async: `${base}/async-queries`, query: `${base}/query`, apps: `${base}/apps`, sobjects: `${base}/sobjects`, actions: `${base}/actions`, support: `${base}/support`,
      });
      return;
    }
    const tooling = rest.startsWith('/tooling/');
    const sub = tooling ? rest.slice('/tooling'.length) : rest;
    let m: RegExpExecArray | null;

    if (method === 'GET' && (sub === '/query' || sub === '/queryAll')) {
      this.ctx.annotate(req, sub === '/query' ? 'query' : 'queryAll');
      const q = url.searchParams.get('q');
      if (!q) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      if (url.searchParams.get('columns') === 'true') {
        sendJson(res, 200, queryColumns(q));
        return;
      }
      const result = runQuery(q, this.source(session, tooling, version));
      this.sendPage(req, res, { records: result.records, totalSize: result.totalSize, created: Date.now() }, 0, base + (tooling ? '/tooling' : ''), `01g${randomBase62(15)}`);
      return;
    }
    if (method === 'GET' && (m = /^\/query(?:All)?\/([^/]+)$/.exec(sub))) {
      this.ctx.annotate(req, 'queryMore');
      const locator = m[1];
      const dash = locator.lastIndexOf('-');
      const cursor = dash > 0 ? this.cursors.get(locator.slice(0, dash)) : undefined;
      const offset = Number(locator.slice(dash + 1));
      if (!cursor || !Number.isInteger(offset) || offset < 0 || offset > cursor.records.length) {
        throw new ApiError(400, 'INVALID_QUERY_LOCATOR', REST_ERRORS.invalidLocator);
      }
      this.sendPage(req, res, cursor, offset, base + (tooling ? '/tooling' : ''), locator.slice(0, dash));
      return;
    }
    if (method === 'GET' && sub === '/limits') {
      const max = this.ctx.state.apiRequestLimit;
      sendJson(res, 200, { DailyApiRequests: { Max: max, Remaining: max - this.ctx.state.apiRequestCount } });
      return;
    }
    if (method === 'GET' && sub === '/sobjects') {
      sendJson(res, 200, {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: OBJECTS.filter((o) => this.describable(o, session, tooling)).map((o) => this.describeBasic(o, version)),
      });
      return;
    }
    if ((m = /^\/sobjects\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(sub))) {
      await this.sobjects(req, res, session, version, tooling, decodeURIComponent(m[1]), m[2] ? decodeURIComponent(m[2]) : undefined, m[3]);
      return;
    }
    if ((m = /^\/apps\/oauth\/usage\/(?:tokens\/([^/]+)|([^/]+)\/(?:([^/]+)\/)?tokens)$/.exec(sub))) {
      this.oauthTokens(res, method, version, { token: m[1], app: m[2], user: m[3] });
      return;
    }
    if (method === 'GET' && (m = /^\/apps\/oauth\/(usage|credentials)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(sub))) {
      this.oauthApps(res, url, version, m[1], m[2], m[3]);
      return;
    }
    throw new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound);
  }

  private sendPage(req: IncomingMessage, res: ServerResponse, cursor: Cursor, offset: number, base: string, cursorId: string): void {
    let pageSize = this.ctx.queryPageSize;
    const opt = /batchSize=(\d+)/i.exec(String(req.headers['sforce-query-options'] ?? ''));
    if (opt) pageSize = Math.min(pageSize, Math.max(200, Math.min(2000, Number(opt[1]))));
    const page = cursor.records.slice(offset, offset + pageSize);
    const next = offset + page.length;
    const done = next >= cursor.records.length;
    const body: Record<string, unknown> = { totalSize: cursor.totalSize, done, records: page };
    if (!done) {
      this.cursors.set(cursorId, cursor);
      body.nextRecordsUrl = `${base}/query/${cursorId}-${next}`;
    }
    sendJson(res, 200, body);
  }

  // ---------------------------------------------------------------- records and visibility

  private checkEventLogAccess(session: Session): void {
    const { state } = this.ctx;
    // UNVERIFIED: without the permissions the object is reported as unsupported (as in editions without it).
    if (!state.editionInfo.eventLogFiles || !state.canViewEventLogFiles(session.userId)) throw invalidType('EventLogFile');
  }

  private describable(obj: ObjectDef, session: Session, tooling: boolean): boolean {
    if (obj.name === 'ScratchOrgInfo') return false;
    if (obj.tooling === 'only' && !tooling) return false;
    if (obj.name === 'EventLogFile') return this.ctx.state.editionInfo.eventLogFiles && this.ctx.state.canViewEventLogFiles(session.userId);
    return true;
  }

  private derived(obj: ObjectDef): SRecord[] | undefined {
    const { state } = this.ctx;
    const audit = (c: MetadataComponent) => ({
      CreatedDate: sfDateTime(c.createdAt),
      CreatedById: c.createdById,
      LastModifiedDate: sfDateTime(c.lastModifiedAt),
      LastModifiedById: c.createdById,
      SystemModstamp: sfDateTime(c.lastModifiedAt),
    });
    if (obj.name === 'PermissionSetAssignment') {
      // As on a real org, every user also has an assignment of its profile's own permission set
      // (IsOwnedByProfile = true); effective-permission queries rely on it.
      const owned: SRecord[] = [];
      for (const user of state.table('User')) {
        const ps = state.profileOwnedPermissionSet(String(user.ProfileId));
        if (ps) owned.push({ Id: `0Pa${String(user.Id).slice(3)}`, AssigneeId: user.Id, PermissionSetId: ps.Id, SystemModstamp: ps.SystemModstamp });
      }
      return [...owned, ...state.table('PermissionSetAssignment')];
    }
    if (obj.name === 'ExternalClientApplication') {
      return [...state.components('ExternalClientApplication').values()].map((c) => ({
        Id: c.id,
        DeveloperName: c.fullName,
        MasterLabel: String(c.data.label ?? c.fullName),
        NamespacePrefix: null,
        ContactEmail: c.data.contactEmail ?? null,
        Description: c.data.description ?? null,
        DistributionState: c.data.distributionState ?? 'Local',
        IsProtected: String(c.data.isProtected) === 'true',
        ...audit(c),
      }));
    }
    if (obj.name === 'ExtlClntAppOauthSettings') {
      return [...state.components('ExtlClntAppOauthSettings').values()].map((c) => {
        const scopes = String(c.data.commaSeparatedOauthScopes ?? '')
          .split(',')
          .map((s) => s.trim().toLowerCase());
        const eca = state.component('ExternalClientApplication', String(c.data.externalClientApplication));
        return {
          Id: c.id,
          DeveloperName: c.fullName,
          MasterLabel: String(c.data.label ?? c.fullName),
          ExternalClientApplicationId: eca?.id ?? null,
          OauthScopesAPI: scopes.includes('api'),
          OauthScopesREFRESH_TOKEN: scopes.includes('refreshtoken'),
          OauthScopesWEB: scopes.includes('web'),
          OauthScopesFULL: scopes.includes('full'),
          OauthScopesOPENID: scopes.includes('openid'),
          OauthScopesOFFLINE_ACCESS: scopes.includes('offlineaccess'),
          ...audit(c),
        };
      });
    }
    return undefined;
  }

  private allRecords(obj: ObjectDef): SRecord[] {
    return this.derived(obj) ?? this.ctx.state.table(obj.name);
  }

  public source(session: Session, tooling: boolean, version: string): RecordSource {
    const ctx = this.ctx;
    return {
      tooling,
      records: (obj) => {
        if (obj.name === 'EventLogFile') {
          this.checkEventLogAccess(session);
          return ctx.state.table('EventLogFile').filter((r) => ctx.logs.visible(r));
        }
        ctx.state.refreshLicenceCounts();
        return this.allRecords(obj);
      },
      lookup: (obj, id) => this.allRecords(obj).find((r) => sameId(r.Id, id)),
      recordUrl: (objName, id) => `/services/data/v${version}/${tooling ? 'tooling/' : ''}sobjects/${objName}/${id}`,
      computed: (obj, field, rec) => (field.type === 'base64' ? `/services/data/v${version}/sobjects/${obj.name}/${String(rec.Id)}/${field.name}` : undefined),
    };
  }

  // ---------------------------------------------------------------- sObjects

  private describeBasic(o: ObjectDef, version: string): Record<string, unknown> {
    return {
      name: o.name, label: o.label, labelPlural: o.labelPlural, keyPrefix: o.keyPrefix, custom: false, queryable: true, retrieveable: true,
      createable: !!o.createable, updateable: !!o.updateable, deletable: !!o.deletable, searchable: false, layoutable: false,
      urls: { sobject: `/services/data/v${version}/sobjects/${o.name}`, describe: `/services/data/v${version}/sobjects/${o.name}/describe`, rowTemplate: `/services/data/v${version}/sobjects/${o.name}/{ID}` },
    };
  }

  private describe(o: ObjectDef, version: string): Record<string, unknown> {
    const typeMap: Record<string, string> = { int: 'int', double: 'double', datetime: 'datetime', date: 'date', boolean: 'boolean', id: 'id', reference: 'reference', picklist: 'picklist', email: 'email', base64: 'base64', textarea: 'textarea', string: 'string' };
    return {
      ...this.describeBasic(o, version),
      childRelationships: [],
      recordTypeInfos: [],
      fields: o.fields.map((f) => ({
        name: f.name,
        label: f.label ?? f.name.replace(/([a-z])([A-Z])/g, '$1 $2'),
        type: typeMap[f.type],
        soapType: f.type === 'id' || f.type === 'reference' ? 'tns:ID' : `xsd:${f.type === 'datetime' ? 'dateTime' : f.type === 'picklist' || f.type === 'email' || f.type === 'textarea' ? 'string' : f.type === 'base64' ? 'base64Binary' : f.type}`,
        length: f.length ?? (f.type === 'id' || f.type === 'reference' ? 18 : f.type === 'string' || f.type === 'picklist' ? 255 : 0),
        nillable: !!f.nillable,
        createable: !!f.createable,
        updateable: !!f.updateable,
        filterable: f.type !== 'base64' && f.type !== 'textarea',
        sortable: f.type !== 'base64' && f.type !== 'textarea',
        groupable: f.groupable ?? ['string', 'picklist', 'id', 'reference', 'boolean', 'email'].includes(f.type),
        custom: false,
        referenceTo: f.referenceTo ?? [],
        relationshipName: f.relationshipName ?? null,
        restrictedPicklist: f.type === 'picklist' && !!f.picklistValues,
        picklistValues: (f.picklistValues ?? []).map((v) => ({ active: true, defaultValue: false, label: v, validFor: null, value: v })),
      })),
    };
  }

  private async sobjects(req: IncomingMessage, res: ServerResponse, session: Session, version: string, tooling: boolean, objName: string, id: string | undefined, tail: string | undefined): Promise<void> {
    const method = req.method ?? 'GET';
    const found = findObject(objName);
    if (!found || !this.describable(found, session, tooling)) {
      if (found?.name === 'EventLogFile' || !found) throw new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound);
    }
    const obj = resolveObject(objName, tooling);
    if (!id) {
      if (method === 'GET') {
        sendJson(res, 200, { objectDescribe: this.describeBasic(obj, version), recentItems: [] });
        return;
      }
      if (method === 'POST') {
        this.ctx.annotate(req, 'create');
        const body = await this.jsonBody(req);
        const rec = createRecord(this.ctx.state, obj, body, session.userId);
        sendJson(res, 201, { id: rec.Id, success: true, errors: [] }, { location: `/services/data/v${version}/sobjects/${obj.name}/${rec.Id}` });
        return;
      }
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,POST`);
    }
    if (id === 'describe' && method === 'GET') {
      this.ctx.annotate(req, 'describe');
      sendJson(res, 200, this.describe(obj, version));
      return;
    }
    if (obj.name === 'EventLogFile') this.checkEventLogAccess(session);
    const visible = obj.name === 'EventLogFile' ? this.ctx.state.table('EventLogFile').filter((r) => this.ctx.logs.visible(r)) : this.allRecords(obj);
    const rec = visible.find((r) => sameId(r.Id, id));
    if (tail) {
      if (obj.name === 'EventLogFile' && tail === 'LogFile' && method === 'GET' && rec) {
        this.ctx.annotate(req, 'logFile');
        await this.sendLogFile(req, res, rec.Id);
        return;
      }
      throw new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound);
    }
    if (method === 'PATCH') {
      this.ctx.annotate(req, 'update');
      updateRecord(this.ctx.state, obj, id, await this.jsonBody(req), session.userId);
      sendNoContent(res);
      return;
    }
    if (method === 'DELETE') {
      this.ctx.annotate(req, 'delete');
      deleteRecord(this.ctx.state, obj, id);
      sendNoContent(res);
      return;
    }
    if (method !== 'GET') throw new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,PATCH,DELETE`);
    if (!rec) throw new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound);
    const src = this.source(session, tooling, version);
    const out: Record<string, unknown> = { attributes: { type: obj.name, url: src.recordUrl(obj.name, rec.Id) } };
    const wanted = new URL(req.url ?? '/', 'http://x').searchParams.get('fields');
    const names = wanted ? wanted.split(',').map((s) => s.trim()) : obj.fields.map((f) => f.name);
    for (const n of names) {
      const f = obj.fields.find((x) => x.name.toLowerCase() === n.toLowerCase());
      if (!f) throw new ApiError(400, 'INVALID_FIELD', `No such column '${n}' on sobject of type ${obj.name}`);
      out[f.name] = src.computed?.(obj, f, rec) ?? rec[f.name] ?? null;
    }
    sendJson(res, 200, out);
  }

  private async jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    const text = (await readBody(req)).toString('utf8');
    try {
      const parsed: unknown = text ? JSON.parse(text) : {};
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch {
      throw new ApiError(400, 'JSON_PARSER_ERROR', 'Unexpected character in request body');
    }
  }

  private async sendLogFile(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const spec = this.ctx.logs.specs.get(id);
    if (!spec) throw new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound);
    const gzip = /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''));
    const headers: Record<string, string> = { 'content-type': 'application/octetstream' };
    if (gzip) headers['content-encoding'] = 'gzip';
    res.writeHead(200, headers);
    const source = logFileStream(spec);
    const body: Readable = gzip ? source.pipe(createGzip({ level: spec.totalLength > 10_000_000 ? 1 : 6 })) : source;
    const fault = this.ctx.faults.takeResetFault(req.url ?? '');
    let sent = 0;
    try {
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        if (res.destroyed) break;
        if (fault && sent + buf.length >= fault.afterBytes) {
          const part = buf.subarray(0, Math.max(0, fault.afterBytes - sent));
          if (part.length) res.write(part);
          await new Promise((r) => setTimeout(r, 20));
          res.socket?.destroy();
          break;
        }
        sent += buf.length;
        if (!res.write(buf)) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          });
        }
      }
    } finally {
      source.destroy();
      body.destroy();
    }
    if (!res.destroyed && !res.writableEnded) res.end();
  }

  // ---------------------------------------------------------------- apps/oauth

  /**
   * UNVERIFIED shape of the "App OAuth Usage User Collection" entries: one per user holding tokens issued for
   * the app, with the token count, how often they were used and when last (the newest token's last use).
   */
  private oauthUsageUsers(ecaName: string): Record<string, unknown>[] {
    const { state } = this.ctx;
    const byUser = new Map<string, Session[]>();
    for (const s of state.sessions.values()) {
      if (s.app?.toLowerCase() !== ecaName.toLowerCase()) continue;
      byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
    }
    return [...byUser.entries()].map(([userId, sessions]) => {
      const user = state.byId('User', userId);
      const lastUsed = Math.max(...sessions.map((s) => s.lastUsedAt ?? s.createdAt));
      return {
        userId,
        username: String(user?.Username ?? ''),
        name: String(user?.Name ?? ''),
        tokenCount: sessions.length,
        useCount: sessions.reduce((sum, s) => sum + (s.useCount ?? 0), 0),
        firstUsedDate: new Date(Math.min(...sessions.map((s) => s.createdAt))).toISOString(),
        lastUsedDate: new Date(lastUsed).toISOString(),
      };
    });
  }

  /**
   * Token revocation through the OAuth usage resources (Connect REST API 59.0+): DELETE
   * `/apps/oauth/usage/tokens/<token>`, GET/DELETE `/apps/oauth/usage/<app>/<user>/tokens`, DELETE
   * `/apps/oauth/usage/<app>/tokens` (204). The guide speaks of refresh tokens; the JWT bearer flow issues only
   * access tokens, which we list and revoke here the same way (UNVERIFIED). UNVERIFIED: the GET body's shape.
   */
  private oauthTokens(res: ServerResponse, method: string, version: string, target: { token?: string; app?: string; user?: string }): void {
    const { state } = this.ctx;
    const eca = target.app ? [...state.components('ExternalClientApplication').values()].find((c) => sameId(c.id, target.app) || c.fullName.toLowerCase() === target.app!.toLowerCase()) : undefined;
    if (target.app && !eca) throw new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound);
    const matching = [...state.sessions.values()].filter((s) =>
      target.token ? sameId(s.id, target.token) : !!s.app && s.app.toLowerCase() === eca!.fullName.toLowerCase() && (!target.user || sameId(s.userId, target.user))
    );
    if (method === 'GET' && target.user) {
      sendJson(res, 200, {
        tokens: matching.map((s) => ({
          identifier: s.id, appName: eca!.fullName, userId: s.userId, createdDate: new Date(s.createdAt).toISOString(),
          lastUsedDate: new Date(s.lastUsedAt ?? s.createdAt).toISOString(), useCount: s.useCount ?? 0,
          revocationUrl: `/services/data/v${version}/apps/oauth/usage/tokens/${s.id}`,
        })),
      });
      return;
    }
    if (method !== 'DELETE') throw new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are DELETE`);
    if (target.token && matching.length === 0) throw new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound);
    // UNVERIFIED (behaviour.revocationKeepsAccessTokens): an app-wide revocation may leave JWT access tokens alive.
    const keep = !target.token && this.ctx.behaviour.revocationKeepsAccessTokens;
    if (!keep) for (const s of matching) state.sessions.delete(s.token);
    sendNoContent(res);
  }

  private oauthApps(res: ServerResponse, url: URL, version: string, kind: string, app?: string, consumer?: string): void {
    const { state } = this.ctx;
    const ecas = [...state.components('ExternalClientApplication').values()];
    if (kind === 'usage' && app) {
      const eca = ecas.find((c) => sameId(c.id, app) || c.fullName.toLowerCase() === app.toLowerCase());
      if (!eca || consumer !== 'users') throw new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound);
      sendJson(res, 200, { currentPageUrl: url.pathname, nextPageUrl: null, users: this.oauthUsageUsers(eca.fullName) });
      return;
    }
    if (kind === 'usage') {
      sendJson(res, 200, {
        apps: ecas.map((c) => ({
          developerName: c.fullName,
          identifier: c.id,
          label: String(c.data.label ?? c.fullName),
          type: 'ExternalClientApp',
          url: `/services/data/v${version}/apps/oauth/usage/${c.id}/users`,
        })),
      });
      return;
    }
    const eca = app ? ecas.find((c) => sameId(c.id, app) || c.fullName.toLowerCase() === app.toLowerCase()) : undefined;
    if (!eca) throw new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound);
    const consumers = state.satellitesOf('ExtlClntAppGlobalOauthSettings', eca.fullName);
    if (!consumer) {
      sendJson(res, 200, {
        consumers: consumers.map((c) => ({ id: c.id, key: String(c.data.consumerKey), name: c.fullName, url: `/services/data/v${version}/apps/oauth/credentials/${eca.id}/${c.id}` })),
      });
      return;
    }
    const c = consumers.find((x) => sameId(x.id, consumer));
    if (!c) throw new ApiError(404, 'NOT_FOUND', REST_ERRORS.notFound);
    const part = (url.searchParams.get('part') ?? 'key').toLowerCase();
    const body: Record<string, string> = { id: c.id };
    if (part === 'key' || part === 'keyandsecret') body.key = String(c.data.consumerKey);
    if (part === 'secret' || part === 'keyandsecret') {
      if (String(state.settings.ExternalClientApp?.enableClientSecretInRestApiAccess) !== 'true') {
        throw new ApiError(403, 'FUNCTIONALITY_NOT_ENABLED', REST_ERRORS.secretNotEnabled);
      }
      body.secret = String(c.data.consumerSecret ?? '');
    }
    sendJson(res, 200, body);
  }
}
