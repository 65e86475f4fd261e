/**
 * Naming details the fault matrix relies on: an ErrorId is kept readable but not in the shape sf takes for
 * an unhandled Salesforce internal error (exit 20), and a fault already named keeps its kind and is not
 * named twice (the session re-login and the retries recognise it without the original error attached).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SfError } from '@salesforce/core';
import { defaultBaseMs, faultKind, isTransient, keepErrorIds, nameOrgFault } from '../../plugin/src/faults/org-faults.js';

const GACK = /\d{9,}-\d{3,} \(-?\d{7,}\)/; // sf-plugins-core's errorIsGack pattern

describe('fault naming', () => {
  it('keeps an ErrorId readable for support without the shape sf exits 20 on', () => {
    const text = 'UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)';
    assert.match(text, GACK);
    const kept = keepErrorIds(text);
    assert.doesNotMatch(kept, GACK);
    assert.match(kept, /1234567890-12345 \/ -1234567890/);
  });

  it('names a server fault once, with exit code 1, no cause, and its kind kept', () => {
    const raw = Object.assign(new Error('UNKNOWN_EXCEPTION: boom 1234567890-12345 (-1234567890)'), { name: 'sf:UNKNOWN_EXCEPTION' });
    const named = nameOrgFault(raw, 'readMetadata') as SfError;
    assert.equal(named.name, 'OrgServerError');
    assert.equal(named.exitCode, 1);
    assert.equal(named.cause, undefined);
    assert.doesNotMatch(`${named.message} ${named.stack ?? ''}`, GACK);
    assert.equal(faultKind(named), 'server');
    assert.ok(isTransient(named));
    assert.equal(nameOrgFault(named, 'another'), named, 'not named twice');
  });

  it('recognises an ended session that was named', () => {
    const raw = Object.assign(new Error('Session expired or invalid'), { errorCode: 'INVALID_SESSION_ID' });
    const named = nameOrgFault(raw, 'query') as SfError;
    assert.equal(named.name, 'OrgSessionExpiredError');
    assert.equal(faultKind(named), 'session');
    assert.equal(isTransient(named), false);
  });

  it('takes the first retry pause from SF_ANZENNA_RETRY_BASE_MS (test-only), else 1 s', () => {
    assert.equal(defaultBaseMs({}), 1000);
    assert.equal(defaultBaseMs({ SF_ANZENNA_RETRY_BASE_MS: '5' }), 5);
    assert.equal(defaultBaseMs({ SF_ANZENNA_RETRY_BASE_MS: 'soon' }), 1000);
    assert.equal(defaultBaseMs({ SF_ANZENNA_RETRY_BASE_MS: '' }), 1000);
  });
});
