/**
 * The desired state: the bundle as it should be in this org (rendered in memory from the templates, with
 * the org's own consumer key, policy names and org Id when the app exists), the settings, the integration
 * user with its assignments, and the key pair to write. Refuses, before any write, to take over a
 * permission set that is not ours or to replace a certificate the app already trusts.
 */
import { Messages } from '@salesforce/core';
import { getText, loadTemplates, parseMetadataXml, renderDocuments, type RenderedBundle } from '../metadata/index.js';
import { sameCertificate } from '../plan/drift.js';
import type { DesiredState } from '../plan/plan.js';
import { consumerKeyOf } from '../org/state.js';
import type { CheckLog } from './check-log.js';
import type { SetupOptions } from './options.js';
import type { Preflight } from './preflight.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.setup');

/** In the description of every permission set sf-anzenna deploys (force-app): what marks it as ours. */
export const MANAGED_MARKER = 'Managed by sf-anzenna';

const textOf = (xml: string | undefined, field: string, what: string): string | undefined => (xml ? getText(parseMetadataXml(xml, what), field) : undefined);

export { consumerKeyOf } from '../org/state.js';

/** A permission set of our name that sf-anzenna did not make is someone else's: deploying ours would switch off what it grants. */
function refuseForeignPermissionSets(bundle: RenderedBundle, pre: Preflight): void {
  for (const name of bundle.preAuthorized.permissionSets) {
    const xml = pre.ours.xml.get(`PermissionSet:${name}`);
    const description = xml ? textOf(xml, 'description', `permission set ${name} (org)`) ?? '' : undefined;
    if (description !== undefined && !description.includes(MANAGED_MARKER)) throw messages.createError('error.PermissionSetNameTaken', [name], [MANAGED_MARKER]);
  }
}

/** A new key pair must not silently replace the certificate the app already trusts: that would cut the vendor off. */
function refuseCertificateReplacement(pre: Preflight, options: SetupOptions): void {
  const orgCertificate = textOf(pre.ours.get('globalSettings'), 'certificate', 'global OAuth settings (org)');
  if (pre.keys.mode === 'generated' && orgCertificate && !sameCertificate(orgCertificate, pre.keys.certificatePem)) {
    throw messages.createError('error.CertificateWouldBeReplaced', [options.appName, options.outputDir]);
  }
}

export async function buildDesired(pre: Preflight, options: SetupOptions, log: CheckLog): Promise<DesiredState & { existingConsumerKey?: string }> {
  const existingConsumerKey = consumerKeyOf(pre.ours.get('globalSettings'));
  // The app is gone but the rest of the integration is here (a refreshed sandbox, or a deleted app): a new key.
  if (!pre.ours.appExists && pre.ours.get('profile')) log.warn('app.redeployed', messages.getMessage('warning.appRedeployed', [options.appName]));
  if (pre.ours.appExists) {
    refuseCertificateReplacement(pre, options);
    if (!existingConsumerKey) log.warn('consumerKey', messages.getMessage('warning.consumerKeyUnreadable', [options.appName]));
  }
  const bundle = renderDocuments(await loadTemplates(options.sourceDir), {
    appName: options.appName,
    label: options.label,
    contactEmail: options.contactEmail,
    ipRelaxation: options.ipRelaxation,
    loginIpRanges: options.allowedIpRanges,
    viewAllData: options.viewAllData,
    setupAudit: options.setupAudit,
    oauthPolicyName: pre.ours.policyNames.oauthPolicyName,
    appPolicyName: pre.ours.policyNames.appPolicyName,
    oauth: {
      certificatePem: pre.keys.certificatePem,
      callbackUrl: pre.facts.myDomainUrl,
      consumerKey: existingConsumerKey,
      keepOrgConsumerKey: pre.ours.appExists && !existingConsumerKey,
    },
    orgId: pre.ours.appExists ? pre.facts.orgId : undefined,
  });
  refuseForeignPermissionSets(bundle, pre);
  const names = bundle.names;
  return {
    bundle,
    existingConsumerKey,
    realTimeEvents: options.realTimeEvents,
    keyPair: pre.keys.write && pre.keys.privateKeyPath && pre.keys.certificatePath ? { privateKeyPath: pre.keys.privateKeyPath, certificatePath: pre.keys.certificatePath } : undefined,
    user: {
      username: pre.username,
      email: pre.adminEmail,
      profileName: names.profile,
      permissionSets: [...bundle.preAuthorized.permissionSets],
      revokePermissionSets: [...(options.viewAllData ? [] : [names.viewAllDataPermissionSet]), ...(options.setupAudit ? [] : [names.setupAuditPermissionSet])],
    },
  };
}
