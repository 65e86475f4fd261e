/**
 * Proves the JWT bearer flow end to end: signs an assertion as the integration user and asks Salesforce for
 * a token, over the (token URL, audience) pairs that can work, My Domain first. A new app's consumer key
 * takes a while to propagate, so `invalid_client_id` is retried with backoff until the wait runs out.
 */
import type { KeyObject } from 'node:crypto';
import { OAuth2 } from '@jsforce/jsforce-node';
import { Messages, SfError } from '@salesforce/core';
import { assertionClaims, signAssertion } from './jwt-assertion.js';
import { explainTokenError, type TokenErrorExplanation } from './token-errors.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.org');

export const LOGIN_HOST = 'https://login.salesforce.com';
export const TEST_HOST = 'https://test.salesforce.com';

export type LoginPair = { tokenUrl: string; audience: string };

export type LoginAttempt = LoginPair & { outcome: 'ok' | string; description?: string };

export type JwtLoginResult = LoginPair & {
  accessToken: string;
  instanceUrl: string;
  attempts: LoginAttempt[];
};

export type JwtLoginOptions = {
  consumerKey: string;
  username: string;
  privateKey: KeyObject;
  /** The org's My Domain URL. */
  myDomainUrl: string;
  isSandbox: boolean;
  /** How long to keep retrying a consumer key that is still propagating. */
  waitMs: number;
  onRetry?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** The clock the wait is measured on (tests inject one with the sleep). */
  now?: () => number;
};

const tokenUrlFor = (base: string): string => `${base.replace(/\/+$/, '')}/services/oauth2/token`;

/** Salesforce-hosted orgs can also be reached through the generic login host; anything else only through itself. */
export function isSalesforceHost(url: string): boolean {
  const host = new URL(url).hostname;
  return /\.(salesforce|force|sfcrmproducts|salesforce-setup)\.com$/i.test(host) || /\.salesforce\.mil$/i.test(host);
}

/**
 * The My Domain pair: the My Domain URL as token host and as audience. It is the only pair that proves a
 * client which uses one URL for both, as Elastic's Salesforce input does (go-sfdc puts its `url` in `aud`
 * and posts to `url + /services/oauth2/token`), and the one External Client Apps accept since Spring '26.
 */
export function myDomainPair(myDomainUrl: string): LoginPair {
  const myDomain = new URL(myDomainUrl).origin;
  return { tokenUrl: tokenUrlFor(myDomain), audience: myDomain };
}

export const isMyDomainPair = (pair: LoginPair, myDomainUrl: string): boolean => {
  const wanted = myDomainPair(myDomainUrl);
  return pair.tokenUrl === wanted.tokenUrl && pair.audience === wanted.audience;
};

/**
 * The pairs to try, in order: (My Domain, My Domain), (My Domain, login|test), (login|test, login|test).
 * The generic login host is only tried for Salesforce-hosted My Domains (never for a local emulator).
 */
export function loginPairs(myDomainUrl: string, isSandbox: boolean): LoginPair[] {
  const myDomain = new URL(myDomainUrl).origin;
  const generic = isSandbox ? TEST_HOST : LOGIN_HOST;
  const pairs: LoginPair[] = [
    myDomainPair(myDomain),
    { tokenUrl: tokenUrlFor(myDomain), audience: generic },
  ];
  if (isSalesforceHost(myDomain)) pairs.push({ tokenUrl: tokenUrlFor(generic), audience: generic });
  return pairs;
}

type TokenResponse = { access_token: string; instance_url: string };

async function requestToken(pair: LoginPair, options: JwtLoginOptions): Promise<TokenResponse> {
  const assertion = signAssertion(assertionClaims(options.consumerKey, options.username, pair.audience), options.privateKey);
  const oauth2 = new OAuth2({ tokenServiceUrl: pair.tokenUrl, loginUrl: new URL(pair.tokenUrl).origin });
  return (await oauth2.requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion })) as TokenResponse;
}

function isOauthError(error: unknown): error is Error {
  return error instanceof Error && /^[a-z_]+$/.test(error.name) && error.name !== 'error';
}

export function jwtLoginError(explanation: TokenErrorExplanation, attempts: LoginAttempt[]): SfError {
  const tried = attempts.map((a) => `${a.tokenUrl} (aud ${a.audience}): ${a.outcome}${a.description ? ` ${a.description}` : ''}`);
  const name = explanation.kind === 'propagating' ? 'ConsumerKeyNotPropagatedError' : 'JwtLoginError';
  const error = new SfError(messages.getMessage('error.JwtLogin', [explanation.cause, tried.join('\n  ')]), name, explanation.actions);
  error.setData({ attempts });
  return error;
}

/**
 * The login was refused because it came from outside the user's login IP ranges (Salesforce's OAuth error
 * list: `invalid_grant` / "IP restricted or invalid login hours"; UNVERIFIED wording).
 */
export function isIpRestrictedLogin(error: unknown): boolean {
  const attempts = ((error as SfError | undefined)?.data as { attempts?: LoginAttempt[] } | undefined)?.attempts ?? [];
  return attempts.some((a) => a.outcome === 'invalid_grant' && /ip restricted/i.test(a.description ?? ''));
}

export async function jwtLogin(options: JwtLoginOptions): Promise<JwtLoginResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.waitMs;
  const attempts: LoginAttempt[] = [];
  const pairs = loginPairs(options.myDomainUrl, options.isSandbox);
  let delay = 2000;
  let first: TokenErrorExplanation | undefined;

  for (let index = 0; index < pairs.length; ) {
    const pair = pairs[index];
    try {
      const token = await requestToken(pair, options);
      attempts.push({ ...pair, outcome: 'ok' });
      return { ...pair, accessToken: token.access_token, instanceUrl: token.instance_url, attempts };
    } catch (error) {
      if (!isOauthError(error)) {
        // A dropped connection, a 5xx or a 429 from the token endpoint: transient, so retried within the wait.
        const reason = (error as Error).message.slice(0, 200);
        const left = deadline - now();
        if (left <= 0) {
          // no cause: a fetch TypeError in it would make sf exit with 10
          throw messages.createError('error.TokenEndpointUnreachable', [pair.tokenUrl, reason], [], 1);
        }
        attempts.push({ ...pair, outcome: (error as Error).name, description: reason });
        options.onRetry?.(`The token endpoint did not answer properly (${reason}); trying again.`);
        await sleep(Math.min(delay, left));
        delay = Math.min(delay * 2, 30_000);
        continue;
      }
      attempts.push({ ...pair, outcome: error.name, description: error.message });
      const explanation = explainTokenError(error.name, error.message);
      first ??= explanation.kind === 'unknown' ? undefined : explanation;
      if (explanation.retryLater) {
        const left = deadline - now();
        if (left <= 0) throw jwtLoginError(explanation, attempts);
        const pause = Math.min(delay, left);
        options.onRetry?.(`The consumer key is not active yet (${error.message}); trying again in ${Math.ceil(pause / 1000)} s.`);
        await sleep(pause);
        delay = Math.min(delay * 2, 30_000);
        continue;
      }
      if (!explanation.tryNextPair) throw jwtLoginError(explanation, attempts);
      index++;
      if (index === pairs.length) throw jwtLoginError(first ?? explanation, attempts);
    }
  }
  /* c8 ignore next */
  throw new SfError('No login pair to try.', 'JwtLoginError');
}
