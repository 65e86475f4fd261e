/**
 * POST /services/oauth2/token: the JWT bearer grant, checked the way Salesforce does against the
 * deployed External Client App (global OAuth settings certificate, policies, users).
 */
import { createHmac, createPublicKey, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';
import { readBody, sendJson } from './http-util.js';
import type { MetadataComponent } from './org-state.js';

/**
 * Token endpoint errors: [error, error_description]. Rows marked UNVERIFIED are our best guess.
 */
export const JWT_ERRORS = {
  unknownClient: ['invalid_client_id', 'client identifier invalid'],
  // UNVERIFIED: a disabled app (isEnabled / isOauthPluginEnabled false) is treated as an unknown consumer.
  appDisabled: ['invalid_client_id', 'client identifier invalid'],
  badSignature: ['invalid_grant', 'invalid assertion'],
  malformed: ['invalid_grant', 'invalid assertion'],
  // UNVERIFIED: an unknown `sub` gives the same answer as a bad assertion.
  unknownUser: ['invalid_grant', 'invalid assertion'],
  inactiveUser: ['invalid_grant', 'inactive user'],
  badAudience: ['invalid_grant', 'audience is invalid'],
  expired: ['invalid_grant', 'expired authorization code'],
  notApproved: ['invalid_grant', "user hasn't approved this consumer"],
  notAdminApproved: ['invalid_app_access', 'user is not admin approved to access this app'],
  unsupportedGrant: ['unsupported_grant_type', 'grant type not supported'],
  expiredRefreshToken: ['invalid_grant', 'expired access/refresh token'],
} as const satisfies Record<string, readonly [string, string]>;

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

class TokenError extends Error {
  public constructor(public readonly pair: readonly [string, string]) {
    super(pair[1]);
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

export async function handleToken(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = new URLSearchParams((await readBody(req)).toString('utf8'));
  const grant = body.get('grant_type');
  try {
    let result: Record<string, string>;
    if (grant === 'refresh_token') result = refreshGrant(ctx, body.get('refresh_token') ?? '');
    else if (grant === JWT_GRANT) result = jwtBearer(ctx, body.get('assertion') ?? '');
    else throw new TokenError(JWT_ERRORS.unsupportedGrant);
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
  if (!user || user.IsActive !== true) throw new TokenError(JWT_ERRORS.expiredRefreshToken);
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

function jwtBearer(ctx: EmulatorContext, assertion: string): Record<string, string> {
  const { state } = ctx;
  const parts = assertion.split('.');
  if (parts.length !== 3) throw new TokenError(JWT_ERRORS.malformed);
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = b64urlJson(parts[0]);
    claims = b64urlJson(parts[1]);
  } catch {
    throw new TokenError(JWT_ERRORS.malformed);
  }
  if (header.alg !== 'RS256') throw new TokenError(JWT_ERRORS.malformed);

  const iss = String(claims.iss ?? '');
  const global = findAppByConsumerKey(ctx, iss);
  if (!global || Date.now() < global.createdAt + ctx.faults.propagationMs) throw new TokenError(JWT_ERRORS.unknownClient);
  if (ctx.faults.propagationRequests > 0) {
    ctx.faults.propagationRequests--;
    throw new TokenError(JWT_ERRORS.unknownClient);
  }
  const ecaName = String(global.data.externalClientApplication);
  const eca = state.component('ExternalClientApplication', ecaName);
  if (!eca) throw new TokenError(JWT_ERRORS.unknownClient);
  const plugin = state.satellitesOf('ExtlClntAppConfigurablePolicies', ecaName)[0];
  if (plugin && (lower(plugin.data.isEnabled) === 'false' || lower(plugin.data.isOauthPluginEnabled) === 'false')) {
    throw new TokenError(JWT_ERRORS.appDisabled);
  }

  const cert = String(global.data.certificate ?? '');
  let signatureOk = false;
  if (cert) {
    try {
      const key = createPublicKey(cert);
      signatureOk = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
    } catch {
      signatureOk = false;
    }
  }
  if (!signatureOk) throw new TokenError(JWT_ERRORS.badSignature);

  const aud = String(claims.aud ?? '').replace(/\/+$/, '');
  const accepted = new Set([ctx.origin(), `http://localhost:${ctx.port()}`, state.editionInfo.isSandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com']);
  if (!accepted.has(aud)) throw new TokenError(JWT_ERRORS.badAudience);

  const exp = Number(claims.exp);
  // @salesforce/core sends Date.now()+300 (milliseconds): only require exp to be in the future.
  if (!Number.isFinite(exp) || exp <= (Date.now() + ctx.faults.clockOffsetMs) / 1000) throw new TokenError(JWT_ERRORS.expired);

  const user = state.userByUsername(String(claims.sub ?? ''));
  if (!user) throw new TokenError(JWT_ERRORS.unknownUser);
  if (user.IsActive !== true) throw new TokenError(JWT_ERRORS.inactiveUser);

  const policy = state.satellitesOf('ExtlClntAppOauthConfigurablePolicies', ecaName)[0];
  const policyType = String(policy?.data.permittedUsersPolicyType ?? 'AllSelfAuthorized');
  if (policyType === 'AdminApprovedPreAuthorized') {
    const profile = state.profileById(String(user.ProfileId));
    const profileOk = csv(policy?.data.commaSeparatedProfile).some((p) => lower(p) === lower(profile?.Name));
    const assigned = state.assignedPermissionSetNames(user.Id).map(lower);
    const psOk = csv(policy?.data.commaSeparatedPermissionSet).some((p) => assigned.includes(lower(p)));
    if (!profileOk && !psOk) throw new TokenError(JWT_ERRORS.notAdminApproved);
  } else if (!state.approvals.has(`${user.Id}|${ecaName.toLowerCase()}`)) {
    throw new TokenError(JWT_ERRORS.notApproved);
  }

  const session = state.createSession(user.Id, ecaName);
  user.LastLoginDate = new Date().toISOString().replace('Z', '+0000');
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
