import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ErrorObject } from 'ajv';
import { CHECK_IDS } from '../../plugin/src/verify/run-verify.js';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import { assertReadOnly, certificate, checkpoint, componentData, expectCheck, verify } from './helpers.js';

type Validator = { (data: unknown): boolean; errors?: ErrorObject[] | null };
type AjvClass = new (options: { allErrors: boolean; strict: boolean }) => { compile(schema: unknown): Validator };

function schemaValidator(): Validator {
  const loaded = createRequire(import.meta.url)('ajv') as AjvClass | { default: AjvClass };
  const Ajv = 'default' in loaded ? loaded.default : loaded;
  const schema: unknown = JSON.parse(readFileSync(join(repoRoot, 'plugin', 'schemas', 'anzenna-verify.json'), 'utf8'));
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

let o: EmulatedOrg;
let restore: () => void;
let consumerKey: string;

before(async () => {
  o = await emulatedOrg({ edition: 'Developer' });
  // A healthy integration has login IP ranges (user.loginIpRanges warns without): the emulator's logins come from 127.0.0.1.
  const setup = await o.run(['anzenna', 'setup', '-o', 'emu', '--allowed-ip-range', '127.0.0.1-127.0.0.1', '--json']);
  assert.equal(setup.code, 0, setup.stdout + setup.stderr);
  consumerKey = String(componentData(o.emu, 'ExtlClntAppGlobalOauthSettings', 'Anzenna_glbloauth').consumerKey);
  restore = checkpoint(o.emu);
});
after(async () => o.close());

describe('sf anzenna verify on a healthy org', () => {
  it('passes every check after setup, read-only, and its --json output matches the schema', async () => {
    const run = await verify(o, ['--consumer-key', consumerKey]);
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(run.result.checks.map((c) => c.id), [...CHECK_IDS]);
    const notPassed = run.result.checks.filter((c) => c.status !== 'pass');
    assert.deepEqual(notPassed.map((c) => `${c.id}: ${c.status} ${c.message}`), []);
    assert.equal(run.result.ok, true);
    assert.equal(run.json?.status, 0);
    assert.match(run.result.verdict, /^✔ All \d+ checks passed/);
    const validate = schemaValidator();
    assert.ok(validate(run.result), JSON.stringify(validate.errors, null, 1));
    assertReadOnly(run);
  });

  it('skips the live login without a key and says why, and reads the event logs as the admin', async () => {
    const run = await verify(o, [], tempDir('no-key'));
    assert.equal(run.code, 0, run.stdout);
    expectCheck(run, 'live.jwt', 'skip', /No private key here.*the vendor holds it/);
    expectCheck(run, 'certificate.matchesKey', 'skip', /No private key/);
    expectCheck(run, 'certificate.matchesFile', 'skip', /No certificate file/);
    expectCheck(run, 'live.eventLogs', 'pass', /as the admin/);
    assert.equal(run.requests.filter((r) => r.operation === 'token').length, 0, 'no login attempted');
  });

  it('compares the vendor certificate file and exits 0 on warnings unless --strict', async () => {
    // The vendor's certificate (the one deployed) given explicitly: it matches by SHA-256.
    const cert = join(o.cwd, 'anzenna-jwt', 'anzenna.crt');
    const run = await verify(o, ['--certificate-file', cert, '--integration-user-email', 'secops@acme.example'], tempDir('vendor'));
    expectCheck(run, 'certificate.matchesFile', 'pass', /is the deployed certificate \(SHA-256/);
    expectCheck(run, 'user.email', 'warn', /secops@acme\.example/, /Setup > Users > .* > Edit > Email: secops@acme\.example/);
    assert.equal(run.code, 0, 'a warning does not fail');
    const strict = await verify(o, ['--certificate-file', cert, '--integration-user-email', 'secops@acme.example', '--strict'], tempDir('vendor'));
    assert.equal(strict.code, 1, 'with --strict it does');
    assert.equal(strict.json?.status, 1);
    assert.equal(strict.result.ok, false);
    assert.match(strict.result.verdict, /--strict/);
  });
});

describe('sf anzenna verify finds what is wrong with the app', () => {
  it('reports policies, scopes, plugin, event log generation and drift, each with what to click', async () => {
    const policy = componentData(o.emu, 'ExtlClntAppOauthConfigurablePolicies', 'Anzenna_oauth_defaultPolicy');
    policy.permittedUsersPolicyType = 'AllSelfAuthorized';
    policy.refreshTokenPolicyType = 'SpecificLifetime';
    policy.refreshTokenValidityPeriod = '30';
    policy.refreshTokenValidityUnit = 'Days';
    policy.ipRelaxationPolicyType = 'Enforce';
    componentData(o.emu, 'ExtlClntAppOauthSettings', 'Anzenna_oauth').commaSeparatedOauthScopes = 'Api';
    const plugin = componentData(o.emu, 'ExtlClntAppConfigurablePolicies', 'Anzenna_defaultPolicy');
    plugin.isEnabled = 'false';
    plugin.isOauthPluginEnabled = 'false';
    componentData(o.emu, 'ExternalClientApplication', 'Anzenna').contactEmail = 'someone@else.example';
    o.emu.state.settings.Event.enableEventLogGeneration = 'false';
    try {
      const run = await verify(o);
      assert.equal(run.code, 1);
      assert.equal(run.json?.status, 1, 'the JSON result carries the failing status');
      expectCheck(run, 'app.permittedUsers', 'fail', /AllSelfAuthorized.*hasn't approved this consumer/, /Admin approved users are pre-authorized/);
      expectCheck(run, 'app.refreshToken', 'warn', /SpecificLifetime, 30 Days/, /Refresh token is valid until revoked/);
      expectCheck(run, 'app.ipRelaxation', 'warn', /Enforce IP restrictions.*Relax IP restrictions/, /IP Relaxation: "Relax IP restrictions"/);
      expectCheck(run, 'app.scopes', 'fail', /lack RefreshToken/, /Perform requests at any time/);
      expectCheck(run, 'app.enabled', 'fail', /disabled/, /Enable app/);
      expectCheck(run, 'app.oauthPlugin', 'fail', /OAuth plugin is disabled/, /enable the OAuth plugin/);
      expectCheck(run, 'org.eventLogGeneration', 'fail', /off/, /Generate event log files/);
      const drift = expectCheck(run, 'app.drift', 'warn', /difference\(s\)/, /sf anzenna setup --target-org emu /);
      const lines = (drift.details ?? []).join('\n');
      assert.match(lines, /ExternalClientApplication Anzenna: contactEmail: someone@else\.example → support@anzenna\.ai/);
      assert.match(lines, /ExtlClntAppOauthConfigurablePolicies Anzenna_oauth_defaultPolicy: ipRelaxationPolicyType: Enforce → Bypass/);
      assert.match(lines, /ExtlClntAppOauthSettings Anzenna_oauth: commaSeparatedOauthScopes: Api → /);
      expectCheck(run, 'live.jwt', 'fail', /JWT bearer login failed/, /consumer key/);
      // One failure hides nothing: the user and certificate checks still ran.
      expectCheck(run, 'user.permissionSet', 'pass');
      expectCheck(run, 'certificate.matchesKey', 'pass');
      assertReadOnly(run);

      const human = await runCli(['anzenna', 'verify', '-o', 'emu'], { home: o.home, cwd: o.cwd });
      assert.equal(human.code, 1);
      assert.match(human.stdout, /^External Client App$/m);
      assert.match(human.stdout, /^ {2}✖ app\.permittedUsers +Permitted users is AllSelfAuthorized/m);
      assert.match(human.stdout, /^ {2}! app\.ipRelaxation /m);
      assert.match(human.stdout, /^ {2}✔ user\.exists /m);
      assert.match(human.stdout, /→ Setup > External Client App Manager > Anzenna > Policies > Edit/);
      assert.match(human.stdout, /^✖ Not ready: \d+ of \d+ checks failed/m);
    } finally {
      restore();
    }
  });

  it('reports a missing certificate (JWT off)', async () => {
    delete componentData(o.emu, 'ExtlClntAppGlobalOauthSettings', 'Anzenna_glbloauth').certificate;
    try {
      const run = await verify(o);
      expectCheck(run, 'app.jwtEnabled', 'fail', /No certificate is uploaded/, /Enable JWT Bearer Flow/);
      expectCheck(run, 'certificate.valid', 'skip', /app\.jwtEnabled/);
      expectCheck(run, 'certificate.expiry', 'skip');
    } finally {
      restore();
    }
  });
});

describe('sf anzenna verify checks the certificate and the consumer key', () => {
  it('fails an expired certificate that matches neither the key nor the file, and a pasted key with a line break', async () => {
    const global = componentData(o.emu, 'ExtlClntAppGlobalOauthSettings', 'Anzenna_glbloauth');
    global.certificate = certificate(1, new Date(Date.now() - 5 * 86_400_000));
    try {
      const run = await verify(o, ['--consumer-key', `${consumerKey}\n`]);
      assert.equal(run.code, 1);
      expectCheck(run, 'certificate.valid', 'pass');
      expectCheck(run, 'certificate.expiry', 'fail', /expired on/, /cert\.pem/);
      expectCheck(run, 'certificate.matchesKey', 'fail', /does not belong to the deployed certificate.*(invalid assertion|invalid client credentials)/, /--private-key-file/);
      expectCheck(run, 'certificate.matchesFile', 'fail', /is not the deployed certificate/, /--certificate-file .*anzenna\.crt/);
      expectCheck(run, 'consumerKey.matches', 'fail', /the org's key with whitespace or a line break around it/, /Consumer Key and Secret/);
      expectCheck(run, 'live.jwt', 'fail', /signature does not verify/, /private key generated together with the deployed certificate/);
    } finally {
      restore();
    }
  });

  it('warns 30 days ahead of expiry, and fails a key that is not the org\'s', async () => {
    componentData(o.emu, 'ExtlClntAppGlobalOauthSettings', 'Anzenna_glbloauth').certificate = certificate(10);
    try {
      const run = await verify(o, ['--consumer-key', 'NotTheKeyTheOrgHas1234567890']);
      expectCheck(run, 'certificate.expiry', 'warn', /expires in 9 day\(s\)|expires in 10 day\(s\)/, /sf anzenna cert generate/);
      expectCheck(run, 'consumerKey.matches', 'fail', /is not the org's consumer key/, /paste it into the vendor's form/);
    } finally {
      restore();
    }
  });

  it('fails a certificate that does not parse and a consumer key with a space', async () => {
    const global = componentData(o.emu, 'ExtlClntAppGlobalOauthSettings', 'Anzenna_glbloauth');
    global.certificate = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----';
    global.consumerKey = 'two words and more than sixteen';
    try {
      const run = await verify(o);
      expectCheck(run, 'certificate.valid', 'fail', /could not be read/, /Download the certificate again/);
      expectCheck(run, 'certificate.expiry', 'skip', /does not parse/);
      expectCheck(run, 'consumerKey.wellFormed', 'fail', /whitespace/, /deploy a clean key/);
    } finally {
      restore();
    }
  });
});
