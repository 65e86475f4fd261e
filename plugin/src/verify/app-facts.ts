/**
 * The app as the org holds it, next to the bundle setup would deploy today: rendered in memory exactly as
 * setup renders it (same templates, the org's own consumer key and certificate, the policy names the org
 * uses), so a field-by-field comparison (plan/plan.ts, as setup's plan) shows real drift and nothing else.
 * The org's copy comes from the same reader setup uses (org/state.ts).
 */
import type { Connection } from '@salesforce/core';
import { buildKeyAndCertificate, parseCertificatePem } from '../cert/index.js';
import { checkConsumerKey, loadTemplates, renderDocuments, type ComponentKey, type RenderedBundle, type RenderedDocument } from '../metadata/index.js';
import { getText, parseMetadataXml, type MetadataDocument } from '../metadata/xml.js';
import type { OrganizationFacts } from '../org/facts.js';
import { readComponentXml } from '../org/metadata-read.js';
import { readOurComponents, type OurComponents } from '../org/state.js';
import type { VerifyInputs } from '../project/inputs.js';

export type GlobalSettings = { xml?: string; certificate?: string; consumerKey?: string };

export type AppFacts = {
  exists: boolean;
  /** What setup would deploy, in memory; `components` are its documents. */
  bundle: RenderedBundle & { components: readonly RenderedDocument[] };
  /** Our components' source XML as the org holds them, by `<type>:<fullName>`. */
  inOrg: ReadonlyMap<string, string>;
  viewAllData: boolean;
  setupAudit: boolean;
  /** The org's copy of one of our components, parsed. */
  doc(key: ComponentKey): MetadataDocument | undefined;
};

export type AppRenderOptions = Pick<VerifyInputs, 'appName' | 'label' | 'contactEmail' | 'ipRelaxation' | 'viewAllData' | 'setupAudit'> & {
  allowedIpRanges?: VerifyInputs['allowedIpRanges'];
} & {
  sourceDir: string;
  /** A certificate to render with when the org has none (the local one). */
  fallbackCertificate?: string;
  /** A consumer key to render with when the org's cannot be read (the one given). */
  fallbackConsumerKey?: string;
};

export const componentKey = (type: string, fullName: string): string => `${type}:${fullName}`;

export const csv = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

export async function readGlobalSettings(conn: Connection, fullName: string): Promise<GlobalSettings> {
  const xml = await readComponentXml(conn, 'ExtlClntAppGlobalOauthSettings', fullName);
  if (!xml) return {};
  const doc = parseMetadataXml(xml, 'global OAuth settings (org)');
  return { xml, certificate: getText(doc, 'certificate') || undefined, consumerKey: getText(doc, 'consumerKey') || undefined };
}

function parses(pem: string | undefined): pem is string {
  if (!pem) return false;
  try {
    parseCertificatePem(pem.includes('BEGIN CERTIFICATE') ? pem : `-----BEGIN CERTIFICATE-----\n${pem}\n-----END CERTIFICATE-----`);
    return true;
  } catch {
    return false;
  }
}

/** The org stores the certificate as PEM; some APIs hand back the bare base64 body. */
export function asPem(certificate: string): string {
  if (certificate.includes('BEGIN CERTIFICATE')) return certificate;
  const body = certificate.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

async function placeholderCertificate(appName: string): Promise<string> {
  const { certificatePem } = await buildKeyAndCertificate({ commonName: `${appName} placeholder`, keySize: 2048, validityDays: 1 });
  return certificatePem;
}

/** The opt-in permission sets: as configured, else as the org's policy pre-authorizes them. */
function optIns(ours: OurComponents, options: AppRenderOptions): { viewAllData: boolean; setupAudit: boolean } {
  const policyXml = ours.get('oauthPolicy');
  const preAuthorized = policyXml ? csv(getText(parseMetadataXml(policyXml, 'OAuth policy (org)'), 'commaSeparatedPermissionSet')) : [];
  return {
    viewAllData: options.viewAllData ?? preAuthorized.includes(ours.names.viewAllDataPermissionSet),
    setupAudit: options.setupAudit ?? preAuthorized.includes(ours.names.setupAuditPermissionSet),
  };
}

export async function loadAppFacts(conn: Connection, org: OrganizationFacts, global: GlobalSettings, options: AppRenderOptions): Promise<AppFacts> {
  const [ours, templates] = await Promise.all([readOurComponents(conn, options.appName), loadTemplates(options.sourceDir)]);
  const certificatePem = parses(global.certificate) ? asPem(global.certificate) : options.fallbackCertificate ?? (await placeholderCertificate(options.appName));
  const usable = (key: string | undefined): string | undefined => (key !== undefined && checkConsumerKey(key) === undefined ? key : undefined);
  const consumerKey = usable(global.consumerKey?.trim()) ?? usable(options.fallbackConsumerKey?.trim());
  const { viewAllData, setupAudit } = optIns(ours, options);
  const bundle = renderDocuments(templates, {
    appName: options.appName,
    label: options.label,
    contactEmail: options.contactEmail,
    ipRelaxation: options.ipRelaxation,
    loginIpRanges: options.allowedIpRanges,
    viewAllData,
    setupAudit,
    ...ours.policyNames,
    oauth: { certificatePem, callbackUrl: org.myDomainUrl, consumerKey },
    orgId: ours.appExists ? org.orgId : undefined,
  });
  const inOrg = new Map(ours.xml);
  if (global.xml) inOrg.set(componentKey('ExtlClntAppGlobalOauthSettings', bundle.names.globalSettings), global.xml);
  return {
    exists: ours.appExists,
    bundle: { ...bundle, components: bundle.documents },
    inOrg,
    viewAllData,
    setupAudit,
    doc: (key) => {
      const ref = bundle.documents.find((c) => c.key === key);
      const xml = ref ? inOrg.get(componentKey(ref.type, ref.fullName)) : undefined;
      return xml ? parseMetadataXml(xml, `${ref?.type ?? key} (org)`) : undefined;
    },
  };
}
