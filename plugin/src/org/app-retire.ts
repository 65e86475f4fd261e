/**
 * Taking an External Client App out of service, shared by `revoke` and `cert rotate --finish`: switch the app
 * and its OAuth plugin off (a deploy of its app policy as the org has it), or delete the app's components (a
 * destructive deploy). Revoking its tokens is `revokeAndCount` (oauth-usage.ts).
 */
import type { Connection } from '@salesforce/core';
import { componentRefs, parseMetadataXml, serializeMetadataXml, setText, type ComponentKey } from '../metadata/index.js';
import { deleteComponentXml, deployComponentXml, type ComponentXml, type DeployOutcome } from './metadata-transfer.js';
import type { OurComponents } from './state.js';

const APP_KEYS: readonly ComponentKey[] = ['eca', 'oauthSettings', 'globalSettings', 'oauthPolicy', 'appPolicy'];

/** The app policy as the org has it, with the app and its OAuth plugin switched off, deployed alone. */
export async function disableApp(conn: Connection, ours: OurComponents, onProgress?: (message: string) => void): Promise<DeployOutcome> {
  const ref = componentRefs(ours.names).appPolicy;
  const doc = parseMetadataXml(ours.get('appPolicy') ?? '', 'app policy (org)');
  setText(doc, 'isEnabled', 'false');
  setText(doc, 'isOauthPluginEnabled', 'false');
  return deployComponentXml(conn, [{ type: 'ExtlClntAppConfigurablePolicies', fullName: ref.fullName, xml: serializeMetadataXml(doc) }], `the policy of ${ours.names.appName}`, { onProgress });
}

/** Deletes the app's components the org holds (the app, its OAuth settings and policies), in one destructive deploy. */
export async function deleteApp(conn: Connection, ours: OurComponents, onProgress?: (message: string) => void): Promise<DeployOutcome> {
  const refs = componentRefs(ours.names);
  const components: ComponentXml[] = APP_KEYS.flatMap((key) => {
    const xml = ours.get(key);
    // The global OAuth settings name the consumer key: staged 0600 like every copy of them.
    return xml ? [{ type: refs[key].type, fullName: refs[key].fullName, xml, mode: key === 'globalSettings' ? 0o600 : undefined }] : [];
  });
  return deleteComponentXml(conn, components, `the External Client App ${ours.names.appName}`, { onProgress });
}
