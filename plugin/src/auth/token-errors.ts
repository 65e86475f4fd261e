/**
 * What Salesforce's JWT bearer errors mean, and what to do about each. The strings are Salesforce's own
 * (see the reference: OAuth 2.0 JWT bearer flow, error responses); matching is on the error code and a
 * fragment of the description, case-insensitively, so decorated messages still match.
 */
export type TokenErrorKind =
  | 'propagating'
  | 'not-approved'
  | 'not-admin-approved'
  | 'bad-signature'
  | 'bad-audience'
  | 'app-not-found'
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

type Rule = { error: RegExp; description: RegExp; explanation: Omit<TokenErrorExplanation, 'kind'>; kind: TokenErrorKind };

const RULES: Rule[] = [
  {
    kind: 'propagating',
    error: /^invalid_client_id$/i,
    description: /client identifier invalid/i,
    explanation: {
      tryNextPair: false,
      retryLater: true,
      cause: 'Salesforce does not know the consumer key yet: a new External Client App takes minutes (up to about 30) to propagate, or the key was copied with extra characters.',
      actions: [
        'Wait a few minutes and run the command again, or give it longer with --wait.',
        'Check that the consumer key has no spaces or line breaks and belongs to this org.',
      ],
    },
  },
  {
    kind: 'not-admin-approved',
    error: /^invalid_app_access$/i,
    description: /not admin approved/i,
    explanation: {
      tryNextPair: false,
      retryLater: false,
      cause: 'The app only admits pre-authorized users, and the integration user has neither the pre-authorized profile nor the permission set.',
      actions: [
        'Assign the Event Monitoring permission set (or the integration profile) to the integration user; sf anzenna setup does this.',
        'Check the app\'s OAuth policy: Permitted Users = "Admin approved users are pre-authorized" with that profile or permission set selected.',
      ],
    },
  },
  {
    kind: 'not-approved',
    error: /^invalid_grant$/i,
    description: /hasn'?t approved this consumer/i,
    explanation: {
      tryNextPair: true,
      retryLater: false,
      cause: 'The app\'s Permitted Users policy is not "Admin approved users are pre-authorized", or the user is not covered by it (this answer also comes from a token URL that does not match the audience).',
      actions: [
        'Set Permitted Users to "Admin approved users are pre-authorized" and pre-authorize the integration profile or permission set (sf anzenna setup deploys exactly this).',
        'Use the org\'s My Domain URL both as the token URL and as the audience.',
      ],
    },
  },
  {
    kind: 'bad-signature',
    error: /^invalid_grant$/i,
    description: /invalid assertion|signature/i,
    explanation: {
      tryNextPair: false,
      retryLater: false,
      cause: 'The assertion\'s signature does not verify against the certificate in the app: the private key does not belong to the uploaded certificate (or the username is wrong).',
      actions: [
        'Sign with the private key generated together with the deployed certificate.',
        'Or deploy the certificate that matches your key again: sf anzenna setup --private-key-file <key> --certificate-file <crt>.',
      ],
    },
  },
  {
    kind: 'bad-audience',
    error: /^invalid_grant$/i,
    description: /audience/i,
    explanation: {
      tryNextPair: true,
      retryLater: false,
      cause: 'The token endpoint did not accept the audience (aud) of the assertion.',
      actions: ['Use the org\'s My Domain URL as the audience; for sandboxes test.salesforce.com, for production login.salesforce.com only with those token URLs.'],
    },
  },
  {
    kind: 'app-not-found',
    error: /^app_not_found$/i,
    description: /./,
    explanation: {
      tryNextPair: true,
      retryLater: false,
      cause: 'That login host does not know the app: External Client Apps reject test.salesforce.com as token URL and audience since Spring \'26.',
      actions: ['Use the org\'s My Domain URL as token URL and audience.'],
    },
  },
  {
    kind: 'clock-skew',
    error: /^invalid_grant$/i,
    description: /expired|not yet valid|exp/i,
    explanation: {
      tryNextPair: false,
      retryLater: false,
      cause: 'The assertion was already expired when it arrived: this machine\'s clock is off.',
      actions: ['Synchronise this machine\'s clock (NTP) and run the command again.'],
    },
  },
  {
    kind: 'inactive-user',
    error: /^invalid_grant$/i,
    description: /inactive|frozen|locked/i,
    explanation: {
      tryNextPair: false,
      retryLater: false,
      cause: 'The integration user is inactive, frozen or locked.',
      actions: ['Activate (or unfreeze) the integration user in Setup > Users, then run the command again.'],
    },
  },
];

export function explainTokenError(error: string, description: string): TokenErrorExplanation {
  const rule = RULES.find((r) => r.error.test(error) && r.description.test(description));
  if (rule) return { kind: rule.kind, ...rule.explanation };
  return {
    kind: 'unknown',
    tryNextPair: true,
    retryLater: false,
    cause: `Salesforce refused the JWT bearer login: ${error}: ${description}.`,
    actions: ['Run sf anzenna verify for a check of every part of the setup.'],
  };
}
