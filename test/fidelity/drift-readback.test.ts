/**
 * The comparison setup's plan and verify's app.drift share (plan/drift.ts): what an org hides or normalises
 * on read-back is not drift, and a real difference still is (issue #8).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compareXml } from '../../plugin/src/plan/drift.js';

const NS = 'http://soap.sforce.com/2006/04/metadata';
const settings = (fields: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppGlobalOauthSettings xmlns="${NS}">${fields}</ExtlClntAppGlobalOauthSettings>`;
const CERT = '<certificate>-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----</certificate>';

describe('drift: what the org hides or normalises', () => {
  it('a certificate the org does not show is not drift; a different one is', () => {
    const desired = settings(`${CERT}<isPkceRequired>false</isPkceRequired>`);
    assert.deepEqual(compareXml(desired, settings('<isPkceRequired>false</isPkceRequired>'), 'g'), []);
    const other = settings('<certificate>WFla</certificate><isPkceRequired>false</isPkceRequired>');
    assert.deepEqual(compareXml(desired, other, 'g').map((d) => d.field), ['certificate']);
  });

  it('isPkceRequired read back true for a deployed false is not drift; the reverse is', () => {
    assert.deepEqual(compareXml(settings('<isPkceRequired>false</isPkceRequired>'), settings('<isPkceRequired>true</isPkceRequired>'), 'g'), []);
    assert.deepEqual(compareXml(settings('<isPkceRequired>true</isPkceRequired>'), settings('<isPkceRequired>false</isPkceRequired>'), 'g').map((d) => d.field), ['isPkceRequired']);
  });

  it('another field missing from the read-back is still drift', () => {
    assert.deepEqual(compareXml(settings('<isClientCredentialsFlowEnabled>false</isClientCredentialsFlowEnabled>'), settings(''), 'g').map((d) => d.actual), ['(not set)']);
  });

  it('orgScopedExternalApp in its 15-character form (or any) is never drift', () => {
    const eca = (v: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<ExternalClientApplication xmlns="${NS}"><label>A</label><orgScopedExternalApp>${v}</orgScopedExternalApp></ExternalClientApplication>`;
    assert.deepEqual(compareXml(eca('00D5g000004abcdEAA:Anzenna'), eca('00D5g000004abcd:Anzenna'), 'e'), []);
  });
});
