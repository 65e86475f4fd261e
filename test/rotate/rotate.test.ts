/**
 * `sf anzenna cert rotate` end to end against the emulated org (the real @salesforce/core, SDR and jsforce):
 * cut-over with a generated pair, an own pair and a vendor certificate; a rotation whose proof fails and is
 * rolled back; the parallel-app rotation through --finish; a dry run that leaves the org unchanged.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createPrivateKey } from 'node:crypto';
import { postToken, signJwt } from '../emulator/test-helpers.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import type { RotateResult } from '../../plugin/src/rotate/result.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';

const GLOBAL = ['ExtlClntAppGlobalOauthSettings', 'Anzenna_glbloauth'] as const;

const orgs: EmulatedOrg[] = [];
after(async () => Promise.all(orgs.map((o) => o.close())));

/** An org set up with a generated pair in `<cwd>/jwt`. */
async function setUpOrg(): Promise<{ o: EmulatedOrg; dir: string; setup: SetupResult }> {
  const o = await emulatedOrg();
  orgs.push(o);
  const dir = join(o.cwd, 'jwt');
  const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '-d', dir, '--json']);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  return { o, dir, setup: res.json?.result as SetupResult };
}

const pem = (text: string): string => text.replace(/\r/g, '').trim();
const orgCertificate = (o: EmulatedOrg, app = GLOBAL[1]): string => pem(String(o.emu.scenario.appField(GLOBAL[0], app, 'certificate')));
const fileText = (path: string): string => pem(readFileSync(path, 'utf8'));
/** A JWT bearer login as the vendor makes it, with the key file at `keyPath`, through the app whose consumer key is given. */
async function jwtLogin(o: EmulatedOrg, keyPath: string, consumerKey: string, username: string): Promise<{ status: number; body: Record<string, string> }> {
  const exp = Math.floor(Date.now() / 1000) + 180;
  return postToken(o.emu.url, signJwt(createPrivateKey(readFileSync(keyPath, 'utf8')), { iss: consumerKey, sub: username, aud: o.emu.url, exp }));
}
const apiStatus = async (o: EmulatedOrg, token: string): Promise<number> =>
  (await fetch(`${o.emu.url}/services/data/v66.0/sobjects`, { headers: { authorization: `Bearer ${token}` } })).status;

const backups = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('backup-'));

describe('sf anzenna cert rotate (cut-over)', () => {
  it('rotates to a generated pair: backup first, same consumer key, proved with the new key', async () => {
    const { o, dir, setup } = await setUpOrg();
    const oldKey = readFileSync(join(dir, 'anzenna.key'), 'utf8');
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result as RotateResult;
    assert.equal(r.keyMode, 'generated');
    assert.equal(r.proof, 'passed');
    assert.equal(r.rolledBack, false);
    assert.equal(r.consumerKey, setup.consumerKey, 'the consumer key does not change');
    assert.equal(o.emu.scenario.appField(GLOBAL[0], GLOBAL[1], 'consumerKey'), setup.consumerKey);
    assert.equal(r.previousCertificateSha256, setup.certificateSha256);
    assert.notEqual(r.certificateSha256, setup.certificateSha256);
    // The org trusts the new certificate, which is the one now in the output directory.
    assert.equal(r.certificatePath, join(dir, 'anzenna.crt'));
    assert.equal(orgCertificate(o), fileText(join(dir, 'anzenna.crt')));
    assert.notEqual(readFileSync(join(dir, 'anzenna.key'), 'utf8'), oldKey);
    assert.equal(statSync(join(dir, 'anzenna.key')).mode & 0o777, 0o600);
    // The previous pair is in the dated backup folder, key 0600.
    assert.match(r.backupDir ?? '', /backup-\d{8}T\d{6}Z$/);
    assert.equal(readFileSync(join(r.backupDir ?? '', 'anzenna.key'), 'utf8'), oldKey);
    assert.equal(statSync(join(r.backupDir ?? '', 'anzenna.key')).mode & 0o777, 0o600);
    assert.doesNotMatch(res.stdout + res.stderr, /PRIVATE KEY/);
    // The new pair works for a later command: verify's live login passes with it.
    const verify = await o.run(['anzenna', 'verify', '-o', 'emu', '-c', join(dir, 'anzenna.crt'), '-k', join(dir, 'anzenna.key'), '--json']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });

  it('rotates to your own pair and leaves the output directory pair in place', async () => {
    const { o, dir, setup } = await setUpOrg();
    const own = join(o.cwd, 'own');
    assert.equal((await o.run(['anzenna', 'cert', 'generate', '-d', own])).code, 0);
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '-c', join(own, 'anzenna.crt'), '-k', join(own, 'anzenna.key'), '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result as RotateResult;
    assert.equal(r.keyMode, 'own');
    assert.equal(r.proof, 'passed');
    assert.equal(r.privateKeyPath, join(own, 'anzenna.key'));
    assert.equal(orgCertificate(o), fileText(join(own, 'anzenna.crt')));
    assert.equal(r.consumerKey, setup.consumerKey);
    assert.equal(backups(dir).length, 1);
  });

  it('rotates to a vendor certificate: no proof here, and says how to watch for the vendor login', async () => {
    const { o, dir } = await setUpOrg();
    const vendor = join(o.cwd, 'vendor');
    assert.equal((await o.run(['anzenna', 'cert', 'generate', '-d', vendor])).code, 0);
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '-c', join(vendor, 'anzenna.crt'), '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result as RotateResult;
    assert.equal(r.keyMode, 'vendor');
    assert.equal(r.proof, 'vendor');
    assert.equal(r.privateKeyPath, undefined);
    assert.match(r.handoff.next, /sf anzenna status .*--wait/);
    assert.equal(orgCertificate(o), fileText(join(vendor, 'anzenna.crt')));
    const human = await o.run(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '-c', join(vendor, 'anzenna.crt'), '--no-prompt']);
    assert.notEqual(human.code, 0, 'the same certificate again is refused');
    assert.match(human.stderr, /CertificateUnchanged|already trusts this certificate/);
  });

  it('rotates to a vendor certificate given by URL (downloaded over loopback http)', async () => {
    const { o, dir } = await setUpOrg();
    const vendor = join(o.cwd, 'vendor-url');
    assert.equal((await o.run(['anzenna', 'cert', 'generate', '-d', vendor])).code, 0);
    const certificate = readFileSync(join(vendor, 'anzenna.crt'));
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(certificate));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/cert.pem`;
      const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--certificate-url', url, '--json']);
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.equal(res.json?.result?.keyMode, 'vendor');
      assert.equal(orgCertificate(o), fileText(join(vendor, 'anzenna.crt')), 'the downloaded certificate is the one deployed');
    } finally {
      server.close();
    }
  });

  it('rolls back when the new key cannot log in: old certificate restored, both keys tried, non-zero exit', async () => {
    const { o, dir, setup } = await setUpOrg();
    const oldCert = fileText(join(dir, 'anzenna.crt'));
    const oldKey = readFileSync(join(dir, 'anzenna.key'), 'utf8');
    const tokensBefore = o.emu.requestLog.filter((r) => r.operation === 'token').length;
    // The token endpoint refuses the new key's login (every login pair the proof tries); the old key's later login passes.
    o.emu.faults.serverErrorOperation('token', 2);
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--wait', '0', '--json']);
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.equal(res.json?.name, 'RotationRolledBackError');
    const data = (res.json as { data?: { rolledBack: boolean; oldKeyProof: string; previousCertificateSha256: string; backupDir: string } }).data;
    assert.equal(data?.rolledBack, true);
    assert.equal(data?.oldKeyProof, 'passed');
    assert.equal(data?.previousCertificateSha256, setup.certificateSha256);
    // The org trusts the previous certificate again, and the output directory holds the previous pair.
    assert.equal(orgCertificate(o), oldCert);
    assert.equal(fileText(join(dir, 'anzenna.crt')), oldCert);
    assert.equal(readFileSync(join(dir, 'anzenna.key'), 'utf8'), oldKey);
    // Both keys were tried: the new one (refused) and then the old one (passed).
    const tokens = o.emu.requestLog.filter((r) => r.operation === 'token').slice(tokensBefore);
    assert.ok(tokens.length >= 3, `token requests: ${tokens.length}`);
    assert.equal(tokens.at(-1)?.status, 200);
  });

  it('--dry-run shows the plan and leaves the org and the files unchanged', async () => {
    const { o, dir } = await setUpOrg();
    const before = o.snapshot();
    const keyBefore = readFileSync(join(dir, 'anzenna.key'), 'utf8');
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--dry-run', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result as RotateResult;
    assert.equal(r.dryRun, true);
    assert.deepEqual(r.plan.map((a) => a.kind), ['back-up-key-pair', 'write-key-pair', 'deploy-certificate', 'prove-login']);
    assert.equal(o.snapshot(), before);
    assert.equal(readFileSync(join(dir, 'anzenna.key'), 'utf8'), keyBefore);
    assert.deepEqual(backups(dir), []);
    // Without --dry-run, a production org (an emulated Developer Edition) and no terminal: refused, nothing done.
    const refused = await o.run(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir]);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /ConfirmationRequired|no terminal to confirm/);
    assert.equal(o.snapshot(), before);
    assert.deepEqual(backups(dir), []);
  });
});

describe('sf anzenna cert rotate --parallel-app', () => {
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');

  it('deploys a second app with its own consumer key, then --finish switches the old one off and ends its sessions', async () => {
    const { o, dir, setup } = await setUpOrg();
    const newApp = `Anzenna_${today}`;
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--parallel-app', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result as RotateResult;
    assert.equal(r.newAppName, newApp);
    assert.equal(r.proof, 'passed');
    assert.notEqual(r.consumerKey, setup.consumerKey);
    assert.equal(o.emu.scenario.appField(GLOBAL[0], `${newApp}_glbloauth`, 'consumerKey'), r.consumerKey);
    // The new app's pair sits beside the old one (the app's own file name), which stays as it was.
    assert.equal(dirname(r.privateKeyPath ?? ''), dir);
    assert.notEqual(r.privateKeyPath, join(dir, 'anzenna.key'));
    assert.equal(statSync(r.privateKeyPath ?? '').mode & 0o777, 0o600);
    // Same profile and permission set pre-authorized; the old app untouched and still enabled.
    const policy = `${newApp}_oauth_defaultPolicy`;
    assert.equal(o.emu.scenario.appField('ExtlClntAppOauthConfigurablePolicies', policy, 'commaSeparatedProfile'), 'Anzenna Integration');
    assert.equal(o.emu.scenario.appField('ExtlClntAppOauthConfigurablePolicies', policy, 'commaSeparatedPermissionSet'), 'Event_Monitoring_Access');
    assert.equal(orgCertificate(o), fileText(join(dir, 'anzenna.crt')));
    assert.ok(existsSync(join(dir, 'anzenna.rotation.json')));

    // The vendor is logged in through the old app (a live access token) and through the new one.
    const oldSession = await jwtLogin(o, join(dir, 'anzenna.key'), setup.consumerKey ?? '', setup.username);
    assert.equal(oldSession.status, 200, JSON.stringify(oldSession.body));
    const newKeyPath = r.privateKeyPath ?? '';

    // This machine's own proof through the new app is not the vendor's login: --finish still waits.
    const early = await o.run(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--finish', '--json']);
    assert.equal(early.code, 1, early.stdout);
    assert.equal(early.json?.name, 'NewAppNotUsedError');
    const vendorLogin = await jwtLogin(o, newKeyPath, r.consumerKey, setup.username);
    assert.equal(vendorLogin.status, 200, JSON.stringify(vendorLogin.body));

    const dry = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--finish', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.deepEqual(dry.json?.result?.plan.map((a) => a.kind), ['disable-app', 'revoke-tokens']);
    assert.equal(await apiStatus(o, oldSession.body.access_token), 200, 'a dry run ends no session');

    const fin = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--finish', '--json']);
    assert.equal(fin.code, 0, fin.stdout + fin.stderr);
    assert.equal(fin.json?.result?.retiredAppName, 'Anzenna');
    assert.equal(fin.json?.result?.retired, 'disabled');
    assert.equal(String(o.emu.scenario.appField('ExtlClntAppConfigurablePolicies', 'Anzenna_defaultPolicy', 'isEnabled')), 'false');
    assert.equal(String(o.emu.scenario.appField('ExtlClntAppConfigurablePolicies', 'Anzenna_defaultPolicy', 'isOauthPluginEnabled')), 'false');
    assert.equal(await apiStatus(o, oldSession.body.access_token), 401, "the old app's live session ended at once");
    assert.equal((await jwtLogin(o, join(dir, 'anzenna.key'), setup.consumerKey ?? '', setup.username)).status, 400, 'no new login through the old app');
    const through = await jwtLogin(o, newKeyPath, r.consumerKey, setup.username);
    assert.equal(through.status, 200, `the new app still works: ${JSON.stringify(through.body)}`);
    assert.equal(existsSync(join(dir, 'anzenna.rotation.json')), false);
  });

  it('--finish --delete-app revokes the old tokens and deletes the old app; the new app keeps working', async () => {
    const { o, dir, setup } = await setUpOrg();
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--parallel-app', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result as RotateResult;
    const oldSession = await jwtLogin(o, join(dir, 'anzenna.key'), setup.consumerKey ?? '', setup.username);
    assert.equal(oldSession.status, 200);
    assert.equal((await jwtLogin(o, r.privateKeyPath ?? '', r.consumerKey, setup.username)).status, 200, 'the vendor logs in through the new app');
    const fin = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--finish', '--delete-app', '--json']);
    assert.equal(fin.code, 0, fin.stdout + fin.stderr);
    assert.deepEqual(fin.json?.result?.plan.map((a) => a.kind), ['disable-app', 'revoke-tokens', 'delete-app']);
    assert.equal(fin.json?.result?.retired, 'deleted');
    assert.throws(() => o.emu.scenario.appFields('ExternalClientApplication', 'Anzenna'), 'the old app is gone');
    assert.throws(() => o.emu.scenario.appFields(...GLOBAL), 'its global OAuth settings too');
    assert.equal(await apiStatus(o, oldSession.body.access_token), 401);
    assert.equal(o.emu.scenario.appField(GLOBAL[0], `${r.newAppName}_glbloauth`, 'consumerKey'), r.consumerKey);
    assert.equal((await jwtLogin(o, r.privateKeyPath ?? '', r.consumerKey, setup.username)).status, 200, 'the new app still works');
    // The new app is the integration from now on: verify passes with its name, and setup has nothing to change.
    const verify = await o.run(['anzenna', 'verify', '-o', 'emu', '--app-name', r.newAppName ?? '', '-c', r.certificatePath ?? '', '-k', r.privateKeyPath ?? '', '--json']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    const plan = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--app-name', r.newAppName ?? '', '-c', r.certificatePath ?? '', '-k', r.privateKeyPath ?? '', '--dry-run', '--json']);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.deepEqual(plan.json?.result?.plan, [], 'no change planned for the rotated integration');
  });

  it('retires the old app, not the new one, when Salesforce auto-named the old app\'s policies (app created in Setup)', async () => {
    const { o, dir, setup } = await setUpOrg();
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--parallel-app', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result as RotateResult;
    // Renamed after the second app exists, so the org lists the new app's policies first: both start with
    // "Anzenna_", and the old app's must be told apart by the app they name, not by the order or the prefix.
    o.emu.scenario.renameComponent('ExtlClntAppOauthConfigurablePolicies', 'Anzenna_oauth_defaultPolicy', 'Anzenna_oauthPlcy');
    o.emu.scenario.renameComponent('ExtlClntAppConfigurablePolicies', 'Anzenna_defaultPolicy', 'Anzenna_plcy');
    assert.equal((await jwtLogin(o, r.privateKeyPath ?? '', r.consumerKey, setup.username)).status, 200);
    const fin = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--finish', '--json']);
    assert.equal(fin.code, 0, fin.stdout + fin.stderr);
    assert.equal(String(o.emu.scenario.appField('ExtlClntAppConfigurablePolicies', 'Anzenna_plcy', 'isEnabled')), 'false', 'the old app is off');
    assert.equal(String(o.emu.scenario.appField('ExtlClntAppConfigurablePolicies', `${r.newAppName}_defaultPolicy`, 'isEnabled')), 'true', 'the new app is untouched');
    assert.equal((await jwtLogin(o, r.privateKeyPath ?? '', r.consumerKey, setup.username)).status, 200, 'the vendor still gets in');
  });

  it('--finish after the old app was deleted by hand: nothing left to retire, the record is cleared', async () => {
    const { o, dir } = await setUpOrg();
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--parallel-app', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    for (const [type, name] of [
      ['ExternalClientApplication', 'Anzenna'],
      ['ExtlClntAppOauthSettings', 'Anzenna_oauth'],
      GLOBAL,
      ['ExtlClntAppOauthConfigurablePolicies', 'Anzenna_oauth_defaultPolicy'],
      ['ExtlClntAppConfigurablePolicies', 'Anzenna_defaultPolicy'],
    ] as const) o.emu.scenario.removeComponent(type, name);
    const fin = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--finish', '--json']);
    assert.equal(fin.code, 0, fin.stdout + fin.stderr);
    assert.equal(fin.json?.result?.retired, 'deleted');
    assert.deepEqual(fin.json?.result?.plan, []);
    assert.equal(existsSync(join(dir, 'anzenna.rotation.json')), false);
  });

  it('--finish refuses (and changes nothing) when the old app\'s policy cannot be found, rather than report it off', async () => {
    const { o, dir, setup } = await setUpOrg();
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--parallel-app', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = res.json?.result as RotateResult;
    assert.equal((await jwtLogin(o, r.privateKeyPath ?? '', r.consumerKey, setup.username)).status, 200);
    o.emu.scenario.removeComponent('ExtlClntAppConfigurablePolicies', 'Anzenna_defaultPolicy');
    const before = o.snapshot();
    const fin = await o.run(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--finish', '--json']);
    assert.equal(fin.code, 1, fin.stdout);
    assert.equal(fin.json?.name, 'OldAppPolicyUnreadableError');
    assert.match((fin.json?.actions ?? []).join(' '), /--finish --delete-app/);
    assert.equal(o.snapshot(), before, 'nothing changed (in particular not the new app)');
    assert.ok(existsSync(join(dir, 'anzenna.rotation.json')), 'the record stays for the next try');
  });

  it('--parallel-app from another output directory does not take over a second app it did not record', async () => {
    const { o, dir } = await setUpOrg();
    assert.equal((await o.run(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--parallel-app', '--json'])).code, 0);
    const other = await o.run(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', join(o.cwd, 'elsewhere'), '--parallel-app', '--json']);
    assert.equal(other.code, 1, other.stdout);
    assert.equal(other.json?.name, 'ParallelAppExistsError');
  });

  it('--delete-app needs --finish', async () => {
    const { o, dir } = await setUpOrg();
    const res = await o.run(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--delete-app', '--json']);
    assert.equal(res.code, 2, res.stdout + res.stderr);
    assert.match(res.stdout + res.stderr, /--finish/);
  });

  it('--finish refuses while nobody has logged in through the new app (vendor certificate), unless --force', async () => {
    const { o, dir } = await setUpOrg();
    const vendor = join(o.cwd, 'vendor');
    assert.equal((await o.run(['anzenna', 'cert', 'generate', '-d', vendor])).code, 0);
    const res = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--parallel-app', '-c', join(vendor, 'anzenna.crt'), '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.equal(res.json?.result?.proof, 'vendor');
    const refused = await o.run(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--finish', '--json']);
    assert.equal(refused.code, 1);
    assert.equal(refused.json?.name, 'NewAppNotUsedError');
    assert.equal(String(o.emu.scenario.appField('ExtlClntAppConfigurablePolicies', 'Anzenna_defaultPolicy', 'isOauthPluginEnabled')), 'true');
    const forced = await o.run(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--finish', '--force', '--json']);
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    assert.equal(String(o.emu.scenario.appField('ExtlClntAppConfigurablePolicies', 'Anzenna_defaultPolicy', 'isOauthPluginEnabled')), 'false');
  });
});
