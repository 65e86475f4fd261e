/**
 * The JWT bearer login's rules without real time: Salesforce's token errors mapped to causes and actions,
 * and the retry of a consumer key that is still propagating, with an injected clock and sleep, against the
 * emulator's real token endpoint (jsforce's OAuth2 over HTTP on 127.0.0.1).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SfError } from '@salesforce/core';
import { startEmulator, type EmulatorHandle } from '../../emulator/src/index.js';
import { jwtLogin, loginPairs } from '../../plugin/src/auth/jwt-login.js';
import { explainTokenError } from '../../plugin/src/auth/token-errors.js';

describe('token error rules', () => {
  const cases: Array<[string, string, string, { tryNextPair: boolean; retryLater: boolean }]> = [
    ['invalid_client_id', 'client identifier invalid', 'propagating', { tryNextPair: false, retryLater: true }],
    ['invalid_grant', "user hasn't approved this consumer", 'not-approved', { tryNextPair: false, retryLater: false }],
    ['invalid_app_access', 'user is not admin approved to access this app', 'not-admin-approved', { tryNextPair: false, retryLater: false }],
    ['invalid_grant', 'invalid assertion', 'bad-signature', { tryNextPair: false, retryLater: false }],
    ['invalid_grant', 'audience is invalid', 'bad-audience', { tryNextPair: true, retryLater: false }],
    ['app_not_found', 'app not found', 'app-not-found', { tryNextPair: false, retryLater: false }],
    ['invalid_grant', 'expired access/refresh token', 'clock-skew', { tryNextPair: false, retryLater: false }],
    ['invalid_grant', 'inactive user', 'inactive-user', { tryNextPair: false, retryLater: false }],
  ];
  for (const [error, description, kind, flags] of cases) {
    it(`${error} "${description}" → ${kind}`, () => {
      const e = explainTokenError(error, description);
      assert.equal(e.kind, kind);
      assert.equal(e.retryLater, flags.retryLater);
      assert.ok(e.actions.length > 0 && e.cause.length > 0);
      if (kind === 'bad-audience') assert.equal(e.tryNextPair, true, 'another (token URL, audience) pair may work');
    });
  }

  it('matches case-insensitively and on a fragment; an unknown error is "unknown" with a general action', () => {
    assert.equal(explainTokenError('INVALID_GRANT', "authentication failure: User hasn't approved this consumer.").kind, 'not-approved');
    const unknown = explainTokenError('weird_error', 'something else');
    assert.equal(unknown.kind, 'unknown');
    assert.ok(unknown.actions.length > 0);
  });

  it('tries My Domain first and the generic host only for Salesforce-hosted My Domains', () => {
    assert.deepEqual(
      loginPairs('https://acme.my.salesforce.com', false).map((p) => `${p.tokenUrl} ${p.audience}`),
      [
        'https://acme.my.salesforce.com/services/oauth2/token https://acme.my.salesforce.com',
        'https://acme.my.salesforce.com/services/oauth2/token https://login.salesforce.com',
        'https://login.salesforce.com/services/oauth2/token https://login.salesforce.com',
      ]
    );
    assert.equal(loginPairs('https://acme--dev.sandbox.my.salesforce.com', true)[1].audience, 'https://test.salesforce.com');
    assert.equal(loginPairs('http://127.0.0.1:1234', false).length, 2);
  });
});

describe('JWT login retry (injected clock and sleep)', () => {
  let emu: EmulatorHandle;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  it('retries a consumer key that is not active yet with backoff until --wait runs out, then ConsumerKeyNotPropagatedError', async () => {
    let clock = 0;
    const pauses: number[] = [];
    const statuses: string[] = [];
    const error = await jwtLogin({
      consumerKey: '3MVG9unknownKey',
      username: 'nobody@acme.example',
      privateKey,
      myDomainUrl: emu.url,
      isSandbox: false,
      waitMs: 60_000,
      now: () => clock,
      sleep: async (ms) => {
        pauses.push(ms);
        clock += ms;
      },
      onRetry: (m) => statuses.push(m),
    }).then(
      () => assert.fail('no login without a known consumer key'),
      (e: unknown) => e
    );
    assert.ok(error instanceof SfError);
    assert.equal(error.name, 'ConsumerKeyNotPropagatedError');
    assert.deepEqual(pauses, [2000, 4000, 8000, 16_000, 30_000]);
    assert.equal(statuses.length, 5);
    assert.match(statuses[0], /not active yet.*trying again in 2 s/);
    assert.match(error.message, /Tried:/);
  });

  it('a token endpoint that drops the connection is retried within the wait, then the real answer decides', async () => {
    emu.faults.resetDownload(0, 2, '/services/oauth2/token');
    let clock = 0;
    const pauses: number[] = [];
    const error = await jwtLogin({
      consumerKey: '3MVG9unknownKey',
      username: 'nobody@acme.example',
      privateKey,
      myDomainUrl: emu.url,
      isSandbox: false,
      waitMs: 3000,
      now: () => clock,
      sleep: async (ms) => {
        pauses.push(ms);
        clock += ms;
      },
    }).catch((e: unknown) => e);
    assert.equal((error as Error).name, 'ConsumerKeyNotPropagatedError');
    assert.deepEqual(pauses, [2000, 1000], 'two pauses for the two dropped connections, capped by what is left of the wait');
  });
});
