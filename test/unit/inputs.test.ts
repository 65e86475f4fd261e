/**
 * Input resolution without an org: one table gives the flags, the `plugins.anzenna` keys, their types,
 * defaults and checks; flags win over the project, the project over the defaults; setup and verify read
 * the same inputs the same way; one naming rule for key files.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  defaultIntegrationUsername,
  inputFlags,
  INPUTS,
  keyFilePaths,
  parseProjectSettings,
  resolveSetupInputs,
  resolveVerifyInputs,
} from '../../plugin/src/project/inputs.js';

const rejectsWith = (fn: () => unknown, name: string, message: RegExp): void => {
  assert.throws(fn, (e: Error & { actions?: string[] }) => e.name === name && message.test(e.message) && (e.actions?.length ?? 0) > 0);
};

describe('input resolution', () => {
  it('defaults: Anzenna, support@anzenna.ai, bypass, no opt-ins, 10 minutes, ./anzenna-jwt', () => {
    const r = resolveSetupInputs({}, {}, '/work/here');
    assert.equal(r.appName, 'Anzenna');
    assert.equal(r.label, undefined);
    assert.equal(r.contactEmail, 'support@anzenna.ai');
    assert.equal(r.ipRelaxation, 'Bypass');
    assert.deepEqual([r.viewAllData, r.setupAudit, r.realTimeEvents], [false, false, false]);
    assert.equal(r.waitMinutes, 10);
    assert.equal(r.outputDir, join('/work/here', 'anzenna-jwt'));
    assert.deepEqual([r.keySize, r.keyFormat, r.validityDays], [2048, 'pkcs8', 730]);
  });

  it('flags win over sfdx-project.json, which wins over the defaults', () => {
    const project = parseProjectSettings({ appName: 'Acme_SIEM', label: 'Acme & Co', ipRelaxation: 'enforce', viewAllData: true, wait: 15 }, 'sfdx-project.json');
    const r = resolveSetupInputs({ 'app-name': 'Other', 'ip-relaxation': 'bypass-2factor' }, project, '/x');
    assert.equal(r.appName, 'Other');
    assert.equal(r.label, 'Acme & Co');
    assert.equal(r.ipRelaxation, 'Bypass_2factor');
    assert.equal(r.viewAllData, true);
    assert.equal(r.waitMinutes, 15);
    assert.equal(resolveSetupInputs({ 'view-all-data': false }, project).viewAllData, false, '--no-view-all-data overrides the project');
  });

  it('verify reads the same shared inputs as setup, and leaves the opt-ins unset unless given (then the org decides)', () => {
    const project = parseProjectSettings({ label: 'Acme & Co <SIEM>', contactEmail: 'sec@acme.com', integrationUserEmail: 'ops@acme.com' }, 'p');
    const s = resolveSetupInputs({ 'app-name': 'Acme' }, project, '/x');
    const v = resolveVerifyInputs({ 'app-name': 'Acme' }, project, '/x');
    for (const key of ['appName', 'label', 'contactEmail', 'integrationUserEmail', 'ipRelaxation', 'outputDir'] as const) assert.equal(v[key], s[key], key);
    assert.equal(v.viewAllData, undefined);
    assert.equal(resolveVerifyInputs({ 'setup-audit': true }, {}).setupAudit, true);
  });

  it('every bad value is a named error with an action', () => {
    rejectsWith(() => resolveSetupInputs({ 'app-name': '1bad' }, {}), 'InvalidAppNameError', /./);
    rejectsWith(() => resolveSetupInputs({ label: 'x'.repeat(41) }, {}), 'InvalidLabelError', /./);
    rejectsWith(() => resolveSetupInputs({ 'contact-email': 'nope' }, {}), 'InvalidEmailError', /--contact-email/);
    rejectsWith(() => resolveSetupInputs({ 'integration-user-email': 'nope' }, {}), 'InvalidEmailError', /--integration-user-email/);
    rejectsWith(() => resolveSetupInputs({ 'integration-user': 'nope' }, {}), 'InvalidUsernameError', /email address/);
    rejectsWith(() => resolveSetupInputs({}, { ipRelaxation: 'sometimes' }), 'InvalidIpRelaxationError', /"sometimes"/);
    rejectsWith(() => resolveSetupInputs({ wait: 61 }, {}), 'InvalidWaitError', /61 minutes/);
    rejectsWith(() => resolveVerifyInputs({}, { appName: 'bad name' }), 'InvalidAppNameError', /./);
  });

  it('sfdx-project.json: unknown keys and wrong types are refused, naming the file', () => {
    rejectsWith(() => parseProjectSettings({ appname: 'x' }, '/p/sfdx-project.json'), 'ProjectSettingsError', /Unknown key "appname".*\/p\/sfdx-project.json/);
    rejectsWith(() => parseProjectSettings({ wait: '10' }, 'f'), 'ProjectSettingsError', /plugins\.anzenna\.wait.*must be a number/);
    rejectsWith(() => parseProjectSettings([], 'f'), 'ProjectSettingsError', /must be an object/);
    assert.deepEqual(parseProjectSettings(undefined, 'f'), {});
  });

  it('the flags come from the same table: every input with a project key has a flag of its name', () => {
    const flags = inputFlags(...(Object.keys(INPUTS) as Array<keyof typeof INPUTS>));
    assert.deepEqual(Object.keys(flags).sort(), Object.keys(INPUTS).sort());
    assert.equal((flags['app-name'] as { char?: string }).char, 'n');
    assert.equal((flags['view-all-data'] as { allowNo?: boolean }).allowNo, true);
  });

  it('one naming rule for key files and the default username', () => {
    assert.deepEqual(keyFilePaths('/k', 'Acme_SIEM'), { key: join('/k', 'acme_siem.key'), certificate: join('/k', 'acme_siem.crt') });
    assert.deepEqual(keyFilePaths('/k', 'Anzenna'), { key: join('/k', 'anzenna.key'), certificate: join('/k', 'anzenna.crt') });
    assert.equal(defaultIntegrationUsername('Acme_SIEM', 'admin@acme.com'), 'acme-siem-integration@acme.com');
  });
});
