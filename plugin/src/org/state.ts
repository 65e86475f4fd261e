/**
 * What the org holds of ours, read at once and shared by setup, verify and the commands to come: the
 * app and its satellites (under the policy names the org uses), the integration profile, every permission
 * set of ours (the opt-ins included) and the two settings. One listMetadata tells what exists; then one
 * readMetadata per type reads it (a retrieve only where the org refuses readMetadata for a type).
 * A fresh org costs the list alone.
 */
import type { Connection } from '@salesforce/core';
import { componentNames, componentRefs, getText, parseMetadataXml, type ComponentKey, type ComponentNames } from '../metadata/index.js';
import { componentKey, listNames, listPolicyNames, readComponents, type Member, type PolicyNames } from './metadata-read.js';

export type OurComponents = {
  /** Source XML as the org holds it, by `<type>:<fullName>`. */
  readonly xml: ReadonlyMap<string, string>;
  /** Names of our components as the org has them (policies possibly auto-named by Salesforce). */
  readonly names: ComponentNames;
  /** Non-default policy names found in the org (to render with, so a deploy updates them). */
  readonly policyNames: PolicyNames;
  readonly appExists: boolean;
  /** None of the app, the profile or our permission sets exists yet. */
  readonly fresh: boolean;
  /** A component's XML by its role, or undefined when the org has none. */
  get(key: ComponentKey): string | undefined;
};

const LISTED = ['ExternalClientApplication', 'Profile', 'PermissionSet'] as const;
const APP_KEYS: ComponentKey[] = ['eca', 'oauthSettings', 'globalSettings', 'oauthPolicy', 'appPolicy'];
const ACCESS_KEYS: ComponentKey[] = ['profile', 'permissionSet', 'viewAllDataPermissionSet', 'setupAuditPermissionSet'];
const SETTINGS_KEYS: ComponentKey[] = ['eventSettings', 'realTimeEventSettings'];

/** A settings read the org refuses because the feature is off or not licensed means "not on", not an error. */
export function isFeatureUnavailable(error: unknown): boolean {
  const e = error as { name?: string; errorCode?: string; message?: string };
  return /FUNCTIONALITY_NOT_ENABLED|INSUFFICIENT_ACCESS|FEATURE_NOT_ENABLED|NOT_AVAILABLE/i.test(`${e.errorCode ?? ''} ${e.name ?? ''} ${e.message ?? ''}`);
}

async function readSettings(conn: Connection, members: Member[]): Promise<Map<string, string>> {
  const reads = await Promise.all(
    members.map((m) =>
      readComponents(conn, [m]).catch((error: unknown) => {
        if (isFeatureUnavailable(error)) return new Map<string, string>();
        throw error;
      })
    )
  );
  return new Map(reads.flatMap((r) => [...r]));
}

function has(listed: Map<string, string[]>, type: string, name: string): boolean {
  return (listed.get(type) ?? []).some((n) => n.toLowerCase() === name.toLowerCase());
}

function membersOf(names: ComponentNames, keys: ComponentKey[]): Member[] {
  const refs = componentRefs(names);
  return keys.map((k) => ({ type: refs[k].type, fullName: refs[k].fullName }));
}

function view(names: ComponentNames, xml: Map<string, string>, policyNames: PolicyNames, appExists: boolean, fresh: boolean): OurComponents {
  const refs = componentRefs(names);
  return { xml, names, policyNames, appExists, fresh, get: (key) => xml.get(componentKey(refs[key].type, refs[key].fullName)) };
}

/** The app's components; when the policies are not under our names, those Salesforce auto-named are read instead. */
async function readApp(conn: Connection, names: ComponentNames): Promise<{ xml: Map<string, string>; names: ComponentNames; policyNames: PolicyNames }> {
  const xml = await readComponents(conn, membersOf(names, APP_KEYS));
  const refs = componentRefs(names);
  const present = (key: ComponentKey): boolean => xml.has(componentKey(refs[key].type, refs[key].fullName));
  if (present('oauthPolicy') && present('appPolicy')) return { xml, names, policyNames: {} };
  const policyNames = await listPolicyNames(conn, names.appName);
  if (!policyNames.oauthPolicyName && !policyNames.appPolicyName) return { xml, names, policyNames: {} };
  const renamed = componentNames(names.appName, { oauthPolicy: policyNames.oauthPolicyName, appPolicy: policyNames.appPolicyName });
  const policies = await readComponents(conn, membersOf(renamed, ['oauthPolicy', 'appPolicy']));
  return { xml: new Map([...xml, ...policies]), names: renamed, policyNames };
}

/** Everything of ours the org holds, all reads at once. `realTimeEvents`: also read RealTimeEventSettings. */
export async function readOurComponents(conn: Connection, appName: string, options: { realTimeEvents?: boolean } = {}): Promise<OurComponents> {
  const names = componentNames(appName);
  const settingsKeys = SETTINGS_KEYS.filter((k) => k === 'eventSettings' || options.realTimeEvents);
  const [listed, settings] = await Promise.all([listNames(conn, [...LISTED]), readSettings(conn, membersOf(names, settingsKeys))]);
  const appExists = has(listed, 'ExternalClientApplication', names.eca);
  const access = membersOf(names, ACCESS_KEYS).filter((m) => has(listed, m.type, m.fullName));
  const fresh = !appExists && access.length === 0;
  const [app, accessXml] = await Promise.all([
    appExists ? readApp(conn, names) : Promise.resolve({ xml: new Map<string, string>(), names, policyNames: {} }),
    access.length > 0 ? readComponents(conn, access) : Promise.resolve(new Map<string, string>()),
  ]);
  return view(app.names, new Map([...settings, ...accessXml, ...app.xml]), app.policyNames, appExists, fresh);
}

/** The consumer key in the global OAuth settings' XML as the org holds it (undefined: none, or unreadable). */
export function consumerKeyOf(xml: string | undefined): string | undefined {
  return (xml ? getText(parseMetadataXml(xml, 'global OAuth settings (org)'), 'consumerKey') : undefined)?.trim() || undefined;
}

/** The certificate in the global OAuth settings' XML as the org holds it (undefined: none, or unreadable). */
export function certificateOf(xml: string | undefined): string | undefined {
  return (xml ? getText(parseMetadataXml(xml, 'global OAuth settings (org)'), 'certificate') : undefined)?.trim() || undefined;
}
