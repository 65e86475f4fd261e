/**
 * ExtlClntAppGlobalOauthSettings: the one ECA component that is never kept in source control.
 * It carries the certificate (which is what turns the JWT bearer flow on: there is no separate
 * switch) and the consumer key, so it is rendered at deploy time from this typed template.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { assertAppName, checkLabel, componentNames, MetadataInputError } from './names.js';
import { buildMetadataXml, field, type XmlElement } from './xml.js';

export type GlobalOauthSettingsInput = {
  /** ExternalClientApplication developer name. */
  appName: string;
  /** One PEM `CERTIFICATE` block (the public certificate whose private key signs the JWTs). */
  certificatePem: string;
  /** The client_id the vendor puts in the JWT `iss` claim; see generateConsumerKey(). */
  /** Omitted (undefined): the element is left out, so a redeploy keeps the key the org has. */
  consumerKey: string | undefined;
  /** The org's My Domain URL (`https://<domain>.my.salesforce.com`), as the AQUILA guide asks. JWT bearer doesn't use it, but OAuth needs one. */
  callbackUrl: string;
  /** Defaults to `<app label> Global OAuth Settings`, with the app name as the app label. */
  label?: string;
};

/**
 * The fixed flags of the rendered settings. JWT bearer needs none of the optional flows, so all
 * are off; the secret stays required for the web-server and refresh-token flows (the AQUILA
 * guide's "Require Secret for Web Server Flow" and "Require Secret for Refresh Token Flow");
 * PKCE is off because its default (on) only concerns the authorization-code flow.
 * isNamedUserJwtEnabled is deliberately absent (deprecated; rejected outside API 61.0–63.0).
 */
export const GLOBAL_OAUTH_FLAGS = {
  isClientCredentialsFlowEnabled: false,
  isCodeCredFlowEnabled: false,
  isConsumerSecretOptional: false,
  isDeviceFlowEnabled: false,
  isIntrospectAllTokens: false,
  isPkceRequired: false,
  isSecretRequiredForRefreshToken: true,
  isTokenExchangeEnabled: false,
  shouldRotateConsumerKey: false,
  shouldRotateConsumerSecret: false,
} as const;

/** Characters of a generated consumer key: letters and digits only. */
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Length of a generated consumer key (62^64 ≈ 2^381). */
export const GENERATED_CONSUMER_KEY_LENGTH = 64;
export const MIN_CONSUMER_KEY_LENGTH = 16;
export const MAX_CONSUMER_KEY_LENGTH = 256;

/**
 * A new consumer key: 64 characters drawn uniformly (rejection sampling) from [A-Za-z0-9]
 * with node:crypto's CSPRNG. Letters and digits only, so it survives URLs, form bodies, JSON,
 * shell quoting and double-click selection in the vendor's UI unchanged; 64 characters is a
 * length public tools are known to have deployed successfully (a 64-character hex key), and it
 * can't be mistaken for a Salesforce-generated key (those start with `3MVG9`).
 */
export function generateConsumerKey(length = GENERATED_CONSUMER_KEY_LENGTH): string {
  if (!Number.isInteger(length) || length < MIN_CONSUMER_KEY_LENGTH || length > MAX_CONSUMER_KEY_LENGTH) {
    throw new RangeError(`Consumer key length must be an integer from ${MIN_CONSUMER_KEY_LENGTH} to ${MAX_CONSUMER_KEY_LENGTH}.`);
  }
  const limit = 256 - (256 % KEY_ALPHABET.length); // 248: bytes at or above it would bias the result
  let key = '';
  while (key.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) key += KEY_ALPHABET[byte % KEY_ALPHABET.length];
      if (key.length === length) break;
    }
  }
  return key;
}

/**
 * Reason a consumer key is unusable, or undefined. Accepts our keys and Salesforce's
 * (`3MVG9…`, letters, digits, `.` and `_`), plus the base64 and URL-safe characters other tools
 * generate; rejects whitespace and line breaks, the usual copy-and-paste damage.
 */
export function checkConsumerKey(key: string): string | undefined {
  if (/\s/.test(key)) return 'The consumer key contains whitespace or a line break; copy it again without them.';
  if (key.length < MIN_CONSUMER_KEY_LENGTH || key.length > MAX_CONSUMER_KEY_LENGTH) {
    return `The consumer key must have ${MIN_CONSUMER_KEY_LENGTH} to ${MAX_CONSUMER_KEY_LENGTH} characters; it has ${key.length}.`;
  }
  const bad = /[^A-Za-z0-9._~+/=-]/.exec(key);
  if (bad) return `The consumer key can contain only letters, digits and . _ ~ + / = -; it contains "${bad[0]}".`;
  return undefined;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/**
 * Checks that the text is exactly one PEM CERTIFICATE block holding a parsable X.509
 * certificate and returns it normalized (LF line ends, base64 wrapped at 64 columns, no text
 * around it). Throws MetadataInputError otherwise; a private key is refused outright.
 */
export function normalizeCertificatePem(pem: string): string {
  if (/PRIVATE KEY/.test(pem)) {
    throw new MetadataInputError('certificatePem', 'This is (or contains) a private key. Salesforce needs only the certificate; the private key never leaves the collector.');
  }
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) throw new MetadataInputError('certificatePem', 'No PEM block found; expected "-----BEGIN CERTIFICATE-----".');
  if (blocks.length > 1) throw new MetadataInputError('certificatePem', `Expected one certificate, found ${blocks.length} PEM blocks.`);
  const [whole, begin, body, end] = blocks[0];
  if (begin !== 'CERTIFICATE' || end !== 'CERTIFICATE') {
    throw new MetadataInputError('certificatePem', `Expected a CERTIFICATE block, found "${begin}".`);
  }
  if (pem.replace(whole, '').trim() !== '') throw new MetadataInputError('certificatePem', 'Unexpected text around the certificate block.');
  const base64 = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new MetadataInputError('certificatePem', 'The certificate body is not valid base64.');
  }
  const normalized = `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----`;
  try {
    new X509Certificate(normalized);
  } catch (error) {
    throw new MetadataInputError('certificatePem', `The certificate can't be parsed: ${(error as Error).message}`);
  }
  return normalized;
}

/** Reason a callback URL is unusable, or undefined: absolute https (http only for loopback hosts), no credentials, no fragment. */
export function checkCallbackUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not an absolute URL; use the org's My Domain URL, for example https://acme.my.salesforce.com.`;
  }
  if (url !== url.trim()) return 'The callback URL has surrounding whitespace.';
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    return `The callback URL must use https: "${url}".`;
  }
  if (parsed.username !== '' || parsed.password !== '') return 'The callback URL must not contain credentials.';
  if (parsed.hash !== '') return 'The callback URL must not contain a fragment.';
  return undefined;
}

/** The component fields in Salesforce's order, without the XML around them. */
export function globalOauthSettingsFields(input: GlobalOauthSettingsInput): XmlElement[] {
  assertAppName(input.appName);
  const certificate = normalizeCertificatePem(input.certificatePem);
  const keyProblem = input.consumerKey === undefined ? undefined : checkConsumerKey(input.consumerKey);
  if (keyProblem !== undefined) throw new MetadataInputError('consumerKey', keyProblem);
  const urlProblem = checkCallbackUrl(input.callbackUrl);
  if (urlProblem !== undefined) throw new MetadataInputError('callbackUrl', urlProblem);
  const label = input.label ?? `${input.appName} Global OAuth Settings`;
  if (input.label !== undefined) {
    const labelProblem = checkLabel(input.label, 80, 'The global OAuth settings label');
    if (labelProblem !== undefined) throw new MetadataInputError('label', labelProblem);
  }
  return [
    field('callbackUrl', input.callbackUrl),
    field('certificate', certificate),
    ...(input.consumerKey === undefined ? [] : [field('consumerKey', input.consumerKey)]),
    field('externalClientApplication', input.appName),
    ...Object.entries(GLOBAL_OAUTH_FLAGS).map(([name, value]) => field(name, value)),
    field('label', label),
  ];
}

/** Renders `<app>_glbloauth.ecaGlblOauth-meta.xml`. Throws MetadataInputError for bad input. */
export function renderGlobalOauthSettings(input: GlobalOauthSettingsInput): string {
  return buildMetadataXml('ExtlClntAppGlobalOauthSettings', globalOauthSettingsFields(input));
}

/** fullName of the rendered component for an app. */
export function globalOauthSettingsName(appName: string): string {
  return componentNames(appName).globalSettings;
}
