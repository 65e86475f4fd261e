/**
 * SOQL over the in-memory org, parsed with @jetstreamapp/soql-parser-js: WHERE (comparisons, IN,
 * LIKE, AND/OR/NOT, date literals), ORDER BY, LIMIT/OFFSET, COUNT()/COUNT(f)/MAX/MIN/SUM/AVG with
 * GROUP BY, and parent relationship fields (Profile.UserLicense.Name, Assignee.Username, …).
 */
import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { sameId } from './ids.js';
import { findField, findObject, findRelationship, objectByKeyPrefix, type FieldDef, type ObjectDef } from './schema.js';
import { DAY_MS, parseSfDate, startOfUtcDay } from './util.js';

export class ApiError extends Error {
  public constructor(public readonly status: number, public readonly errorCode: string, message: string, public readonly fields?: string[]) {
    super(message);
  }
}

export const invalidType = (name: string): ApiError => new ApiError(400, 'INVALID_TYPE', `sObject type '${name}' is not supported.`);

/** Where the query engine gets records from (decides visibility and access). */
export interface RecordSource {
  /** Records of an object visible to the current user; throws ApiError for invisible objects. */
  records(obj: ObjectDef): Record<string, unknown>[];
  /** Any record by Id, for relationship traversal. */
  lookup(obj: ObjectDef, id: string): Record<string, unknown> | undefined;
  /** The URL of a record (attributes.url). */
  recordUrl(objName: string, id: string): string;
  /** Value of a computed field (e.g. base64 LogFile path), or undefined to use the stored one. */
  computed?(obj: ObjectDef, field: FieldDef, rec: Record<string, unknown>): unknown;
  tooling: boolean;
}

export interface QueryResult {
  totalSize: number;
  records: Record<string, unknown>[];
}

type Cond = { field?: string; fn?: { functionName?: string; parameters?: unknown[] }; operator: string; value?: string | string[]; literalType?: string | string[]; openParen?: number; closeParen?: number; valueQuery?: unknown };
type WhereNode = { left: Cond | { openParen?: number } | null; operator?: string; right?: WhereNode };
type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | Cond;

const NO_SUCH_COLUMN = (field: string, obj: string): ApiError =>
  new ApiError(400, 'INVALID_FIELD', `No such column '${field}' on entity '${obj}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
const BAD_RELATIONSHIP = (rel: string): ApiError =>
  new ApiError(400, 'INVALID_FIELD', `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`);

export function resolveObject(name: string, tooling: boolean): ObjectDef {
  const obj = findObject(name);
  if (!obj || obj.name === 'ScratchOrgInfo') throw invalidType(name);
  if (obj.tooling === 'only' && !tooling) throw invalidType(name);
  return obj;
}

interface PathResolution {
  /** Objects along the path, starting with the root. */
  steps: { rel: FieldDef; target?: ObjectDef }[];
  field: FieldDef;
  leafObj: ObjectDef;
}

class Engine {
  public constructor(private readonly src: RecordSource, private readonly root: ObjectDef) {}

  /** Validates a dotted field path and returns its resolution. */
  public resolvePath(path: string): PathResolution {
    const parts = path.split('.');
    // allow the object name as a prefix (SELECT User.Name FROM User)
    if (parts.length > 1 && parts[0].toLowerCase() === this.root.name.toLowerCase() && !findRelationship(this.root, parts[0])) parts.shift();
    let obj = this.root;
    const steps: PathResolution['steps'] = [];
    for (let i = 0; i < parts.length - 1; i++) {
      const rel = findRelationship(obj, parts[i]);
      if (!rel) throw BAD_RELATIONSHIP(parts[i]);
      const targetName = rel.referenceTo?.length === 1 ? rel.referenceTo[0] : undefined;
      const target = targetName ? findObject(targetName) : undefined;
      steps.push({ rel, target });
      // polymorphic: only Name/Id style fields, resolved per record
      obj = target ?? obj;
      if (!target) {
        const leafName = parts[parts.length - 1];
        return { steps, field: { name: leafName === 'Id' ? 'Id' : leafName, type: 'string' }, leafObj: obj };
      }
    }
    const leaf = parts[parts.length - 1];
    const field = findField(obj, leaf);
    if (!field) throw NO_SUCH_COLUMN(leaf, obj.name);
    return { steps, field, leafObj: obj };
  }

  /** Follows a path on a record; returns the value (or null). */
  public valueOf(rec: Record<string, unknown>, res: PathResolution): unknown {
    let cur: Record<string, unknown> | undefined = rec;
    let curObj = this.root;
    for (const step of res.steps) {
      const id = cur?.[step.rel.name];
      if (typeof id !== 'string' || !id) return null;
      const target = step.target ?? objectByKeyPrefix(id);
      if (!target) return null;
      cur = this.src.lookup(target, id);
      curObj = target;
      if (!cur) return null;
    }
    if (!cur) return null;
    const fieldDef = findField(curObj, res.field.name) ?? res.field;
    const computed = this.src.computed?.(curObj, fieldDef, cur);
    if (computed !== undefined) return computed;
    return cur[fieldDef.name] ?? null;
  }

  /** Builds the nested JSON value for a selected path (relationship objects with attributes). */
  public project(out: Record<string, unknown>, rec: Record<string, unknown>, res: PathResolution): void {
    let cur: Record<string, unknown> = rec;
    let target: Record<string, unknown> = out;
    let curObj = this.root;
    for (const step of res.steps) {
      const key = step.rel.relationshipName!;
      const id: unknown = cur[step.rel.name];
      const stepObj: ObjectDef | undefined = typeof id === 'string' && id ? step.target ?? objectByKeyPrefix(id) : undefined;
      const next: Record<string, unknown> | undefined = stepObj && typeof id === 'string' ? this.src.lookup(stepObj, id) : undefined;
      if (!next || !stepObj) {
        if (!(key in target)) target[key] = null;
        return;
      }
      let child = target[key] as Record<string, unknown> | null | undefined;
      if (!child) {
        child = { attributes: { type: stepObj.name, url: this.src.recordUrl(stepObj.name, String(next.Id)) } };
        target[key] = child;
      }
      target = child;
      cur = next;
      curObj = stepObj;
    }
    const fieldDef = findField(curObj, res.field.name) ?? res.field;
    const computed = this.src.computed?.(curObj, fieldDef, cur);
    target[fieldDef.name] = computed !== undefined ? computed : cur[fieldDef.name] ?? null;
  }
}

// ------------------------------------------------------------------ WHERE

function flatten(node: WhereNode | undefined, out: Token[]): void {
  if (!node) return;
  if (node.left && ('field' in node.left || 'fn' in node.left)) {
    const c = node.left as Cond;
    for (let i = 0; i < (c.openParen ?? 0); i++) out.push('(');
    out.push(c);
    for (let i = 0; i < (c.closeParen ?? 0); i++) out.push(')');
  } else if (node.left && 'openParen' in node.left) {
    for (let i = 0; i < (node.left.openParen ?? 0); i++) out.push('(');
  }
  if (node.operator === 'NOT') {
    out.push('NOT');
    flatten(node.right, out);
  } else if (node.operator) {
    out.push(node.operator as 'AND' | 'OR');
    flatten(node.right, out);
  }
}

type Expr = { op: 'AND' | 'OR'; args: Expr[] } | { op: 'NOT'; arg: Expr } | { op: 'COND'; cond: Cond };

function parseTokens(tokens: Token[]): Expr {
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const orExpr = (): Expr => {
    const args = [andExpr()];
    while (peek() === 'OR') {
      pos++;
      args.push(andExpr());
    }
    return args.length === 1 ? args[0] : { op: 'OR', args };
  };
  const andExpr = (): Expr => {
    const args = [unary()];
    while (peek() === 'AND') {
      pos++;
      args.push(unary());
    }
    return args.length === 1 ? args[0] : { op: 'AND', args };
  };
  const unary = (): Expr => {
    const t = peek();
    if (t === 'NOT') {
      pos++;
      return { op: 'NOT', arg: unary() };
    }
    if (t === '(') {
      pos++;
      const e = orExpr();
      if (peek() === ')') pos++;
      return e;
    }
    if (t && typeof t === 'object') {
      pos++;
      return { op: 'COND', cond: t };
    }
    throw new ApiError(400, 'MALFORMED_QUERY', 'unexpected token in WHERE clause');
  };
  return orExpr();
}

function unquote(lit: string): string {
  const inner = lit.startsWith("'") && lit.endsWith("'") ? lit.slice(1, -1) : lit;
  return inner.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/** A literal as a [start, end) range in ms for date comparisons. */
function dateRange(literal: string, literalType: string, now = Date.now()): [number, number] {
  const d0 = startOfUtcDay(now);
  const day = DAY_MS;
  if (literalType === 'DATE') {
    const s = parseSfDate(literal);
    return [s, s + day];
  }
  if (literalType === 'DATETIME') {
    const s = parseSfDate(literal);
    return [s, s + 1];
  }
  const [name, nText] = literal.toUpperCase().split(':');
  const n = Number(nText ?? 0);
  const date = new Date(d0);
  const weekStart = d0 - date.getUTCDay() * day;
  const monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const addMonths = (ms: number, k: number): number => {
    const x = new Date(ms);
    return Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + k, 1);
  };
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  switch (name) {
    case 'TODAY': return [d0, d0 + day];
    case 'YESTERDAY': return [d0 - day, d0];
    case 'TOMORROW': return [d0 + day, d0 + 2 * day];
    case 'THIS_WEEK': return [weekStart, weekStart + 7 * day];
    case 'LAST_WEEK': return [weekStart - 7 * day, weekStart];
    case 'NEXT_WEEK': return [weekStart + 7 * day, weekStart + 14 * day];
    case 'THIS_MONTH': return [monthStart, addMonths(monthStart, 1)];
    case 'LAST_MONTH': return [addMonths(monthStart, -1), monthStart];
    case 'NEXT_MONTH': return [addMonths(monthStart, 1), addMonths(monthStart, 2)];
    case 'LAST_90_DAYS': return [d0 - 90 * day, d0 + day];
    case 'NEXT_90_DAYS': return [d0 + day, d0 + 91 * day];
    case 'THIS_YEAR': return [yearStart, Date.UTC(date.getUTCFullYear() + 1, 0, 1)];
    case 'LAST_YEAR': return [Date.UTC(date.getUTCFullYear() - 1, 0, 1), yearStart];
    case 'LAST_N_DAYS': return [d0 - n * day, d0 + day];
    case 'NEXT_N_DAYS': return [d0 + day, d0 + (n + 1) * day];
    case 'N_DAYS_AGO': return [d0 - n * day, d0 - (n - 1) * day];
    case 'LAST_N_WEEKS': return [weekStart - 7 * n * day, weekStart];
    case 'NEXT_N_WEEKS': return [weekStart + 7 * day, weekStart + 7 * (n + 1) * day];
    case 'LAST_N_MONTHS': return [addMonths(monthStart, -n), monthStart];
    case 'NEXT_N_MONTHS': return [addMonths(monthStart, 1), addMonths(monthStart, n + 1)];
    default: throw new ApiError(400, 'MALFORMED_QUERY', `unsupported date literal: ${literal}`);
  }
}

function likeToRegex(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

function compareValues(a: unknown, b: unknown, type: string): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (type === 'datetime' || type === 'date') return parseSfDate(String(a)) - parseSfDate(String(b));
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function matchesCond(engine: Engine, rec: Record<string, unknown>, cond: Cond): boolean {
  if (!cond.field) throw new ApiError(400, 'MALFORMED_QUERY', 'functions in WHERE are not supported by the emulator');
  if (cond.valueQuery) throw new ApiError(400, 'MALFORMED_QUERY', 'semi-join subqueries are not supported by the emulator');
  const res = engine.resolvePath(cond.field);
  const v = engine.valueOf(rec, res);
  const type = res.field.type;
  const op = cond.operator.toUpperCase();
  const values = Array.isArray(cond.value) ? cond.value : [cond.value ?? ''];
  const types = Array.isArray(cond.literalType) ? cond.literalType : values.map(() => (cond.literalType as string | undefined) ?? 'STRING');

  const eqOne = (lit: string, lt: string): boolean => {
    if (lt === 'NULL') return v === null || v === undefined;
    if (v === null || v === undefined) return false;
    if (type === 'datetime' || type === 'date') {
      const [s, e] = dateRange(lit, lt);
      const t = parseSfDate(String(v));
      return t >= s && t < e;
    }
    if (lt === 'BOOLEAN') return v === (lit.toUpperCase() === 'TRUE');
    if (lt === 'INTEGER' || lt === 'DECIMAL') return Number(v) === Number(lit);
    const text = unquote(lit);
    if (type === 'id' || type === 'reference') return sameId(String(v), text);
    return String(v).toLowerCase() === text.toLowerCase();
  };

  switch (op) {
    case '=':
      return eqOne(values[0], types[0]);
    case '!=':
    case '<>':
      return !eqOne(values[0], types[0]);
    case 'IN':
      return values.some((lit, i) => eqOne(lit, types[i] ?? types[0]));
    case 'NOT IN':
      return !values.some((lit, i) => eqOne(lit, types[i] ?? types[0]));
    case 'LIKE':
      return v !== null && v !== undefined && likeToRegex(unquote(values[0])).test(String(v));
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (v === null || v === undefined) return false;
      const lt = types[0];
      if (type === 'datetime' || type === 'date') {
        const [s, e] = dateRange(values[0], lt);
        const t = parseSfDate(String(v));
        return op === '<' ? t < s : op === '<=' ? t < e : op === '>' ? t >= e : t >= s;
      }
      const rhs: unknown = lt === 'INTEGER' || lt === 'DECIMAL' ? Number(values[0]) : unquote(values[0]);
      const c = compareValues(v, rhs, type);
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    default:
      throw new ApiError(400, 'MALFORMED_QUERY', `unsupported operator ${op}`);
  }
}

function evaluate(engine: Engine, rec: Record<string, unknown>, e: Expr): boolean {
  switch (e.op) {
    case 'AND': return e.args.every((a) => evaluate(engine, rec, a));
    case 'OR': return e.args.some((a) => evaluate(engine, rec, a));
    case 'NOT': return !evaluate(engine, rec, e.arg);
    default: return matchesCond(engine, rec, e.cond);
  }
}

// ------------------------------------------------------------------ SELECT

type SelectField = { type: string; field?: string; relationships?: string[]; functionName?: string; parameters?: unknown[]; isAggregateFn?: boolean; alias?: string; rawValue?: string };

type ColumnMetadata = {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
};

function column(name: string, joinColumns: ColumnMetadata[] = [], aggregate = false, displayName = name): ColumnMetadata {
  return { aggregate, apexType: null, booleanType: false, columnName: name, custom: name.endsWith('__c'), displayName, foreignKeyName: null, insertable: false, joinColumns, numberType: aggregate, textType: !aggregate, updatable: false };
}

/**
 * `GET …/query?q=…&columns=true`: the query's column metadata instead of its records (what `sf data query`
 * asks first to lay out its table). Relationship fields nest as joinColumns, aggregates are exprN.
 */
export function queryColumns(soql: string): Record<string, unknown> {
  let q: Query;
  try {
    q = parseQuery(soql);
  } catch (err) {
    throw new ApiError(400, 'MALFORMED_QUERY', (err as Error).message.split('\n')[0]);
  }
  const columns: ColumnMetadata[] = [];
  let exprIndex = 0;
  for (const f of (q.fields ?? []) as SelectField[]) {
    if (f.type === 'Field') columns.push(column(f.field!));
    else if (f.type === 'FieldRelationship') {
      const path = [...(f.relationships ?? []), f.field!];
      let nested = column(path[path.length - 1]);
      for (let i = path.length - 2; i >= 0; i--) nested = column(path[i], [nested]);
      columns.push(nested);
    } else if (f.type === 'FieldFunctionExpression') columns.push(column(f.alias ?? `expr${exprIndex++}`, [], true, f.rawValue ?? String(f.functionName)));
  }
  return {
    columnMetadata: columns,
    entityName: q.sObject,
    groupBy: Boolean(q.groupBy),
    idSelected: columns.some((c) => c.columnName === 'Id'),
    keyPrefix: null,
  };
}

export function runQuery(soql: string, src: RecordSource): QueryResult {
  let q: Query;
  try {
    q = parseQuery(soql);
  } catch (err) {
    throw new ApiError(400, 'MALFORMED_QUERY', (err as Error).message.split('\n')[0]);
  }
  if (!q.sObject) throw new ApiError(400, 'MALFORMED_QUERY', 'missing FROM clause');
  const obj = resolveObject(q.sObject, src.tooling);
  const engine = new Engine(src, obj);
  const fields = (q.fields ?? []) as SelectField[];

  const tokens: Token[] = [];
  flatten(q.where as WhereNode | undefined, tokens);
  const where = tokens.length ? parseTokens(tokens) : undefined;

  // validate selected fields before touching records
  const plain: { key: string; res: PathResolution }[] = [];
  const aggregates: { name: string; res?: PathResolution; key: string }[] = [];
  let exprIndex = 0;
  for (const f of fields) {
    if (f.type === 'Field' || f.type === 'FieldRelationship') {
      const path = f.type === 'Field' ? f.field! : `${(f.relationships ?? []).join('.')}.${f.field}`;
      plain.push({ key: f.alias ?? path, res: engine.resolvePath(path) });
    } else if (f.type === 'FieldFunctionExpression' && f.isAggregateFn) {
      const param = f.parameters?.[0];
      const res = typeof param === 'string' ? engine.resolvePath(param) : undefined;
      aggregates.push({ name: String(f.functionName).toUpperCase(), res, key: f.alias ?? `expr${exprIndex++}` });
    } else {
      throw new ApiError(400, 'MALFORMED_QUERY', `unsupported select expression: ${f.rawValue ?? f.type}`);
    }
  }

  let rows = src.records(obj).filter((r) => !where || evaluate(engine, r, where));

  const groupBy = (q.groupBy ? (Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy]) : []) as { field?: string }[];
  const isAggregate = aggregates.length > 0 || groupBy.length > 0;
  const countOnly = aggregates.length === 1 && aggregates[0].name === 'COUNT' && !aggregates[0].res && plain.length === 0 && groupBy.length === 0;
  if (countOnly) return { totalSize: rows.length, records: [] };

  if (isAggregate) {
    const groupRes = groupBy.map((g) => engine.resolvePath(String(g.field)));
    for (const p of plain) {
      if (!groupRes.some((g) => g.field.name === p.res.field.name && g.steps.length === p.res.steps.length)) {
        throw new ApiError(400, 'MALFORMED_QUERY', `Field must be grouped or aggregated: ${p.res.field.name}`);
      }
    }
    const groups = new Map<string, Record<string, unknown>[]>();
    for (const r of rows) {
      const key = JSON.stringify(groupRes.map((g) => engine.valueOf(r, g)));
      const list = groups.get(key) ?? [];
      list.push(r);
      groups.set(key, list);
    }
    if (groupRes.length === 0 && groups.size === 0) groups.set('[]', []);
    let out: Record<string, unknown>[] = [];
    for (const members of groups.values()) {
      const rec: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
      for (const p of plain) rec[p.key.includes('.') ? p.res.field.name : p.key] = members.length ? engine.valueOf(members[0], p.res) : null;
      for (const a of aggregates) rec[a.key] = aggregate(engine, a.name, a.res, members);
      out.push(rec);
    }
    out = sortRows(out, q.orderBy, (rec, ob) => {
      if (ob.fn) {
        const agg = aggregates.find((a) => a.name === String(ob.fn?.functionName).toUpperCase());
        return [agg ? rec[agg.key] : null, 'double'];
      }
      const res = engine.resolvePath(String(ob.field));
      const p = plain.find((x) => x.res.field.name === res.field.name);
      const alias = aggregates.find((a) => a.key.toLowerCase() === String(ob.field).toLowerCase());
      if (alias) return [rec[alias.key], 'double'];
      return [p ? rec[p.key.includes('.') ? p.res.field.name : p.key] : null, res.field.type];
    });
    out = applyLimit(out, q);
    return { totalSize: out.length, records: out };
  }

  rows = sortRows(rows, q.orderBy, (rec, ob) => {
    if (!ob.field) throw new ApiError(400, 'MALFORMED_QUERY', 'ORDER BY function needs GROUP BY');
    const res = engine.resolvePath(ob.field);
    return [engine.valueOf(rec, res), res.field.type];
  });
  rows = applyLimit(rows, q);
  const records = rows.map((r) => {
    const out: Record<string, unknown> = { attributes: { type: obj.name, url: src.recordUrl(obj.name, String(r.Id)) } };
    for (const p of plain) engine.project(out, r, p.res);
    return out;
  });
  return { totalSize: records.length, records };
}

function aggregate(engine: Engine, name: string, res: PathResolution | undefined, members: Record<string, unknown>[]): unknown {
  if (name === 'COUNT' && !res) return members.length;
  const values = members.map((m) => (res ? engine.valueOf(m, res) : null)).filter((v) => v !== null && v !== undefined);
  const type = res?.field.type ?? 'double';
  switch (name) {
    case 'COUNT': return values.length;
    case 'COUNT_DISTINCT': return new Set(values.map((v) => String(v).toLowerCase())).size;
    case 'MAX':
    case 'MIN': {
      if (!values.length) return null;
      return values.reduce((best, v) => {
        const c = compareValues(v, best, type);
        return (name === 'MAX' ? c > 0 : c < 0) ? v : best;
      });
    }
    case 'SUM': return values.length ? values.reduce((n: number, v) => n + Number(v), 0) : null;
    case 'AVG': return values.length ? values.reduce((n: number, v) => n + Number(v), 0) / values.length : null;
    default: throw new ApiError(400, 'MALFORMED_QUERY', `unsupported aggregate ${name}`);
  }
}

type OrderBy = { field?: string; fn?: { functionName?: string }; order?: string; nulls?: string };

function sortRows<T>(rows: T[], orderBy: unknown, key: (row: T, ob: OrderBy) => [unknown, string]): T[] {
  const list = (orderBy ? (Array.isArray(orderBy) ? orderBy : [orderBy]) : []) as OrderBy[];
  if (!list.length) return rows;
  const keyed = rows.map((row) => ({ row, keys: list.map((ob) => key(row, ob)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < list.length; i++) {
      const desc = String(list[i].order ?? 'ASC').toUpperCase() === 'DESC';
      const nullsLast = list[i].nulls ? String(list[i].nulls).toUpperCase() === 'LAST' : desc;
      const [va, type] = a.keys[i];
      const [vb] = b.keys[i];
      const an = va === null || va === undefined;
      const bn = vb === null || vb === undefined;
      if (an || bn) {
        if (an && bn) continue;
        return an === nullsLast ? 1 : -1;
      }
      const c = compareValues(va, vb, type);
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}

function applyLimit<T>(rows: T[], q: Query): T[] {
  const offset = q.offset ?? 0;
  const end = q.limit !== undefined ? offset + q.limit : undefined;
  return rows.slice(offset, end);
}
