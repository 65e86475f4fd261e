/**
 * What verify prints, against the emulated org: advice repeats the --target-org the user typed (an alias
 * stays an alias), live.tokens is skipped like every other check that needs the app when there is none, the
 * JSON verdict points at nothing "above", and the integration user's email is learnt from the org.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import type { VerifyResult } from '../../plugin/src/verify/types.js';

const ADMIN = 'admin@anzenna-emu.example';

describe('verify on an org without the app', () => {
  let o: EmulatedOrg;
  before(async () => {
    o = await emulatedOrg({ edition: 'Developer' });
  });
  after(async () => o.close());

  it('repeats the alias typed in its advice, skips live.tokens, and its JSON verdict does not say "above"', async () => {
    const res = await o.run<VerifyResult>(['anzenna', 'verify', '-o', 'emu', '--json']);
    assert.equal(res.code, 1, res.stdout + res.stderr);
    const r = res.json?.result;
    assert.ok(r);
    const actions = r.checks.flatMap((c) => c.actions ?? []).join('\n');
    assert.match(actions, /sf anzenna setup --target-org emu\b/);
    assert.doesNotMatch(actions, new RegExp(`--target-org ${ADMIN}`), 'not the username behind the alias');
    const tokens = r.checks.find((c) => c.id === 'live.tokens');
    assert.equal(tokens?.status, 'skip', tokens?.message);
    assert.match(tokens?.reason ?? tokens?.message ?? '', /does not exist \(see app\.exists\)/);
    assert.doesNotMatch(r.verdict, /above/);
    assert.match(r.verdict, /Fix the failed checks/);
  });

  it('repeats the username when the username was typed', async () => {
    const res = await o.run<VerifyResult>(['anzenna', 'verify', '--target-org', ADMIN, '--json']);
    const actions = (res.json?.result?.checks ?? []).flatMap((c) => c.actions ?? []).join('\n');
    assert.match(actions, new RegExp(`sf anzenna setup --target-org ${ADMIN.replace(/\./g, '\\.')}`));
  });
});

describe('verify after setup with another integration email', () => {
  let o: EmulatedOrg;
  before(async () => {
    o = await emulatedOrg({ edition: 'Developer' });
  });
  after(async () => o.close());

  it('learns the email from the integration user instead of assuming the admin\'s, so --strict passes', async () => {
    const setup = await o.run(['anzenna', 'setup', '-o', 'emu', '--no-prompt', '-e', 'secops@acme.example', '--json']);
    assert.equal(setup.code, 0, setup.stdout + setup.stderr);
    const res = await o.run<VerifyResult>(['anzenna', 'verify', '-o', 'emu', '--json']);
    const email = res.json?.result?.checks.find((c) => c.id === 'user.email');
    assert.equal(email?.status, 'pass', email?.message);
    assert.match(email?.message ?? '', /secops@acme\.example: the vendor's admin email must be this one/);
    // Given, and different: still a warning with what to do.
    const given = await o.run<VerifyResult>(['anzenna', 'verify', '-o', 'emu', '-e', 'other@acme.example', '--json']);
    assert.equal(given.json?.result?.checks.find((c) => c.id === 'user.email')?.status, 'warn');
  });
});
