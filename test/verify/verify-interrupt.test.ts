/**
 * Ctrl-C during the read-only commands, on the real process: verify stopped while a retrieve (the fallback
 * for a type the org will not read synchronously) is staged in a temporary folder holding the org's consumer
 * key and certificate exits 130 with one line and leaves no folder; a folder a killed verify left before is
 * removed by the next run; status stopped while it waits for the vendor's first login exits 130 too.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { tempDir } from '../helpers/cli.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import { interruptAt, interruptedLine, oursIn } from '../helpers/interrupt.js';

const orgs: EmulatedOrg[] = [];
after(async () => Promise.all(orgs.map((o) => o.close())));

describe('sf anzenna verify and status interrupted', () => {
  it('verify: exit 130, one line, the retrieve folder gone; a stale folder of a killed run is swept', async () => {
    const o = await emulatedOrg({ edition: 'Developer' });
    orgs.push(o);
    const tmp = tempDir('tmp');
    assert.equal((await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--json'], { TMPDIR: tmp })).code, 0);
    // The org refuses readMetadata for the global OAuth settings: verify retrieves them instead, held open.
    o.emu.faults.readRefused.add('ExtlClntAppGlobalOauthSettings');
    o.emu.faults.deployMs = 120_000;
    const run = await interruptAt(o, ['anzenna', 'verify', '-o', 'emu'], tmp, { afterOperation: 'retrieve' });
    assert.equal(run.code, 130, run.stdout + run.stderr);
    assert.match(interruptedLine(run), /Interrupted \(SIGINT\)\. Nothing was changed in the org \(verify only reads\)/);
    assert.deepEqual(oursIn(tmp), [], 'the staged retrieve (consumer key, certificate) is gone');

    // A verify killed outright (kill -9) leaves its folder; the next run removes it.
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => dead.on('close', () => resolve(dead.pid as number)));
    const stale = join(tmp, 'anzenna-retrieve-killed');
    mkdirSync(stale);
    writeFileSync(join(stale, '.sf-anzenna-owner.json'), JSON.stringify({ pid: deadPid, startedAt: Date.now() }));
    o.emu.faults.deployMs = 0;
    const again = await o.run(['anzenna', 'verify', '-o', 'emu', '--json'], { TMPDIR: tmp });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.deepEqual(oursIn(tmp), []);
  });

  it('status --wait: exit 130 and one line while it polls for the first login', async () => {
    const o = await emulatedOrg({ edition: 'Developer' });
    orgs.push(o);
    const tmp = tempDir('tmp');
    // Set up with a vendor certificate: no login from here, so status waits.
    const vendor = join(o.cwd, 'vendor');
    assert.equal((await o.run(['anzenna', 'cert', 'generate', '-d', vendor])).code, 0);
    assert.equal((await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '-c', join(vendor, 'anzenna.crt'), '--json'], { TMPDIR: tmp })).code, 0);
    // Interrupted once it has looked at LoginHistory a second time, so it is polling for the first login
    // (interruptAt fails the test when the signal was never sent).
    const looks = (): number => o.emu.requestLog.filter((r) => r.operation === 'query' && /LoginHistory/.test(decodeURIComponent(r.path))).length;
    const arm = (send: () => void): void => o.emu.faults.onceAfter('query', () => (looks() >= 2 ? send() : arm(send)));
    const run = await interruptAt(o, ['anzenna', 'status', '-o', 'emu', '--wait', '5', '--poll-interval', '1'], tmp, { arm });
    assert.equal(run.code, 130, run.stdout + run.stderr);
    assert.match(interruptedLine(run), /Interrupted \(SIGINT\)\. Nothing was changed in the org \(status only reads\)/);
  });
});
