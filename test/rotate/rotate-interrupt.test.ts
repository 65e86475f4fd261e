/**
 * Ctrl-C in the middle of a cut-over, on the real process: the rotation has backed up the pair and written
 * the new one, and its deploy is held open by the emulator when SIGINT arrives (sent once the org has
 * accepted the deploy request, so nothing races a timer). It exits 130 with one plain line naming what was
 * done, leaves no temporary folder or lock, and the org still trusts the old certificate (that deploy is
 * then cancelled). Running the same command again finishes the job: it recognises the interrupted run (the
 * output directory's pair is not the one the org trusts, the newest backup's is), keeps that backup instead
 * of backing up the unconfirmed pair, and rotates.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../helpers/cli.js';
import { interruptAt, interruptedLine, oursIn } from '../helpers/interrupt.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import type { RotateResult } from '../../plugin/src/rotate/result.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';

const orgs: EmulatedOrg[] = [];
after(async () => Promise.all(orgs.map((o) => o.close())));

const pem = (text: string): string => text.replace(/\r/g, '').trim();
const orgCertificate = (o: EmulatedOrg): string => pem(String(o.emu.scenario.appField('ExtlClntAppGlobalOauthSettings', 'Anzenna_glbloauth', 'certificate')));
const backups = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('backup-'));
const ours = oursIn;

describe('sf anzenna cert rotate interrupted', () => {
  it('SIGINT during the deploy: exit 130, one line, nothing left behind; the same command then finishes the rotation', async () => {
    const o = await emulatedOrg({ edition: 'Developer' });
    orgs.push(o);
    const dir = join(o.cwd, 'jwt');
    const tmp = tempDir('tmp');
    const setup = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '-d', dir, '--json']);
    assert.equal(setup.code, 0, setup.stdout + setup.stderr);
    const oldKey = readFileSync(join(dir, 'anzenna.key'), 'utf8');
    const oldCert = orgCertificate(o);

    o.emu.faults.deployMs = 120_000;
    // Once the org has accepted the deploy request: the deploy is under way (held open) when the signal lands.
    const run = await interruptAt(o, ['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--no-prompt'], tmp, { afterOperation: 'deploy' });
    assert.equal(run.code, 130, run.stdout + run.stderr);
    const said = [interruptedLine(run)];
    assert.match(said[0], /Interrupted \(SIGINT\)\. Done before it stopped: backed up the current pair into .*backup-\d{8}T\d{6}Z, wrote the new key pair\./);
    assert.match(said[0], /Running the same command again finishes the job: a cut-over keeps the backup folder/);
    assert.deepEqual(ours(tmp), [], `no staging folder (with the global OAuth settings) and no lock left: ${ours(tmp).join(', ')}`);
    const [backup] = backups(dir);
    assert.equal(readFileSync(join(dir, backup, 'anzenna.key'), 'utf8'), oldKey, 'the pair the org trusts is in the backup');
    const unconfirmedKey = readFileSync(join(dir, 'anzenna.key'), 'utf8');
    assert.notEqual(unconfirmedKey, oldKey, 'the interrupted run wrote its new pair');

    // That deploy never lands: the org still trusts the old certificate.
    assert.equal(o.emu.scenario.cancelRunningDeploys(), 1);
    o.emu.faults.deployMs = 0;
    assert.equal(orgCertificate(o), oldCert);

    const again = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--no-prompt', '--json'], { TMPDIR: tmp });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    const r = again.json?.result as RotateResult;
    assert.equal(r.proof, 'passed');
    assert.equal(r.backupDir, join(dir, backup), 'the backup of the interrupted run is kept, not a copy of its unconfirmed pair');
    assert.match(r.plan[0].changes[0].from, /interrupted rotation/);
    assert.deepEqual(backups(dir), [backup]);
    assert.equal(readFileSync(join(dir, backup, 'anzenna.key'), 'utf8'), oldKey);
    assert.equal(readFileSync(join(dir, backup, 'unconfirmed', 'anzenna.key'), 'utf8'), unconfirmedKey, 'the unconfirmed pair is set aside, not destroyed');
    assert.equal(r.previousCertificateSha256, setup.json?.result?.certificateSha256);
    assert.equal(orgCertificate(o), pem(readFileSync(join(dir, 'anzenna.crt'), 'utf8')), 'the org trusts the pair in the output directory');
    assert.deepEqual(ours(tmp), []);
  });
});

describe('sf anzenna cert rotate --parallel-app interrupted', () => {
  it('SIGINT during the second app\'s deploy, which then lands: the same command picks the app up and hands it over', async () => {
    const o = await emulatedOrg({ edition: 'Developer' });
    orgs.push(o);
    const dir = join(o.cwd, 'jwt');
    const tmp = tempDir('tmp');
    assert.equal((await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '-d', dir, '--json'])).code, 0);
    o.emu.faults.deployMs = 120_000;
    const run = await interruptAt(o, ['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--parallel-app', '--no-prompt'], tmp, { afterOperation: 'deploy' });
    assert.equal(run.code, 130, run.stdout + run.stderr);
    assert.match(interruptedLine(run), /--parallel-app picks up the second app if its deploy landed/);
    assert.deepEqual(ours(tmp), []);
    // Salesforce lands the deploy the command stopped watching.
    assert.equal(await o.emu.scenario.landRunningDeploys(), 1);
    o.emu.faults.deployMs = 0;
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const newApp = `Anzenna_${today}`;
    const orgKey = String(o.emu.scenario.appField('ExtlClntAppGlobalOauthSettings', `${newApp}_glbloauth`, 'consumerKey'));

    const again = await o.run<RotateResult>(['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--parallel-app', '--no-prompt', '--json'], { TMPDIR: tmp });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    const r = again.json?.result as RotateResult;
    assert.equal(r.newAppName, newApp);
    assert.equal(r.consumerKey, orgKey, "the hand-off is the landed app's consumer key");
    assert.equal(r.proof, 'passed', 'the pair the interrupted run wrote logs in through it');
    assert.deepEqual(r.plan.map((a) => a.kind), ['prove-login'], 'nothing deployed again');
    assert.equal(o.emu.requestLog.filter((x) => x.operation === 'deploy').length, 3, 'two for setup, one for the interrupted run; none for the pick-up');
    const record = JSON.parse(readFileSync(join(dir, 'anzenna.rotation.json'), 'utf8')) as { newAppName: string; consumerKey: string; ownLoginAt?: string };
    assert.equal(record.newAppName, newApp);
    assert.equal(record.consumerKey, orgKey);
    assert.ok(record.ownLoginAt, 'the proof is recorded, so --finish waits for the vendor');
  });
});

describe('sf anzenna cert rotate --parallel-app with the vendor\'s certificate, interrupted', () => {
  it('picks up the landed app on the re-run with the same certificate: no key here, so the vendor proves it', async () => {
    const o = await emulatedOrg({ edition: 'Developer' });
    orgs.push(o);
    const dir = join(o.cwd, 'jwt');
    const vendor = join(o.cwd, 'vendor');
    const tmp = tempDir('tmp');
    assert.equal((await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '-d', dir, '--json'])).code, 0);
    assert.equal((await o.run(['anzenna', 'cert', 'generate', '-d', vendor])).code, 0);
    const args = ['anzenna', 'cert', 'rotate', '-o', 'emu', '-d', dir, '--parallel-app', '-c', join(vendor, 'anzenna.crt'), '--no-prompt'];
    o.emu.faults.deployMs = 120_000;
    const run = await interruptAt(o, args, tmp, { afterOperation: 'deploy' });
    assert.equal(run.code, 130, run.stdout + run.stderr);
    assert.equal(await o.emu.scenario.landRunningDeploys(), 1);
    o.emu.faults.deployMs = 0;
    const again = await o.run<RotateResult>([...args, '--json'], { TMPDIR: tmp });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    const r = again.json?.result as RotateResult;
    assert.equal(r.proof, 'vendor');
    assert.deepEqual(r.plan, [], 'nothing to deploy or prove here');
    assert.equal(o.emu.requestLog.filter((x) => x.operation === 'deploy').length, 3, 'not deployed again');
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.key')).length, 1, 'no key generated for the picked-up app');
  });
});
