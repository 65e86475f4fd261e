/**
 * The JWT bearer assertion, signed by us rather than by @salesforce/core (whose `exp` is in milliseconds):
 * RS256, `exp` in seconds and less than three minutes ahead, as Salesforce's JWT bearer flow requires.
 */
import { createSign, type KeyObject } from 'node:crypto';

/** Salesforce rejects assertions that expire more than three minutes after they are made. */
export const ASSERTION_LIFETIME_SECONDS = 150;

export type AssertionClaims = {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
};

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

export function assertionClaims(consumerKey: string, username: string, audience: string, now = Date.now()): AssertionClaims {
  return { iss: consumerKey, sub: username, aud: audience, exp: Math.floor(now / 1000) + ASSERTION_LIFETIME_SECONDS };
}

export function signAssertion(claims: AssertionClaims, privateKey: KeyObject): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}
