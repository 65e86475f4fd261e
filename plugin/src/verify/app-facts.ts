/**
 * The app as the org holds it, next to the bundle setup would deploy today: rendered exactly as setup
 * renders it (same templates, the org's own consumer key and certificate, the policy names the org uses),
 * so a field-by-field comparison shows real drift and nothing else.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { buildKeyAndCertificate, parseCertificatePem } from '../cert/index.js';
import {
  checkConsumerKey,
  renderBundle,
  type ComponentKey,
  type RenderBundleResult,
} from '../metadata/index.js';
import { getText, parseMetadataXml, type MetadataDocument } from '../metadata/xml.js';
import { listPolicyNames, readBundleFromOrg, readComponentXml } from '../setup/metadata-transfer.js';
import type { OrganizationFacts } from '../setup/org-facts.js';
import type { VerifyOptions } from './context.js';

export type GlobalSettings = { xml?: string; certificate?: string; consumerKey?: string };

export type AppFacts = {
  exists: boolean;
  bundle: RenderBundleResult;
  /** Our components' source XML as the org holds them, by `<type>:<fullName>`. */
  inOrg: Map<string, string>;
  /** What we would deploy, by `<type>:<fullName>`. */
  rendered: Map<string, string>;
  viewAllData: boolean;
  setupAudit: boolean;
  /** The org's copy of one of our components, parsed. */
  doc(key: ComponentKey): MetadataDocument | undefined;
};

export type AppRenderOptions = Pick<VerifyOptions, 'appName' | 'label' | 'contactEmail' | 'ipRelaxation' | 'viewAllData' | 'setupAudit' | 'sourceDir' | 'workDir'> & {
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

export async function loadAppFacts(conn: Connection, org: OrganizationFacts, global: GlobalSettings, options: AppRenderOptions): Promise<AppFacts> {
  const certificatePem = parses(global.certificate)
    ? asPem(global.certificate)
    : options.fallbackCertificate ?? (await placeholderCertificate(options.appName));
  const usable = (key: string | undefined): string | undefined => (key !== undefined && checkConsumerKey(key) === undefined ? key : undefined);
  const consumerKey = usable(global.consumerKey?.trim()) ?? usable(options.fallbackConsumerKey?.trim());

  const render = async (extra: { viewAllData: boolean; setupAudit: boolean; oauthPolicyName?: string; appPolicyName?: string; orgId?: string }): Promise<RenderBundleResult> => {
    const outputDir = join(options.workDir, 'bundle');
    await rm(outputDir, { recursive: true, force: true });
    return renderBundle({
      sourceDir: options.sourceDir,
      outputDir,
      appName: options.appName,
      label: options.label,
      contactEmail: options.contactEmail,
      ipRelaxation: options.ipRelaxation,
      oauth: { certificatePem, callbackUrl: org.myDomainUrl, consumerKey },
      ...extra,
    });
  };

  // One read covers every component the org may have, the opt-in permission sets included.
  let bundle = await render({ viewAllData: true, setupAudit: true });
  let inOrg = await readBundleFromOrg(conn, bundle, global.xml ?? '');
  const exists = inOrg.has(componentKey('ExternalClientApplication', bundle.names.eca));
  let policyNames: { oauthPolicyName?: string; appPolicyName?: string } = {};
  if (exists && (!inOrg.has(componentKey('ExtlClntAppOauthConfigurablePolicies', bundle.names.oauthPolicy)) || !inOrg.has(componentKey('ExtlClntAppConfigurablePolicies', bundle.names.appPolicy)))) {
    // Salesforce may have named the auto-created policies differently (setup updates those, so do we).
    policyNames = await listPolicyNames(conn, options.appName);
    if (policyNames.oauthPolicyName || policyNames.appPolicyName) {
      bundle = await render({ viewAllData: true, setupAudit: true, ...policyNames });
      inOrg = await readBundleFromOrg(conn, bundle, global.xml ?? '');
    }
  }

  // The opt-in permission sets: as configured, else as the org's policy pre-authorizes them.
  const policyXml = inOrg.get(componentKey('ExtlClntAppOauthConfigurablePolicies', bundle.names.oauthPolicy));
  const preAuthorized = policyXml ? csv(getText(parseMetadataXml(policyXml, 'OAuth policy (org)'), 'commaSeparatedPermissionSet')) : [];
  const viewAllData = options.viewAllData ?? preAuthorized.includes(bundle.names.viewAllDataPermissionSet);
  const setupAudit = options.setupAudit ?? preAuthorized.includes(bundle.names.setupAuditPermissionSet);
  bundle = await render({ viewAllData, setupAudit, ...policyNames, orgId: exists ? org.orgId : undefined });

  const rendered = new Map<string, string>();
  for (const c of bundle.components) rendered.set(componentKey(c.type, c.fullName), await readFile(c.file, 'utf8'));
  const final = bundle;
  return {
    exists,
    bundle,
    inOrg,
    rendered,
    viewAllData,
    setupAudit,
    doc: (key) => {
      const ref = final.components.find((c) => c.key === key);
      const xml = ref ? inOrg.get(componentKey(ref.type, ref.fullName)) : undefined;
      return xml ? parseMetadataXml(xml, `${ref?.type ?? key} (org)`) : undefined;
    },
  };
}
