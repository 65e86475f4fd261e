/**
 * Issue #8: the two token errors recorded on External Client Apps map to named causes and actions, and a
 * real JWT login against the offline org hits each one (the refresh-token scope removed from the app; the
 * app gone after a sandbox refresh), plus the login.salesforce.com audience that ECAs now refuse.
 */
import { strict as assert } from 'node:assert';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SfError } from '@salesforce/core';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import { assertionClaims, signAssertion } from '../../plugin/src/auth/jwt-assertion.js';
import { jwtLogin, LOGIN_HOST } from '../../plugin/src/auth/jwt-login.js';
import { explainTokenError } from '../../plugin/src/auth/token-errors.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';

const REFRESH_SCOPE = 'refresh_token scope is required and the connected app should be installed and preauthorized.';

describe('token error rules for External Client Apps (issue #8)', () => {
  it('invalid_request "refresh_token scope is required …" → refresh-scope: the scope or the pre-authorization', () => {
    const e = explainTokenError('invalid_request', REFRESH_SCOPE);
    assert.equal(e.kind, 'refresh-scope');
    assert.equal(e.tryNextPair, false, 'another host does not add a scope');
    assert.equal(e.retryLater, false);
    assert.match(e.cause, /refresh_token, offline_access/);
    assert.match(e.cause, /pre-authorized/);
    assert.ok(e.actions.some((a) => /Perform requests at any time/.test(a)));
    assert.ok(e.actions.some((a) => /Admin approved users are pre-authorized/.test(a)));
  });

  it('app_not_found "External client app is not installed in this org" → app-not-found: the audience, or the app is missing', () => {
    const e = explainTokenError('app_not_found', 'External client app is not installed in this org');
    assert.equal(e.kind, 'app-not-found');
    assert.match(e.cause, /My Domain/);
    assert.match(e.cause, /sandbox refresh/);
    assert.ok(e.actions.some((a) => /My Domain URL .* token host and as the JWT audience/.test(a)));
    assert.ok(e.actions.some((a) => /run sf anzenna setup again/.test(a)));
  });

  it('invalid_client "invalid client credentials" stays a bad signature', () => {
    assert.equal(explainTokenError('invalid_client', 'invalid client credentials').kind, 'bad-signature');
  });
});

describe('a real JWT login hits each error (offline org)', () => {
  let o: EmulatedOrg;
  let setup: SetupResult;
  const key = (): ReturnType<typeof createPrivateKey> => createPrivateKey(readFileSync(join(o.cwd, 'anzenna-jwt', 'anzenna.key')));
  const login = (username = setup.username): Promise<unknown> =>
    jwtLogin({ consumerKey: setup.consumerKey ?? '', username, privateKey: key(), myDomainUrl: o.emu.url, isSandbox: false, waitMs: 0 }).then(
      () => assert.fail('the login should be refused'),
      (e: unknown) => e
    );

  before(async () => {
    o = await emulatedOrg({ edition: 'Developer' });
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.ok(res.json?.result);
    setup = res.json.result;
  });
  after(() => o.close());

  it('the login.salesforce.com audience gets app_not_found, My Domain as audience and host works', async () => {
    const post = async (aud: string): Promise<{ status: number; body: Record<string, string> }> => {
      const assertion = signAssertion(assertionClaims(setup.consumerKey ?? '', setup.username, aud), key());
      const response = await fetch(`${o.emu.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    const generic = await post(LOGIN_HOST);
    assert.equal(generic.body.error, 'app_not_found');
    assert.equal(explainTokenError(generic.body.error, generic.body.error_description).kind, 'app-not-found');
    const myDomain = await post(o.emu.url);
    assert.equal(myDomain.status, 200);
    assert.ok(myDomain.body.access_token);
  });

  it('an app without the refresh_token scope: JwtLoginError with the refresh-scope cause', async () => {
    const restore = o.emu.scenario.checkpoint();
    try {
      o.emu.scenario.setAppField('ExtlClntAppOauthSettings', 'Anzenna_oauth', 'commaSeparatedOauthScopes', 'Api');
      const error = await login();
      assert.ok(error instanceof SfError);
      assert.equal(error.name, 'JwtLoginError');
      assert.match(error.message, /refresh_token, offline_access/);
      assert.match(error.message, /invalid_request/);
      assert.ok(error.actions?.some((a) => /Perform requests at any time/.test(a)));
    } finally {
      restore();
    }
  });

  it('the app gone after a sandbox refresh: JwtLoginError with the app-not-found cause and "run setup again"', async () => {
    const restore = o.emu.scenario.checkpoint();
    try {
      o.emu.scenario.refreshSandbox('dev');
      const error = await login(`${setup.username}.dev`);
      assert.ok(error instanceof SfError);
      assert.equal(error.name, 'JwtLoginError');
      assert.match(error.message, /not installed in this org/);
      assert.match(error.message, /sandbox refresh/);
      assert.ok(error.actions?.some((a) => /run sf anzenna setup again/.test(a)));
    } finally {
      restore();
    }
  });
});
