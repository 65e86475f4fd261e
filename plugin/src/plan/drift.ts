/**
 * Compares what we would deploy with what the org holds, field by field. The org's copy may carry more
 * (org-specific fields, defaults Salesforce fills in); only what we set counts. Setup deploys a stage only
 * when something differs, so a second run changes nothing; verify reports the same differences as drift.
 */
import { formatIpRange, loginIpRangesOf, sameIpRanges } from '../metadata/ip-ranges.js';
import { parseMetadataXml, type MetadataDocument, type XmlElement } from '../metadata/xml.js';

export type Difference = { field: string; expected: string; actual: string };

const LIST_FIELDS = /^commaSeparated/;
/** Org-specific identity fields that Salesforce fills in itself: not configuration, never drift. */
const IDENTITY_FIELDS = new Set(['orgScopedExternalApp', 'oauthLink']);
/**
 * Fields an org may not show at all: absent from its read-back, they are unknown, not different. Reported
 * (issue #8, UNVERIFIED): an ECA's certificate cannot be read back through any API; the live JWT login
 * proves it instead (setup's proof, verify's live.jwt).
 */
export const HIDDEN_BY_ORG = new Set(['certificate']);
/**
 * Fields an org normalises: the value it reads back (`readsBack`) for what we deploy is not drift. Reported
 * (issue #8, UNVERIFIED): `isPkceRequired=false` deploys but reads back `true`. PKCE only concerns the
 * authorization-code flow, never the JWT bearer flow, so nothing is lost by not comparing that value.
 */
export const NORMALISED_BY_ORG: Readonly<Record<string, { deployed: string; readsBack: string }>> = { isPkceRequired: { deployed: 'false', readsBack: 'true' } };

/**
 * The OAuth policy setup falls back to when the org refuses to pre-authorize a permission set carrying the
 * Salesforce API Integration licence (KB 001453686, stated for Connected Apps; UNVERIFIED for ECAs): the
 * profile alone. An org policy with our profiles and no permission sets is that fallback, not drift, so a
 * re-run does not deploy (and get refused) again; setup and verify say so as a warning instead.
 */
export function isProfileOnlyFallback(desired: MetadataDocument, actual: MetadataDocument): boolean {
  const text = (doc: MetadataDocument, name: string): string => normalise(name, doc.children.find((c) => c.name === name)?.text ?? '');
  const profile = 'commaSeparatedProfile';
  return text(desired, profile) !== '' && text(actual, profile) === text(desired, profile) && text(actual, 'commaSeparatedPermissionSet') === '';
}

/** The org's value is one it shows for what we deploy (normalised), or it hides the field: not a difference. */
function acceptedReadBack(name: string, expected: string, found: string | undefined): boolean {
  if (found === undefined) return HIDDEN_BY_ORG.has(name);
  const rule = NORMALISED_BY_ORG[name];
  return rule !== undefined && expected === rule.deployed && found === rule.readsBack;
}

function normalise(name: string, text: string): string {
  const value = text.trim();
  if (LIST_FIELDS.test(name)) {
    return value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v.length > 0)
      .sort()
      .join(',');
  }
  if (name === 'certificate') return value.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (/^(true|false)$/i.test(value)) return value.toLowerCase();
  return value;
}

/** Two PEM certificates (or bare base64, as an org may return it) hold the same certificate. */
export function sameCertificate(a: string, b: string): boolean {
  return normalise('certificate', a) === normalise('certificate', b);
}

function blockKey(element: XmlElement): string {
  return (element.children ?? [])
    .filter((c) => c.text !== undefined)
    .map((c) => `${c.name}=${normalise(c.name, c.text ?? '')}`)
    .sort()
    .join(';');
}

/** The identifying child of a repeated block (userPermissions/name, realTimeEvents/entityName, …), for messages. */
function blockLabel(element: XmlElement): string {
  const id = (element.children ?? []).find((c) => ['name', 'entityName', 'field', 'object'].includes(c.name));
  return id?.text ? `${element.name}[${id.text}]` : element.name;
}

/** Login IP ranges compare as a set (extra ranges in the org count; descriptions do not), and only when we set some. */
function ipRangeDifferences(desired: MetadataDocument, actual: MetadataDocument): Difference[] {
  const wanted = loginIpRangesOf(desired);
  if (wanted.length === 0) return [];
  const found = loginIpRangesOf(actual);
  if (sameIpRanges(wanted, found)) return [];
  return [{ field: 'loginIpRanges', expected: wanted.map(formatIpRange).join(', '), actual: found.length > 0 ? found.map(formatIpRange).join(', ') : '(none)' }];
}

export function compareDocuments(desired: MetadataDocument, actual: MetadataDocument | undefined): Difference[] {
  if (!actual) return [{ field: '(component)', expected: 'present', actual: 'missing' }];
  const differences: Difference[] = ipRangeDifferences(desired, actual);
  for (const element of desired.children) {
    if (IDENTITY_FIELDS.has(element.name) || element.name === 'loginIpRanges') continue;
    if (element.text !== undefined) {
      const theirs = actual.children.find((c) => c.name === element.name && c.text !== undefined);
      const expected = normalise(element.name, element.text);
      const found = theirs ? normalise(element.name, theirs.text ?? '') : undefined;
      const fallback = element.name === 'commaSeparatedPermissionSet' && isProfileOnlyFallback(desired, actual);
      if (found !== expected && !acceptedReadBack(element.name, expected, found) && !fallback) {
        const shown = element.name === 'certificate' ? 'a different certificate' : found ?? '(not set)';
        differences.push({ field: element.name, expected: element.name === 'certificate' ? 'our certificate' : element.text.trim(), actual: shown });
      }
      continue;
    }
    const key = blockKey(element);
    const label = blockLabel(element);
    if (/(^|;)enabled=false(;|$)/.test(key)) {
      // A permission we want off: a retrieve usually omits disabled permissions, so absent is as good as false.
      const on = actual.children.some((c) => c.name === element.name && blockLabel(c) === label && /(^|;)enabled=true(;|$)/.test(blockKey(c)));
      if (on) differences.push({ field: label, expected: 'disabled', actual: 'enabled' });
      continue;
    }
    const same = actual.children.some((c) => c.name === element.name && c.children !== undefined && blockKey(c) === key);
    if (!same) differences.push({ field: label, expected: key, actual: '(different or missing)' });
  }
  return differences;
}

export function compareXml(desiredXml: string, actualXml: string | undefined, source: string): Difference[] {
  return compareDocuments(parseMetadataXml(desiredXml, source), actualXml === undefined ? undefined : parseMetadataXml(actualXml, `${source} (org)`));
}
