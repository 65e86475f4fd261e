/**
 * Issue #8: Salesforce now says event log files "can be created within three days"; setup's and verify's
 * note for an org without files says so.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';
import { verify } from '../verify/helpers.js';

let o: EmulatedOrg | undefined;
after(async () => o?.close());

describe('no event log files yet (issue #8)', () => {
  it('setup and verify say files can take up to three days', async () => {
    o = await emulatedOrg({ edition: 'Developer' });
    o.emu.scenario.removeEventLogFiles();
    const res = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const note = res.json?.result?.checks.find((c) => c.id === 'eventLogs.note');
    assert.equal(note?.status, 'warn');
    assert.match(note?.message ?? '', /within three days/);
    assert.doesNotMatch(note?.message ?? '', /24 hours/);
    const dir = join(o.cwd, 'anzenna-jwt');
    const run = await verify(o, ['-c', join(dir, 'anzenna.crt'), '-k', join(dir, 'anzenna.key')]);
    const said = run.result.checks.filter((c) => /three days/.test(`${c.message} ${(c.actions ?? []).join(' ')}`)).map((c) => c.id);
    assert.ok(said.length > 0, JSON.stringify(run.result.checks.filter((c) => c.status !== 'pass')));
    assert.ok(!run.result.checks.some((c) => /24 hours/.test(`${c.message} ${(c.actions ?? []).join(' ')}`)));
  });
});
