/**
 * The HTTP server: routing, latency, injected faults and the request log.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext } from './context.js';
import { EventLogStore } from './event-logs.js';
import { DEFAULT_BEHAVIOUR, type OrgBehaviour } from './behaviour.js';
import { Faults } from './faults.js';
import { bearerToken, sendJson, sendXml } from './http-util.js';
import { MetadataApi, soapFault } from './metadata-api.js';
import { handleToken } from './oauth.js';
import { OrgState, type OrgStateOptions } from './org-state.js';
import { RestApi } from './rest.js';
import { sleep } from './util.js';

export interface EmulatorOptions extends OrgStateOptions, Partial<OrgBehaviour> {
  /** Port on 127.0.0.1 (0 = any free port). */
  port?: number;
  /** Delay added to every request (ms). */
  latencyMs?: number;
  /** How long deploys and retrieves stay InProgress (ms). */
  deployMs?: number;
  /** How long a new External Client App's consumer key stays unknown to the token endpoint (ms). */
  propagationMs?: number;
  /** Records per query page (default 2000). */
  queryPageSize?: number;
  /** Seed EventLogFile records for the edition (default true). */
  seedEventLogs?: boolean;
}

export interface RequestLogEntry {
  method: string;
  /** Path and query string as requested. */
  path: string;
  status: number;
  durationMs: number;
  startedAt: number;
  /** What the request did: `token`, `query`, `queryMore`, `create`, `update`, `delete`, `describe`, `logFile`, or the SOAP operation (`deploy`, `checkDeployStatus`, `retrieve`, …). */
  operation?: string;
}

export class EmulatorServer implements EmulatorContext {
  public readonly state: OrgState;
  public readonly logs: EventLogStore;
  public readonly faults = new Faults();
  public readonly behaviour: OrgBehaviour;
  public readonly requestLog: RequestLogEntry[] = [];
  public queryPageSize: number;
  public readonly rest: RestApi;
  public readonly metadata: MetadataApi;
  private readonly server = createServer((req, res) => void this.dispatch(req, res));
  private boundPort = 0;
  private readonly entries = new WeakMap<IncomingMessage, RequestLogEntry>();

  public constructor(private readonly options: EmulatorOptions = {}) {
    this.state = new OrgState(options);
    this.behaviour = { ...DEFAULT_BEHAVIOUR };
    for (const key of Object.keys(DEFAULT_BEHAVIOUR) as (keyof OrgBehaviour)[]) if (options[key] !== undefined) this.behaviour[key] = options[key] === true;
    this.logs = new EventLogStore(this.state);
    if (options.seedEventLogs !== false) this.logs.seed();
    this.faults.latencyMs = options.latencyMs ?? 0;
    this.faults.deployMs = options.deployMs ?? 0;
    this.faults.propagationMs = options.propagationMs ?? 0;
    this.queryPageSize = options.queryPageSize ?? 2000;
    this.rest = new RestApi(this);
    this.metadata = new MetadataApi(this);
    this.server.keepAliveTimeout = 5000;
  }

  public origin(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  public annotate(req: IncomingMessage, operation: string): void {
    const e = this.entries.get(req);
    if (e) e.operation = operation;
  }

  public operation(req: IncomingMessage, res: ServerResponse, operation: string): boolean {
    this.annotate(req, operation);
    const fault = this.faults.takeOperationFault(operation);
    if (!fault) return false;
    this.sendFault(req, res, new URL(req.url ?? '/', 'http://127.0.0.1').pathname, fault.status, fault.flavour);
    return true;
  }

  public port(): number {
    return this.boundPort;
  }

  public async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
  }

  public async close(): Promise<void> {
    this.metadata.engine.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const entry: RequestLogEntry = { method: req.method ?? 'GET', path: req.url ?? '/', status: 0, durationMs: 0, startedAt: Date.now() };
    this.entries.set(req, entry);
    res.on('finish', () => {
      if (this.faults.takeExpireAfter(entry.operation)) this.state.expireAllSessions();
      this.faults.runAfterHooks(entry.operation);
    });
    res.on('close', () => {
      entry.status = res.statusCode;
      entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
      this.requestLog.push(entry);
    });
    if (this.faults.clockOffsetMs !== 0) res.setHeader('date', new Date(Date.now() + this.faults.clockOffsetMs).toUTCString());
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const delay = this.faults.latencyFor(url.pathname);
      if (delay > 0) await sleep(delay);
      const fault = this.faults.takeStatusFault(entry.method, url.pathname);
      if (fault) {
        this.sendFault(req, res, url.pathname, fault.status, fault.flavour);
        return;
      }
      await this.route(req, res, url);
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, [{ message: `emulator error: ${(err as Error).message}`, errorCode: 'UNKNOWN_EXCEPTION' }]);
      else res.destroy();
    }
  }

  private sendFault(req: IncomingMessage, res: ServerResponse, path: string, status: number, flavour: 'rate-limit' | 'server-error'): void {
    req.resume();
    const rate = flavour === 'rate-limit';
    if (path.startsWith('/services/oauth2/')) {
      sendJson(res, status, rate ? { error: 'rate_limit_exceeded', error_description: 'rate limit exceeded' } : { error: 'unknown_error', error_description: 'retry your request' });
    } else if (path.startsWith('/services/Soap/')) {
      res.statusCode = status;
      sendXml(res, status, rate ? soapFault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.') : soapFault('UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)'));
    } else {
      sendJson(res, status, [
        rate
          ? { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }
          : { message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)', errorCode: 'UNKNOWN_EXCEPTION' },
      ]);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/services/oauth2/token' && method === 'POST') {
      if (this.operation(req, res, 'token')) return;
      return handleToken(this, req, res);
    }
    if (path.startsWith('/services/data')) return this.rest.handle(req, res, url);
    if (/^\/services\/Soap\/m\/\d+\.\d$/.test(path) && method === 'POST') return this.metadata.handle(req, res);
    if ((path === '/services/oauth2/userinfo' || path.startsWith('/id/')) && method === 'GET') return this.identity(req, res, path);
    if (path === '/services/oauth2/revoke' && method === 'POST') {
      req.resume();
      res.writeHead(200);
      res.end();
      return;
    }
    req.resume();
    sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  }

  private identity(req: IncomingMessage, res: ServerResponse, path: string): void {
    const session = this.state.sessionFor(bearerToken(req));
    if (!session) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('Bad_OAuth_Token');
      return;
    }
    const user = this.state.byId('User', session.userId)!;
    const info = {
      sub: `${this.origin()}/id/${this.state.orgId}/${user.Id}`,
      user_id: user.Id,
      organization_id: this.state.orgId,
      preferred_username: user.Username,
      nickname: user.Alias,
      name: user.Name,
      email: user.Email,
      active: user.IsActive,
      user_type: 'STANDARD',
      language: user.LanguageLocaleKey,
      locale: user.LocaleSidKey,
      utcOffset: 0,
      is_app_installed: true,
    };
    if (path.startsWith('/id/')) sendJson(res, 200, { id: info.sub, asserted_user: true, username: user.Username, display_name: user.Name, ...info });
    else sendJson(res, 200, info);
  }
}
