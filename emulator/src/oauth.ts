/**
 * POST /services/oauth2/token: the JWT bearer grant, checked the way Salesforce does against the
 * deployed External Client App (global OAuth settings certificate, policies, users).
 */
import { createHmac, createPublicKey, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';
import { readBody, sendJson } from './http-util.js';
import type { MetadataComponent, SRecord } from './org-state.js';
import { asArray, sfDateTime } from './util.js';

/**
 * Token endpoint errors: [error, error_description]. Rows marked UNVERIFIED are our best guess.
 */
export const JWT_ERRORS = {
  unknownClient: ['invalid_client_id', 'client identifier invalid'],
  // UNVERIFIED: a disabled app (isEnabled / isOauthPluginEnabled false) is treated as an unknown consumer.
  appDisabled: ['invalid_client_id', 'client identifier invalid'],
  // Recorded on External Client Apps (issue #8): a signature that does not match the app's certificate.
  badSignature: ['invalid_client', 'invalid client credentials'],
  malformed: ['invalid_grant', 'invalid assertion'],
  // UNVERIFIED: an unknown `sub` gives the same answer as a bad assertion.
  unknownUser: ['invalid_grant', 'invalid assertion'],
  inactiveUser: ['invalid_grant', 'inactive user'],
  badAudience: ['invalid_grant', 'audience is invalid'],
  // Reported since Spring '26 for an External Client App asked with the login/test audience (n8n #28990 and
  // PR #29016, forcedotcom/cli #3482, sfdx-hardis #1979); also a refreshed sandbox whose app is missing.
  appNotFound: ['app_not_found', 'External client app is not installed in this org'],
  // Recorded on External Client Apps (issue #8) when the app's scopes lack refresh_token (RefreshToken / OfflineAccess).
  // UNVERIFIED: where in the order of checks Salesforce makes this one.
  refreshScopeMissing: ['invalid_request', 'refresh_token scope is required and the connected app should be installed and preauthorized.'],
  expired: ['invalid_grant', 'expired authorization code'],
  notApproved: ['invalid_grant', "user hasn't approved this consumer"],
  notAdminApproved: ['invalid_app_access', 'user is not admin approved to access this app'],
  unsupportedGrant: ['unsupported_grant_type', 'grant type not supported'],
  expiredRefreshToken: ['invalid_grant', 'expired access/refresh token'],
  // UNVERIFIED wording (Salesforce's OAuth error list names "IP restricted or invalid login hours"): a JWT login
  // from outside the profile's login IP ranges; the JWT bearer flow always enforces them (help connected_app_continuous_ip).
  ipRestricted: ['invalid_grant', 'IP restricted or invalid login hours'],
} as const satisfies Record<string, readonly [string, string]>;

/**
 * LoginHistory.Status per outcome. `Success` and `Restricted IP` are seen in public captures (elastic/integrations
 * login test data; a public Atlassian KB on "Remote Access 2.0" logins with Status "Restricted IP"); the rest are
 * UNVERIFIED.
 */
export const LOGIN_HISTORY_STATUS: Partial<Record<keyof typeof JWT_ERRORS | 'success', string>> = {
  success: 'Success',
  ipRestricted: 'Restricted IP',
  expired: 'Failed: Invalid Timestamp',
  inactiveUser: 'User is Inactive',
  notApproved: 'Failed: OAuth Approval Error',
  notAdminApproved: 'Failed: Not approved for access',
  refreshScopeMissing: 'Failed: OAuth Approval Error',
};

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

type TokenErrorName = keyof typeof JWT_ERRORS;

class TokenError extends Error {
  public readonly pair: readonly [string, string];
  public constructor(public readonly kind: TokenErrorName) {
    super(JWT_ERRORS[kind][1]);
    this.pair = JWT_ERRORS[kind];
  }
}

function b64urlJson(part: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

const lower = (v: unknown): string => String(v ?? '').trim().toLowerCase();
const csv = (v: unknown): string[] =>
  String(v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function findAppByConsumerKey(ctx: EmulatorContext, key: string): MetadataComponent | undefined {
  return [...ctx.state.components('ExtlClntAppGlobalOauthSettings').values()].find((c) => c.data.consumerKey === key);
}

/** The scopes of an app's OAuth settings, as the token response's `scope` string. */
function scopeString(ctx: EmulatorContext, ecaName: string): string {
  const settings = ctx.state.satellitesOf('ExtlClntAppOauthSettings', ecaName)[0];
  const map: Record<string, string> = { api: 'api', refreshtoken: 'refresh_token', offlineaccess: 'offline_access', web: 'web', full: 'full', openid: 'openid', basic: 'id', profile: 'profile', email: 'email' };
  const scopes = csv(settings?.data.commaSeparatedOauthScopes).map((s) => map[s.toLowerCase()] ?? s.toLowerCase());
  return scopes.length ? scopes.join(' ') : 'api';
}

const GENERIC_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

/**
 * The audience: the org's own host (its "My Domain": 127.0.0.1 or localhost here) always works. The generic
 * login/test hosts answer `app_not_found` for an External Client App (reported since Spring '26); with
 * `legacyLoginAudience` the generic host of the org's kind (test for sandboxes) is accepted as before.
 * UNVERIFIED: that app_not_found is answered before the signature is checked.
 */
function checkAudience(ctx: EmulatorContext, rawAud: string): void {
  const aud = rawAud.replace(/\/+$/, '');
  if (aud === ctx.origin() || aud === `http://localhost:${ctx.port()}`) return;
  if (GENERIC_AUDIENCES.includes(aud)) {
    if (!ctx.behaviour.legacyLoginAudience) throw new TokenError('appNotFound');
    if (aud === (ctx.state.editionInfo.isSandbox ? GENERIC_AUDIENCES[1] : GENERIC_AUDIENCES[0])) return;
  }
  throw new TokenError('badAudience');
}

/** The app's scopes include refresh_token (metadata token RefreshToken, or OfflineAccess: the same UI scope). */
function hasRefreshScope(ctx: EmulatorContext, ecaName: string): boolean {
  const settings = ctx.state.satellitesOf('ExtlClntAppOauthSettings', ecaName)[0];
  return csv(settings?.data.commaSeparatedOauthScopes).some((s) => ['refreshtoken', 'offlineaccess'].includes(s.toLowerCase()));
}

export async function handleToken(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = new URLSearchParams((await readBody(req)).toString('utf8'));
  const grant = body.get('grant_type');
  try {
    let result: Record<string, string>;
    if (grant === 'refresh_token') result = refreshGrant(ctx, body.get('refresh_token') ?? '');
    else if (grant === JWT_GRANT) result = jwtBearer(ctx, body.get('assertion') ?? '', { sourceIp: ctx.state.sourceIpOverride ?? remoteIp(req), loginUrl: String(req.headers.host ?? '') });
    else throw new TokenError('unsupportedGrant');
    sendJson(res, 200, result, { 'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private' });
  } catch (err) {
    if (err instanceof TokenError) {
      sendJson(res, 400, { error: err.pair[0], error_description: err.pair[1] });
      return;
    }
    throw err;
  }
}

/** The refresh-token grant, for the admin auth (`sf org login web` style); the JWT flow issues no refresh tokens. */
function refreshGrant(ctx: EmulatorContext, refreshToken: string): Record<string, string> {
  const userId = ctx.state.refreshTokens.get(refreshToken);
  const user = userId ? ctx.state.byId('User', userId) : undefined;
  if (!user || user.IsActive !== true) throw new TokenError('expiredRefreshToken');
  const session = ctx.state.createSession(user.Id);
  const origin = ctx.origin();
  const issuedAt = String(Date.now());
  const id = `${origin}/id/${ctx.state.orgId}/${user.Id}`;
  return {
    access_token: session.token,
    signature: createHmac('sha256', 'PlatformCLI').update(id + issuedAt).digest('base64'),
    scope: 'refresh_token web api',
    instance_url: origin,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

interface LoginSource {
  sourceIp: string;
  /** The host the token request was sent to (LoginHistory.LoginUrl). */
  loginUrl: string;
}

/** The client's address as Salesforce would log it (IPv4-mapped IPv6 unwrapped). */
function remoteIp(req: IncomingMessage): string {
  return String(req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

function parseAssertion(assertion: string): { parts: string[]; claims: Record<string, unknown> } {
  const parts = assertion.split('.');
  if (parts.length !== 3) throw new TokenError('malformed');
  try {
    const header = b64urlJson(parts[0]);
    if (header.alg !== 'RS256') throw new TokenError('malformed');
    return { parts, claims: b64urlJson(parts[1]) };
  } catch {
    throw new TokenError('malformed');
  }
}

/** The app whose consumer key is `iss`, enabled and propagated. */
function appFor(ctx: EmulatorContext, iss: string): { global: MetadataComponent; ecaName: string; label: string } {
  const { state } = ctx;
  // A refreshed sandbox lost the app that production holds (UNVERIFIED that the key is still recognised as such).
  if (state.removedConsumerKeys.has(iss) && !findAppByConsumerKey(ctx, iss)) throw new TokenError('appNotFound');
  const global = findAppByConsumerKey(ctx, iss);
  if (!global || Date.now() < global.createdAt + ctx.faults.propagationMs) throw new TokenError('unknownClient');
  if (ctx.faults.propagationRequests > 0) {
    ctx.faults.propagationRequests--;
    throw new TokenError('unknownClient');
  }
  const ecaName = String(global.data.externalClientApplication);
  const eca = state.component('ExternalClientApplication', ecaName);
  if (!eca) throw new TokenError('unknownClient');
  const plugin = state.satellitesOf('ExtlClntAppConfigurablePolicies', ecaName)[0];
  if (plugin && (lower(plugin.data.isEnabled) === 'false' || lower(plugin.data.isOauthPluginEnabled) === 'false')) {
    throw new TokenError('appDisabled');
  }
  return { global, ecaName, label: String(eca.data.label ?? ecaName) };
}

function signatureMatches(global: MetadataComponent, parts: string[]): boolean {
  const cert = String(global.data.certificate ?? '');
  if (!cert) return false;
  try {
    return verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey(cert), Buffer.from(parts[2], 'base64url'));
  } catch {
    return false;
  }
}

const ipNumber = (ip: string): number => {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip.trim());
  return m ? ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]) : NaN;
};

/** The user's profile login IP ranges (Profile metadata `loginIpRanges`); none: any address. IPv4 only. */
export function insideLoginIpRanges(ctx: EmulatorContext, user: SRecord, ip: string): boolean {
  const profile = [...ctx.state.components('Profile').values()].find((c) => c.id === String(user.ProfileId));
  const ranges = asArray(profile?.data.loginIpRanges as Record<string, unknown> | Record<string, unknown>[] | undefined);
  if (ranges.length === 0) return true;
  const n = ipNumber(ip);
  return ranges.some((r) => n >= ipNumber(String(r.startAddress)) && n <= ipNumber(String(r.endAddress)));
}

/** The user-level checks, in order; each failure is a TokenError. */
function checkUser(ctx: EmulatorContext, user: SRecord, ecaName: string, source: LoginSource): void {
  const { state } = ctx;
  if (user.IsActive !== true) throw new TokenError('inactiveUser');
  if (!hasRefreshScope(ctx, ecaName)) throw new TokenError('refreshScopeMissing');
  const policy = state.satellitesOf('ExtlClntAppOauthConfigurablePolicies', ecaName)[0];
  const policyType = String(policy?.data.permittedUsersPolicyType ?? 'AllSelfAuthorized');
  if (policyType === 'AdminApprovedPreAuthorized') {
    const profile = state.profileById(String(user.ProfileId));
    const profileOk = csv(policy?.data.commaSeparatedProfile).some((p) => lower(p) === lower(profile?.Name));
    const assigned = state.assignedPermissionSetNames(user.Id).map(lower);
    const psOk = csv(policy?.data.commaSeparatedPermissionSet).some((p) => assigned.includes(lower(p)));
    if (!profileOk && !psOk) throw new TokenError('notAdminApproved');
  } else if (!state.approvals.has(`${user.Id}|${ecaName.toLowerCase()}`)) {
    throw new TokenError('notApproved');
  }
  // "SAML bearer assertion and JWT bearer token flows always enforce IP restrictions regardless of the connected
  // app policy" (Salesforce help connected_app_continuous_ip). UNVERIFIED: where in the order this is checked.
  if (!insideLoginIpRanges(ctx, user, source.sourceIp)) throw new TokenError('ipRestricted');
}

/** A LoginHistory row for a JWT login attempt of a known user. */
function recordLogin(ctx: EmulatorContext, userId: string, application: string, source: LoginSource, status: string): void {
  ctx.state.insert(
    'LoginHistory',
    {
      UserId: userId, LoginTime: sfDateTime(Date.now()), LoginType: 'Remote Access 2.0', LoginUrl: source.loginUrl, SourceIp: source.sourceIp, Status: status,
      Application: application, Browser: 'Unknown', Platform: 'Unknown', ApiType: 'N/A', ApiVersion: 'N/A', ClientVersion: 'N/A', TlsProtocol: 'TLS 1.2',
      CipherSuite: 'ECDHE-RSA-AES256-GCM-SHA384', CountryIso: null, LoginGeoId: null, AuthenticationServiceId: null, AuthMethodReference: null, LoginSubType: null,
    },
    '0Ya'
  );
}

function jwtBearer(ctx: EmulatorContext, assertion: string, source: LoginSource): Record<string, string> {
  const { state } = ctx;
  const { parts, claims } = parseAssertion(assertion);
  const iss = String(claims.iss ?? '');
  const { global, ecaName, label } = appFor(ctx, iss);
  checkAudience(ctx, String(claims.aud ?? ''));
  if (!signatureMatches(global, parts)) throw new TokenError('badSignature');

  const user = state.userByUsername(String(claims.sub ?? ''));
  const exp = Number(claims.exp);
  try {
    // @salesforce/core sends Date.now()+300 (milliseconds): only require exp to be in the future.
    if (!Number.isFinite(exp) || exp <= (Date.now() + ctx.faults.clockOffsetMs) / 1000) throw new TokenError('expired');
    if (!user) throw new TokenError('unknownUser');
    checkUser(ctx, user, ecaName, source);
  } catch (err) {
    if (user && err instanceof TokenError) recordLogin(ctx, user.Id, label, source, LOGIN_HISTORY_STATUS[err.kind] ?? `Failed: ${err.pair[1]}`);
    throw err;
  }
  recordLogin(ctx, user.Id, label, source, LOGIN_HISTORY_STATUS.success!);

  const session = state.createSession(user.Id, ecaName);
  user.LastLoginDate = sfDateTime(Date.now());
  const origin = ctx.origin();
  const issuedAt = String(Date.now());
  const id = `${origin}/id/${state.orgId}/${user.Id}`;
  return {
    access_token: session.token,
    signature: createHmac('sha256', iss).update(id + issuedAt).digest('base64'),
    scope: scopeString(ctx, ecaName),
    instance_url: origin,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}
