/**
 * Reads our components from the org. The synchronous Metadata API `readMetadata` (up to 10 names a call,
 * no queued job, no polling) is preferred over a retrieve; where the org refuses readMetadata for a type
 * (UNVERIFIED which orgs do: some types have historically been retrieve-only), that type falls back to a
 * retrieve and the read carries on. Each component comes back as source XML keyed by `<type>:<fullName>`.
 */
import type { Connection } from '@salesforce/core';
import { retryRead } from '../faults/org-faults.js';
import { buildMetadataXml, field, getText, parseMetadataXml, type XmlElement } from '../metadata/xml.js';
import { retrieveComponents } from './metadata-transfer.js';

export type Member = { type: string; fullName: string };

/** readMetadata takes at most 10 full names a call. */
export const READ_BATCH = 10;

/** listMetadata takes at most 3 queries a call. */
const LIST_BATCH = 3;

export const componentKey = (type: string, fullName: string): string => `${type}:${fullName}`;

/** Settings are read by their own type name (EventSettings, fullName Event); their source root is that name too. */
const readTypeOf = (member: Member): string => (member.type === 'Settings' ? `${member.fullName}Settings` : member.type);

type ReadType = Parameters<Connection['metadata']['read']>[0];

/** readMetadata's JSON back into elements: arrays repeat, objects nest (RealTimeEventSettings' realTimeEvents, a profile's userPermissions). */
function elementsOf(value: Record<string, unknown>): XmlElement[] {
  const out: XmlElement[] = [];
  for (const [name, raw] of Object.entries(value)) {
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      if (item === null || item === undefined) continue;
      out.push(typeof item === 'object' ? { name, children: elementsOf(item as Record<string, unknown>) } : field(name, String(item)));
    }
  }
  return out;
}

function toXml(readType: string, record: Record<string, unknown> | undefined): string | undefined {
  if (!record || typeof record !== 'object' || !record.fullName) return undefined;
  return buildMetadataXml(readType, elementsOf(Object.fromEntries(Object.entries(record).filter(([name]) => name !== 'fullName' && name !== '$'))));
}

/** One readMetadata call: the components found, by full name (lower case). */
async function readBatch(conn: Connection, readType: string, fullNames: string[]): Promise<Map<string, string>> {
  // A SOAP POST jsforce never retries: a 429, a 5xx or a dropped connection is tried again here with a backoff.
  const raw = (await retryRead('readMetadata', () => conn.metadata.read(readType as ReadType, fullNames))) as unknown;
  const records = (Array.isArray(raw) ? raw : [raw]) as Array<Record<string, unknown> | undefined>;
  const found = new Map<string, string>();
  for (const record of records) {
    const xml = toXml(readType, record);
    if (xml) found.set(String(record?.fullName).toLowerCase(), xml);
  }
  return found;
}

/** A refusal of the operation for this type (as opposed to an outage, a 401 or a 5xx, which must surface). */
export function isReadRefused(error: unknown): boolean {
  const e = error as { name?: string; errorCode?: string; message?: string };
  return /INVALID_TYPE|INVALID_OPERATION|UNSUPPORTED|not supported|cannot be read/i.test(`${e.errorCode ?? ''} ${e.name ?? ''} ${e.message ?? ''}`);
}

async function readType(conn: Connection, members: Member[]): Promise<Map<string, string>> {
  const readTypeName = readTypeOf(members[0]);
  const batches: Member[][] = [];
  for (let i = 0; i < members.length; i += READ_BATCH) batches.push(members.slice(i, i + READ_BATCH));
  const out = new Map<string, string>();
  try {
    const results = await Promise.all(batches.map((batch) => readBatch(conn, readTypeName, batch.map((m) => m.fullName))));
    for (const member of members) {
      const xml = results.map((r) => r.get(member.fullName.toLowerCase())).find((x) => x !== undefined);
      if (xml) out.set(componentKey(member.type, member.fullName), xml);
    }
    return out;
  } catch (error) {
    if (!isReadRefused(error)) throw error;
    return retrieveComponents(conn, members);
  }
}

/** Every given component the org has, at once: one readMetadata per type and 10 names, a retrieve where refused. */
export async function readComponents(conn: Connection, members: readonly Member[]): Promise<Map<string, string>> {
  const byType = new Map<string, Member[]>();
  for (const m of members) byType.set(readTypeOf(m), [...(byType.get(readTypeOf(m)) ?? []), m]);
  const maps = await Promise.all([...byType.values()].map((group) => readType(conn, group)));
  return new Map(maps.flatMap((m) => [...m]));
}

/** One component as source XML, or undefined when the org has none. */
export async function readComponentXml(conn: Connection, type: string, fullName: string): Promise<string | undefined> {
  return (await readComponents(conn, [{ type, fullName }])).get(componentKey(type, fullName));
}

/** Full names of the org's components of the given types (listMetadata, 3 types a call, calls at once). */
export async function listNames(conn: Connection, types: string[]): Promise<Map<string, string[]>> {
  const batches: string[][] = [];
  for (let i = 0; i < types.length; i += LIST_BATCH) batches.push(types.slice(i, i + LIST_BATCH));
  const found = (await Promise.all(batches.map((batch) => retryRead('listMetadata', () => conn.metadata.list(batch.map((type) => ({ type }))))))).flatMap((r) => (Array.isArray(r) ? r : [r]));
  const byType = new Map<string, string[]>(types.map((t) => [t, []]));
  for (const item of found) if (item?.type) byType.get(item.type)?.push(item.fullName);
  return byType;
}

export type PolicyNames = { oauthPolicyName?: string; appPolicyName?: string };

const POLICY_TYPES = ['ExtlClntAppOauthConfigurablePolicies', 'ExtlClntAppConfigurablePolicies'] as const;

/** The app a policy's XML belongs to (its `externalClientApplication`), or undefined when unreadable. */
function policyOwner(xml: string | undefined): string | undefined {
  if (!xml) return undefined;
  try {
    return getText(parseMetadataXml(xml, 'a policy (org)'), 'externalClientApplication')?.trim();
  } catch {
    return undefined;
  }
}

/**
 * The names of an app's two policies as the org has them: Salesforce auto-creates them when the app is
 * created, possibly under other names than ours, and a deploy must update those rather than add a second.
 * A name prefix is not enough (`Anzenna_Test_…`, or a rotation's `Anzenna_20261206_…`, start with
 * `Anzenna_`): each candidate is read and kept only when it names this app.
 */
export async function listPolicyNames(conn: Connection, appName: string): Promise<PolicyNames> {
  const listed = await listNames(conn, [...POLICY_TYPES]);
  const candidates = POLICY_TYPES.flatMap((type) => (listed.get(type) ?? []).filter((n) => n.startsWith(`${appName}_`)).map((fullName) => ({ type, fullName })));
  if (candidates.length === 0) return {};
  const xml = await readComponents(conn, candidates);
  const mine = (type: string): string | undefined =>
    candidates.find((c) => c.type === type && policyOwner(xml.get(componentKey(c.type, c.fullName)))?.toLowerCase() === appName.toLowerCase())?.fullName;
  return { oauthPolicyName: mine(POLICY_TYPES[0]), appPolicyName: mine(POLICY_TYPES[1]) };
}
