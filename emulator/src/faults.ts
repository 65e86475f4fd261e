/**
 * Fault injection and latency, controlled from tests (through the handle) and partly by CLI flags.
 */

export type PathMatcher = string | RegExp;

export interface StatusFault {
  id: number;
  kind: 'status';
  /** Path match (checked before routing); unused when `operation` is set. */
  match: PathMatcher;
  /** Request-log operation (`query`, `deploy`, `token`, …): checked once the request is routed. */
  operation?: string;
  method?: string;
  remaining: number;
  status: number;
  /** 'rate-limit' | 'server-error': decides the body shape per endpoint family. */
  flavour: 'rate-limit' | 'server-error';
}

export interface ResetFault {
  id: number;
  kind: 'reset';
  match: PathMatcher;
  afterBytes: number;
  remaining: number;
}

export interface ComponentFault {
  type?: string;
  fullName: string;
  problem: string;
}

export interface LatencyRule {
  match: PathMatcher;
  ms: number;
}

function matches(m: PathMatcher, path: string): boolean {
  return typeof m === 'string' ? path.includes(m) : m.test(path);
}

export class Faults {
  /** Delay added before every request is handled. */
  public latencyMs = 0;
  /** Extra delays for requests whose path matches. */
  public readonly latencyRules: LatencyRule[] = [];
  /** How long a deploy (and a retrieve) stays InProgress. */
  public deployMs = 0;
  /** An External Client App's consumer key is unknown to the token endpoint for this long after creation. */
  public propagationMs = 0;
  /** The next this many JWT token requests for a known app are answered as if its key had not propagated (count, not time). */
  public propagationRequests = 0;
  /** How far the org's clock is ahead of this machine's (ms, negative: behind): shifts the HTTP `Date` header and the token endpoint's `exp` check. */
  public clockOffsetMs = 0;
  public readonly componentFaults: ComponentFault[] = [];
  /** Operations after which (once each) every session expires. */
  public readonly expireAfter: string[] = [];
  /**
   * Metadata types whose readMetadata the org refuses (SOAP fault INVALID_TYPE), so a client must fall back
   * to a retrieve. UNVERIFIED which types real orgs refuse; this lets tests cover the fallback.
   */
  public readonly readRefused = new Set<string>();
  private readonly statusFaults: StatusFault[] = [];
  private readonly resetFaults: ResetFault[] = [];
  private readonly afterHooks: Array<{ operation: string; fn: () => void }> = [];
  private nextId = 1;

  /**
   * The next `count` requests whose path matches get HTTP 429 (or `status`) with
   * REQUEST_LIMIT_EXCEEDED. jsforce retries GETs on 429 with backoff, so keep count small.
   */
  public rateLimit(count = 1, match: PathMatcher = '/services/', options: { method?: string; status?: number } = {}): StatusFault {
    const f: StatusFault = { id: this.nextId++, kind: 'status', match, method: options.method, remaining: count, status: options.status ?? 429, flavour: 'rate-limit' };
    this.statusFaults.push(f);
    return f;
  }

  /** The next `count` POSTs whose path matches fail with a 5xx (500 by default). */
  public serverError(count = 1, match: PathMatcher = '/services/', options: { status?: number; method?: string } = {}): StatusFault {
    const f: StatusFault = { id: this.nextId++, kind: 'status', match, method: options.method ?? 'POST', remaining: count, status: options.status ?? 500, flavour: 'server-error' };
    this.statusFaults.push(f);
    return f;
  }

  /** The next `count` requests of a request-log operation (`query`, `deploy`, `token`, …) get 429 REQUEST_LIMIT_EXCEEDED. */
  public rateLimitOperation(operation: string, count = 1, status = 429): StatusFault {
    const f: StatusFault = { id: this.nextId++, kind: 'status', match: '', operation, remaining: count, status, flavour: 'rate-limit' };
    this.statusFaults.push(f);
    return f;
  }

  /** The next `count` requests of a request-log operation (any method) fail with 500 UNKNOWN_EXCEPTION. */
  public serverErrorOperation(operation: string, count = 1, status = 500): StatusFault {
    const f: StatusFault = { id: this.nextId++, kind: 'status', match: '', operation, remaining: count, status, flavour: 'server-error' };
    this.statusFaults.push(f);
    return f;
  }

  /** Right after the next request of this operation has been answered, every session expires (once). */
  public expireSessionsAfter(operation: string): void {
    this.expireAfter.push(operation);
  }

  /**
   * Runs `fn` once, right after the next request of this operation has been answered (before the client can
   * send another): how a test plays "another run changed the org at exactly this point" without timing races.
   */
  public onceAfter(operation: string, fn: () => void): void {
    this.afterHooks.push({ operation, fn });
  }

  /** Runs and drops the once-after hooks for this operation. */
  public runAfterHooks(operation: string | undefined): void {
    if (operation === undefined) return;
    const due = this.afterHooks.filter((h) => h.operation === operation);
    for (const h of due) this.afterHooks.splice(this.afterHooks.indexOf(h), 1);
    for (const h of due) h.fn();
  }

  /** Consumes an expire-after rule for this operation (true: expire every session now). */
  public takeExpireAfter(operation: string | undefined): boolean {
    const i = operation === undefined ? -1 : this.expireAfter.indexOf(operation);
    if (i < 0) return false;
    this.expireAfter.splice(i, 1);
    return true;
  }

  /** The next `count` LogFile downloads (matching path) are cut off (socket destroyed) after `afterBytes` bytes of body. */
  public resetDownload(afterBytes: number, count = 1, match: PathMatcher = '/LogFile'): ResetFault {
    const f: ResetFault = { id: this.nextId++, kind: 'reset', match, afterBytes, remaining: count };
    this.resetFaults.push(f);
    return f;
  }

  /** Makes a component fail on deploy with `problem` (type optional: any type with that fullName). */
  public failComponent(fullName: string, type?: string, problem = 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)'): void {
    this.componentFaults.push({ fullName, type, problem });
  }

  /** Adds latency for requests whose path matches. */
  public addLatency(match: PathMatcher, ms: number): void {
    this.latencyRules.push({ match, ms });
  }

  public clear(): void {
    this.statusFaults.length = 0;
    this.resetFaults.length = 0;
    this.componentFaults.length = 0;
    this.expireAfter.length = 0;
    this.afterHooks.length = 0;
    this.latencyRules.length = 0;
    this.latencyMs = 0;
    this.clockOffsetMs = 0;
  }

  public latencyFor(path: string): number {
    let ms = this.latencyMs;
    for (const r of this.latencyRules) if (matches(r.match, path)) ms += r.ms;
    return ms;
  }

  /** Consumes and returns a status fault for this request, if one applies. */
  public takeStatusFault(method: string, path: string): StatusFault | undefined {
    const f = this.statusFaults.find((x) => x.remaining > 0 && x.operation === undefined && (!x.method || x.method === method) && matches(x.match, path));
    if (f) f.remaining--;
    return f;
  }

  /** Consumes and returns an operation fault for this request, if one applies. */
  public takeOperationFault(operation: string): StatusFault | undefined {
    const f = this.statusFaults.find((x) => x.remaining > 0 && x.operation === operation);
    if (f) f.remaining--;
    return f;
  }

  public takeResetFault(path: string): ResetFault | undefined {
    const f = this.resetFaults.find((x) => x.remaining > 0 && matches(x.match, path));
    if (f) f.remaining--;
    return f;
  }

  public componentFault(type: string, fullName: string): ComponentFault | undefined {
    return this.componentFaults.find((c) => c.fullName.toLowerCase() === fullName.toLowerCase() && (!c.type || c.type === type));
  }
}
