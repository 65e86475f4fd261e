/**
 * Issue #8: the hand-off as each vendor's client uses it. Elastic's Salesforce input (elastic/beats
 * x-pack/filebeat/input/salesforce, through go-sfdc) puts its JWT `url` in the `aud` claim and posts to
 * `url + /services/oauth2/token`: the Elastic block must work that way, and here an Elastic-style client
 * reads only the pasted snippet, logs in and reads a log file. `--vendor` picks the blocks and the proofs.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import { assertionClaims, signAssertion } from '../../plugin/src/auth/jwt-assertion.js';
import type { JwtLoginResult } from '../../plugin/src/auth/jwt-login.js';
import { resolveSetupInputs } from '../../plugin/src/project/inputs.js';
import { CheckLog } from '../../plugin/src/setup/check-log.js';
import { recordVendorProofs } from '../../plugin/src/setup/prove.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';

const orgs: EmulatedOrg[] = [];
after(async () => Promise.all(orgs.map((o) => o.close())));

async function org(options: Parameters<typeof emulatedOrg>[0] = {}): Promise<EmulatedOrg> {
  const o = await emulatedOrg({ edition: 'Developer', ...options });
  orgs.push(o);
  return o;
}

const check = (r: SetupResult | undefined, id: string): { status: string; message: string } | undefined => r?.checks.find((c) => c.id === id);

type ElasticInput = { url: string; version: number; 'auth.oauth2.jwt_bearer_flow': { enabled: boolean; url: string; 'client.id': string; 'client.username': string; 'client.key_path': string } };

/** What go-sfdc does with the JWT config: one URL as audience and token host; then a query and a LogFile GET at `url`. */
async function elasticClient(input: ElasticInput): Promise<{ header: string }> {
  const jwt = input['auth.oauth2.jwt_bearer_flow'];
  const key = createPrivateKey(readFileSync(jwt['client.key_path']));
  const assertion = signAssertion(assertionClaims(jwt['client.id'], jwt['client.username'], jwt.url), key);
  const token = await fetch(`${jwt.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  });
  const body = (await token.json()) as { access_token?: string; error?: string; error_description?: string };
  assert.ok(body.access_token, `token: ${JSON.stringify(body)}`);
  const auth = { authorization: `Bearer ${body.access_token}` };
  const soql = "SELECT Id, LogFile FROM EventLogFile WHERE EventType = 'Login' ORDER BY CreatedDate ASC";
  const query = await fetch(`${input.url}/services/data/v${input.version}.0/query?q=${encodeURIComponent(soql)}`, { headers: auth });
  assert.equal(query.status, 200);
  const records = ((await query.json()) as { records: Array<{ LogFile: string }> }).records;
  assert.ok(records.length > 0, 'the org has Login log files');
  const file = await fetch(`${input.url}${records[0].LogFile}`, { headers: auth });
  assert.equal(file.status, 200);
  return { header: (await file.text()).split('\n')[0] };
}

describe('the hand-off as each vendor uses it (issue #8)', () => {
  it('--vendor elastic: only the Elastic block, proved over the My Domain pair; an Elastic-style client logs in with the snippet and reads a log file', async () => {
    const o = await org();
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--vendor', 'elastic', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result;
    assert.ok(r);
    assert.deepEqual(r.vendor.selected, ['elastic']);
    assert.equal(r.vendor.anzenna, undefined);
    const e = r.vendor.elastic;
    assert.ok(e);
    assert.equal(e.audienceUrl, o.emu.url, 'the JWT audience URL is the My Domain URL');
    assert.equal(e.tokenUrl, `${o.emu.url}/services/oauth2/token`);
    assert.match(e.apiVersion, /^\d+\.0$/);
    assert.equal(check(r, 'vendor.elastic')?.status, 'pass');
    assert.equal(check(r, 'vendor.anzenna'), undefined);
    const snippet = e.configSnippet ?? assert.fail('a real run gives the Elastic snippet');
    assert.doesNotMatch(snippet, /PRIVATE KEY/);

    const [input] = parse(snippet) as ElasticInput[];
    assert.equal(input.url, o.emu.url);
    assert.equal(input.version, Number.parseInt(e.apiVersion, 10));
    assert.equal(input['auth.oauth2.jwt_bearer_flow'].enabled, true);
    assert.match(snippet, /# jwt_url: /);
    assert.match(snippet, /# client_key_path: /);
    const { header } = await elasticClient(input);
    assert.match(header, /^"?EVENT_TYPE"?,/);
  });

  it('--vendor anzenna prints only the Anzenna block; the default prints both with the Elastic snippet', async () => {
    const o = await org({ legacyLoginAudience: true });
    const anzenna = await o.run(['anzenna', 'setup', '-o', 'emu', '--vendor', 'anzenna', '--no-prompt']);
    assert.equal(anzenna.code, 0, anzenna.stdout + anzenna.stderr);
    assert.match(anzenna.stdout, /Anzenna \(Settings > Integrations > Salesforce\)/);
    assert.doesNotMatch(anzenna.stdout, /Elastic-based collector|JWT Authentication Audience URL/);
    assert.match(anzenna.stdout, /Anzenna: proved as its client connects/);
    const both = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    const r = both.json?.result;
    assert.deepEqual(r?.vendor.selected, ['anzenna', 'elastic']);
    assert.ok(r?.vendor.anzenna && r.vendor.elastic);
    // Under the old audience acceptance the proof still goes over My Domain for both vendors.
    assert.equal(check(r, 'vendor.anzenna')?.status, 'pass');
    assert.equal(check(r, 'vendor.elastic')?.status, 'pass');
    const human = await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt']);
    assert.match(human.stdout, /API version\s+\d+\.0/);
    assert.match(human.stdout, /auth\.oauth2\.jwt_bearer_flow:/);
    assert.match(human.stdout, /client\.key_path: /);
  });

  it('a login that succeeded only over another pair proves nothing for either vendor', () => {
    const log = new CheckLog({ warn: () => undefined });
    const myDomain = 'https://acme.my.salesforce.com';
    const login: JwtLoginResult = {
      tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
      audience: 'https://login.salesforce.com',
      accessToken: 'x',
      instanceUrl: myDomain,
      attempts: [
        { tokenUrl: `${myDomain}/services/oauth2/token`, audience: myDomain, outcome: 'invalid_grant', description: 'user hasn\'t approved this consumer' },
        { tokenUrl: 'https://login.salesforce.com/services/oauth2/token', audience: 'https://login.salesforce.com', outcome: 'ok' },
      ],
    };
    recordVendorProofs(log, { vendor: 'both' }, myDomain, login, '');
    const elastic = log.checks.find((c) => c.id === 'vendor.elastic');
    assert.equal(elastic?.status, 'warn');
    assert.match(elastic?.message ?? '', /proves nothing for Elastic/);
    assert.match(elastic?.message ?? '', /hasn't approved this consumer/);
    assert.equal(log.checks.find((c) => c.id === 'vendor.anzenna')?.status, 'warn');
    const over = new CheckLog({ warn: () => undefined });
    recordVendorProofs(over, { vendor: 'elastic' }, myDomain, { ...login, ...{ tokenUrl: `${myDomain}/services/oauth2/token`, audience: myDomain } }, '');
    assert.deepEqual(over.checks.map((c) => `${c.id} ${c.status}`), ['vendor.elastic pass']);
  });

  it('plugins.anzenna.vendor is read and checked', () => {
    assert.equal(resolveSetupInputs({}, { vendor: 'elastic' }).vendor, 'elastic');
    assert.equal(resolveSetupInputs({}, {}).vendor, 'both');
    assert.equal(resolveSetupInputs({ vendor: 'anzenna' }, { vendor: 'elastic' }).vendor, 'anzenna');
    assert.throws(() => resolveSetupInputs({}, { vendor: 'splunk' }), (e: Error) => e.name === 'InvalidVendorError' && /splunk/.test(e.message));
  });
});
