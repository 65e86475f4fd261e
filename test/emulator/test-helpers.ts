/**
 * Shared helpers for the emulator tests: a per-test HOME, a loopback-only egress guard for every
 * jsforce/core HTTP call, RSA keys + self-signed certificates, and SDR deploys of a small ECA project
 * written into a temp dir.
 */
import { generateKeyPairSync, createSign, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

const require = createRequire(import.meta.url);

process.env.SF_DISABLE_LOG_FILE = 'true';
process.env.SF_DISABLE_TELEMETRY = 'true';
process.env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';

let guardInstalled = false;
export const blockedOrigins: string[] = [];

/**
 * Routes every jsforce (and so @salesforce/core) request through an undici Agent that refuses
 * anything but loopback: core retries failed JWT logins against login/test.salesforce.com.
 */
export function installEgressGuard(): void {
  if (guardInstalled) return;
  const jsforceMain = require.resolve('@jsforce/jsforce-node');
  const undici = require(require.resolve('undici', { paths: [jsforceMain] })) as typeof import('undici');
  class LoopbackOnlyAgent extends undici.Agent {
    public dispatch(opts: import('undici').Dispatcher.DispatchOptions, handler: import('undici').Dispatcher.DispatchHandler): boolean {
      const host = new URL(String(opts.origin)).hostname;
      if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
        blockedOrigins.push(String(opts.origin));
        throw new Error(`egress blocked: ${String(opts.origin)}`);
      }
      return super.dispatch(opts, handler);
    }
  }
  const request = require('@jsforce/jsforce-node/lib/request') as { setDispatcher(d: unknown): void };
  request.setDispatcher(new LoopbackOnlyAgent({ connect: { allowH2: false } }));
  guardInstalled = true;
}

export function tempDir(prefix = 'emu-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Points HOME at a new temp dir and drops core's cached state. */
export async function freshHome(): Promise<string> {
  const home = tempDir('emu-home-');
  process.env.HOME = home;
  const core = await import('@salesforce/core');
  core.StateAggregator.clearInstance();
  core.ConfigAggregator.clearInstance();
  return home;
}

export interface KeyPair {
  keyFile: string;
  keyPem: string;
  certPem: string;
  privateKey: KeyObject;
}

/** An RSA key and a self-signed X.509 certificate (what the plugin uploads to the ECA). */
export function makeKeyPair(dir: string, name = 'server'): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: 'anzenna-emulator-test' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const keyFile = join(dir, `${name}.key`);
  writeFileSync(keyFile, keyPem);
  return { keyFile, keyPem, certPem, privateKey };
}

/** Signs a JWT bearer assertion (RS256) like @salesforce/core does, with overridable claims. */
export function signJwt(privateKey: KeyObject, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc(header)}.${enc(claims)}`;
  const sig = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  return `${input}.${sig}`;
}

/** POSTs a JWT bearer grant straight to the token endpoint. */
export async function postToken(url: string, assertion: string, grantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer'): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grantType, assertion }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

export interface EcaOptions {
  app?: string;
  certPem?: string;
  consumerKey?: string;
  scopes?: string;
  /** Include policy files (default: AdminApprovedPreAuthorized for System Administrator). false = none (auto-created). */
  policy?:
    | false
    | { permittedUsers?: 'AdminApprovedPreAuthorized' | 'AllSelfAuthorized'; profiles?: string; permissionSets?: string; name?: string; extraXml?: string };
  pluginPolicy?: false | { isEnabled?: boolean; isOauthPluginEnabled?: boolean; name?: string };
  /** Omit the OAuth settings file. */
  withoutOauthSettings?: boolean;
  /** Extra raw XML inside the ECA header. */
  ecaExtraXml?: string;
  /** Raw files to add, relative to force-app/main/default. */
  extraFiles?: Record<string, string>;
  /** Leave out the ECA header entirely. */
  withoutEca?: boolean;
  /** Leave out the global OAuth settings. */
  withoutGlobal?: boolean;
}

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

/** Writes an SFDX project with an ECA bundle (source format) and returns its path. */
export function writeEcaProject(opts: EcaOptions = {}): string {
  const root = tempDir('emu-proj-');
  const app = opts.app ?? 'Anzenna_Test';
  const base = join(root, 'force-app', 'main', 'default');
  writeFileSync(join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  const put = (rel: string, text: string): void => {
    const full = join(base, rel);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  };
  if (!opts.withoutEca) {
    put(`externalClientApps/${app}.eca-meta.xml`, `${XML}<ExternalClientApplication ${NS}>\n    <contactEmail>support@anzenna.ai</contactEmail>\n    <distributionState>Local</distributionState>\n    <isProtected>false</isProtected>\n    <label>${app}</label>${opts.ecaExtraXml ?? ''}\n</ExternalClientApplication>\n`);
  }
  if (!opts.withoutOauthSettings) {
    put(`extlClntAppOauthSettings/${app}_oauth.ecaOauth-meta.xml`, `${XML}<ExtlClntAppOauthSettings ${NS}>\n    <commaSeparatedOauthScopes>${opts.scopes ?? 'Api, RefreshToken'}</commaSeparatedOauthScopes>\n    <externalClientApplication>${app}</externalClientApplication>\n    <label>${app} OAuth</label>\n</ExtlClntAppOauthSettings>\n`);
  }
  if (!opts.withoutGlobal) {
    const key = opts.consumerKey ? `\n    <consumerKey>${opts.consumerKey}</consumerKey>` : '';
    const cert = opts.certPem ? `\n    <certificate>${opts.certPem.trim()}</certificate>` : '';
    put(`extlClntAppGlobalOauthSets/${app}_glbloauth.ecaGlblOauth-meta.xml`, `${XML}<ExtlClntAppGlobalOauthSettings ${NS}>\n    <callbackUrl>http://localhost:1717/OauthRedirect</callbackUrl>${cert}${key}\n    <externalClientApplication>${app}</externalClientApplication>\n    <isConsumerSecretOptional>true</isConsumerSecretOptional>\n    <isPkceRequired>false</isPkceRequired>\n    <label>${app} Global OAuth</label>\n    <shouldRotateConsumerKey>false</shouldRotateConsumerKey>\n    <shouldRotateConsumerSecret>false</shouldRotateConsumerSecret>\n</ExtlClntAppGlobalOauthSettings>\n`);
  }
  if (opts.policy !== false) {
    const p = opts.policy ?? {};
    const name = p.name ?? `${app}_oauth_defaultPolicy`;
    const profiles = p.profiles ?? (p.permissionSets ? undefined : 'System Administrator');
    put(`extlClntAppOauthPolicies/${name}.ecaOauthPlcy-meta.xml`, `${XML}<ExtlClntAppOauthConfigurablePolicies ${NS}>\n${p.permissionSets ? `    <commaSeparatedPermissionSet>${p.permissionSets}</commaSeparatedPermissionSet>\n` : ''}${profiles ? `    <commaSeparatedProfile>${profiles}</commaSeparatedProfile>\n` : ''}    <externalClientApplication>${app}</externalClientApplication>\n    <ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>\n    <label>${name}</label>\n    <permittedUsersPolicyType>${p.permittedUsers ?? 'AdminApprovedPreAuthorized'}</permittedUsersPolicyType>\n    <refreshTokenPolicyType>Infinite</refreshTokenPolicyType>${p.extraXml ?? ''}\n</ExtlClntAppOauthConfigurablePolicies>\n`);
  }
  if (opts.pluginPolicy !== false) {
    const p = opts.pluginPolicy ?? {};
    const name = p.name ?? `${app}_defaultPolicy`;
    put(`extlClntAppPolicies/${name}.ecaPlcy-meta.xml`, `${XML}<ExtlClntAppConfigurablePolicies ${NS}>\n    <externalClientApplication>${app}</externalClientApplication>\n    <isEnabled>${p.isEnabled ?? true}</isEnabled>\n    <isOauthPluginEnabled>${p.isOauthPluginEnabled ?? true}</isOauthPluginEnabled>\n    <label>${name}</label>\n</ExtlClntAppConfigurablePolicies>\n`);
  }
  for (const [rel, text] of Object.entries(opts.extraFiles ?? {})) put(rel, text);
  return root;
}

/** Writes a project with only the given files (relative to force-app/main/default). */
export function writeProject(files: Record<string, string>): string {
  return writeEcaProject({ withoutEca: true, withoutOauthSettings: true, withoutGlobal: true, policy: false, pluginPolicy: false, extraFiles: files });
}

export const profileXml = (body: string): string => `${XML}<Profile ${NS}>\n${body}\n</Profile>\n`;
export const permissionSetXml = (body: string): string => `${XML}<PermissionSet ${NS}>\n${body}\n</PermissionSet>\n`;
export const perm = (name: string, enabled = true): string => `    <userPermissions>\n        <enabled>${enabled}</enabled>\n        <name>${name}</name>\n    </userPermissions>`;

// ---------------------------------------------------------------- client-side helpers (real libraries)

import type { Connection, Org } from '@salesforce/core';
import type { DeployResult, RetrieveResult } from '@salesforce/source-deploy-retrieve';
import type { EmulatorHandle } from '../../emulator/src/index.js';

/** A fresh HOME with the admin auth written, and the admin's Org/Connection (Org.create by alias). */
export async function adminOrg(emu: EmulatorHandle, alias = 'emu'): Promise<{ home: string; org: Org; conn: Connection }> {
  const home = await freshHome();
  await emu.writeAdminAuth(home, alias);
  const { Org } = await import('@salesforce/core');
  const org = await Org.create({ aliasOrUsername: alias });
  return { home, org, conn: org.getConnection() };
}

/** Deploys a source-format project through SDR and waits for the result. */
export async function deployProject(conn: Connection, projectDir: string, apiOptions: Record<string, boolean> = {}): Promise<DeployResult> {
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  const cs = ComponentSet.fromSource(join(projectDir, 'force-app'));
  const op = await cs.deploy({ usernameOrConnection: conn, apiOptions });
  return op.pollStatus(20, 60);
}

/** Retrieves the given members into a project dir through SDR. */
export async function retrieveInto(conn: Connection, projectDir: string, members: { type: string; fullName: string }[]): Promise<RetrieveResult> {
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  const op = await new ComponentSet(members).retrieve({ usernameOrConnection: conn, output: join(projectDir, 'force-app'), merge: true });
  return op.pollStatus(20, 60);
}

/** Component failures of a deploy as "Type:name: problem". */
export function failuresOf(result: DeployResult): string[] {
  const f = result.response.details?.componentFailures;
  const list = f === undefined ? [] : Array.isArray(f) ? f : [f];
  return list.map((x) => `${x.componentType}:${x.fullName}: ${x.problem ?? ''}`);
}

/** assert.rejects for jsforce's thenables (Query, request) as well as promises. */
export async function rejects(p: PromiseLike<unknown>, check: (err: Error) => boolean): Promise<void> {
  const { strict: assert } = await import('node:assert');
  await assert.rejects(Promise.resolve(p), check);
}
