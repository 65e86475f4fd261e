/**
 * What Salesforce's JWT bearer errors mean, and what to do about each. The strings are Salesforce's own
 * (see the reference: OAuth 2.0 JWT bearer flow, error responses); matching is on the error code and a
 * fragment of the description, case-insensitively, so decorated messages still match. The causes and
 * actions are in messages/anzenna.org.md (`token.<kind>.cause`, `token.<kind>.actions`).
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.org');

export type TokenErrorKind =
  | 'propagating'
  | 'not-approved'
  | 'not-admin-approved'
  | 'bad-signature'
  | 'bad-audience'
  | 'app-not-found'
  | 'refresh-scope'
  | 'clock-skew'
  | 'inactive-user'
  | 'unknown';

export type TokenErrorExplanation = {
  kind: TokenErrorKind;
  /** Another (token URL, audience) pair may still succeed. */
  tryNextPair: boolean;
  /** The same pair may succeed later (a new app propagating). */
  retryLater: boolean;
  cause: string;
  actions: string[];
};

type Rule = { error: RegExp; description: RegExp; explanation: Pick<TokenErrorExplanation, 'tryNextPair' | 'retryLater'>; kind: TokenErrorKind };

const RULES: Rule[] = [
  {
    kind: 'propagating',
    error: /^invalid_client_id$/i,
    description: /client identifier invalid/i,
    explanation: {
      tryNextPair: false,
      retryLater: true,
    },
  },
  {
    kind: 'not-admin-approved',
    error: /^invalid_app_access$/i,
    description: /not admin approved/i,
    explanation: {
      tryNextPair: false,
      retryLater: false,
    },
  },
  {
    kind: 'not-approved',
    error: /^invalid_grant$/i,
    description: /hasn'?t approved this consumer/i,
    explanation: {
      tryNextPair: true,
      retryLater: false,
    },
  },
  {
    kind: 'bad-signature',
    // External Client Apps answer a signature that does not match the certificate with invalid_client / invalid client credentials.
    error: /^(invalid_grant|invalid_client)$/i,
    description: /invalid assertion|signature|invalid client credentials/i,
    explanation: {
      tryNextPair: false,
      retryLater: false,
    },
  },
  {
    kind: 'bad-audience',
    error: /^invalid_grant$/i,
    description: /audience/i,
    explanation: {
      tryNextPair: true,
      retryLater: false,
    },
  },
  {
    kind: 'app-not-found',
    error: /^app_not_found$/i,
    description: /./,
    explanation: {
      tryNextPair: true,
      retryLater: false,
    },
  },
  {
    // Recorded on External Client Apps (issue #8): the app lacks the refresh_token scope, or the user is not pre-authorized.
    kind: 'refresh-scope',
    error: /^invalid_request$/i,
    description: /refresh_token scope is required|installed and preauthorized/i,
    explanation: {
      tryNextPair: false,
      retryLater: false,
    },
  },
  {
    kind: 'clock-skew',
    error: /^invalid_grant$/i,
    description: /expired|not yet valid|exp/i,
    explanation: {
      tryNextPair: false,
      retryLater: false,
    },
  },
  {
    kind: 'inactive-user',
    error: /^invalid_grant$/i,
    description: /inactive|frozen|locked/i,
    explanation: {
      tryNextPair: false,
      retryLater: false,
    },
  },
];

export function explainTokenError(error: string, description: string): TokenErrorExplanation {
  const rule = RULES.find((r) => r.error.test(error) && r.description.test(description));
  const kind = rule?.kind ?? 'unknown';
  return {
    kind,
    ...(rule?.explanation ?? { tryNextPair: true, retryLater: false }),
    cause: messages.getMessage(`token.${kind}.cause`, [error, description]),
    actions: messages.getMessages(`token.${kind}.actions`),
  };
}
