/**
 * The emulator's command-line options, parsed in process: every in-process fault has a `--fault` spec, the
 * behaviour switches map to options, and every bad input is a plain error (the CLI exits 2 with it).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../emulator/src/cli-args.js';
import { applyFaultSpec, parseFaultSpec } from '../../emulator/src/fault-spec.js';
import { Faults } from '../../emulator/src/faults.js';

describe('emulator --fault specs', () => {
  it('parses each kind of fault', () => {
    assert.deepEqual(parseFaultSpec('rate-limit:query:2'), { kind: 'rate-limit', operation: 'query', count: 2 });
    assert.deepEqual(parseFaultSpec('server-error:checkDeployStatus:1'), { kind: 'server-error', operation: 'checkDeployStatus', count: 1 });
    assert.deepEqual(parseFaultSpec('reset-download:100:3'), { kind: 'reset-download', bytes: 100, count: 3 });
    assert.deepEqual(parseFaultSpec('fail-component:Anzenna_glbloauth'), { kind: 'fail-component', fullName: 'Anzenna_glbloauth' });
    assert.deepEqual(parseFaultSpec('expire-sessions-after:token'), { kind: 'expire-sessions-after', operation: 'token' });
  });

  it('refuses bad specs with a message naming the spec', () => {
    assert.throws(() => parseFaultSpec('rate-limit:query'), /--fault rate-limit:query: expected one of rate-limit:<operation>:<count>/);
    assert.throws(() => parseFaultSpec('rate-limit:query:0'), /<count> must be a whole number ≥ 1/);
    assert.throws(() => parseFaultSpec('server-error:deploy:two'), /<count> must be a whole number/);
    assert.throws(() => parseFaultSpec('reset-download:-1:1'), /<bytes> must be a whole number ≥ 0/);
    assert.throws(() => parseFaultSpec('expire-sessions-after:login'), /unknown operation "login"/);
    assert.throws(() => parseFaultSpec('fail-component:'), /expected one of/);
    assert.throws(() => parseFaultSpec('meteor'), /expected one of/);
  });

  it('arms the same faults the in-process API does', () => {
    const faults = new Faults();
    for (const spec of ['rate-limit:deploy:1', 'server-error:token:2', 'reset-download:0:1', 'fail-component:X', 'expire-sessions-after:token']) applyFaultSpec(faults, parseFaultSpec(spec));
    assert.equal(faults.takeOperationFault('deploy')?.status, 429);
    assert.equal(faults.takeOperationFault('deploy'), undefined, 'one only');
    assert.equal(faults.takeOperationFault('token')?.flavour, 'server-error');
    assert.equal(faults.takeResetFault('/services/data/v66.0/sobjects/EventLogFile/0AT/LogFile')?.afterBytes, 0);
    assert.ok(faults.componentFault('ExternalClientApplication', 'x'));
    assert.equal(faults.takeExpireAfter('token'), true);
    assert.equal(faults.takeExpireAfter('token'), false, 'once');
  });
});

describe('emulator command-line options', () => {
  it('takes repeated --fault and the behaviour switches', () => {
    const c = parseCliArgs(['--edition', 'Sandbox', '--fault', 'rate-limit:query:1', '--fault=fail-component:A', '--certificate-unreadable', '--pkce-always-on', '--legacy-login-audience', '--reject-licensed-permission-set', '--revocation-keeps-access-tokens']);
    assert.equal(c.options.edition, 'Sandbox');
    assert.equal(c.faults.length, 2);
    assert.equal(c.options.certificateUnreadable, true);
    assert.equal(c.options.pkceAlwaysOn, true);
    assert.equal(c.options.legacyLoginAudience, true);
    assert.equal(c.options.rejectLicensedPermissionSetInPolicy, true);
    assert.equal(c.options.revocationKeepsAccessTokens, true);
    assert.equal(parseCliArgs([]).options.legacyLoginAudience, undefined, 'off unless given');
  });

  it('refuses unknown options, missing values and bad numbers', () => {
    assert.throws(() => parseCliArgs(['--colour', 'red']), /unknown option --colour/);
    assert.throws(() => parseCliArgs(['--fault']), /missing value for --fault/);
    assert.throws(() => parseCliArgs(['--latency-ms', 'slow']), /--latency-ms must be a non-negative number/);
    assert.throws(() => parseCliArgs(['--alias', 'x']), /--alias needs --home/);
    assert.throws(() => parseCliArgs(['stray']), /unexpected argument: stray/);
  });
});
