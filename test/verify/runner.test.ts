import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SfError } from '@salesforce/core';
import { isOk, lazy, need, runChecks, summarise, verdictOf, type Check } from '../../plugin/src/verify/runner.js';
import { renderVerifyReport } from '../../plugin/src/verify/report.js';
import { parseUsageUser } from '../../plugin/src/org/oauth-usage.js';
import { pass, SkipCheck, warn, type VerifyResult } from '../../plugin/src/verify/types.js';

type Ctx = { calls: number; fact: () => Promise<string> };

describe('the verify runner', () => {
  it('runs every check, turns errors into failures with actions and SkipCheck into skips, and loads a shared fact once', async () => {
    let loads = 0;
    const ctx: Ctx = {
      calls: 0,
      fact: lazy(async () => {
        loads++;
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('the org said no\nsecond line');
      }),
    };
    const checks: Array<Check<Ctx>> = [
      { id: 'org.owner', group: 'org', title: 'owner', run: async (c) => pass(await c.fact()) },
      { id: 'org.dependent', group: 'org', title: 'dependent', run: async (c) => pass(await need(c.fact, 'org.owner')) },
      { id: 'app.named', group: 'app', title: 'named', run: () => Promise.reject(new SfError('Refused.', 'RefusedError', ['Do this.'])) },
      { id: 'app.skipped', group: 'app', title: 'skipped', run: () => Promise.reject(new SkipCheck('no key')) },
      { id: 'app.warned', group: 'app', title: 'warned', run: () => Promise.resolve(warn('careful', [])) },
      { id: 'app.fine', group: 'app', title: 'fine', run: () => Promise.resolve(pass('ok')) },
    ];
    const results = await runChecks(checks, ctx);
    assert.deepEqual(results.map((r) => [r.id, r.status]), [
      ['org.owner', 'fail'],
      ['org.dependent', 'skip'],
      ['app.named', 'fail'],
      ['app.skipped', 'skip'],
      ['app.warned', 'warn'],
      ['app.fine', 'pass'],
    ]);
    assert.equal(loads, 1, 'the fact was loaded once');
    assert.match(results[0].message, /^Could not check: the org said no/);
    assert.equal(results[1].reason, 'Needs org.owner, which could not run: the org said no');
    assert.deepEqual(results[2].actions, ['Do this.']);
    assert.equal(results[3].reason, 'no key');
    assert.ok((results[4].actions?.length ?? 0) > 0, 'a warning without actions gets a fallback action');

    const summary = summarise(results);
    assert.deepEqual(summary, { pass: 1, warn: 1, fail: 2, skip: 2, total: 6 });
    assert.equal(isOk(summary, false), false);
    assert.match(verdictOf(summary, false), /^✖ Not ready: 2 of 6 checks failed/);
    const warningsOnly = { pass: 5, warn: 1, fail: 0, skip: 0, total: 6 };
    assert.equal(isOk(warningsOnly, false), true);
    assert.equal(isOk(warningsOnly, true), false);
    assert.match(verdictOf(warningsOnly, false), /^! Working, with 1 warning/);

    const report = renderVerifyReport({
      appName: 'Anzenna',
      username: 'admin@example.com',
      integrationUser: 'anzenna-integration@example.com',
      instanceUrl: 'https://acme.my.salesforce.com',
      strict: false,
      ok: false,
      verdict: verdictOf(summary, false),
      summary,
      checks: results,
    } satisfies VerifyResult);
    assert.match(report, /^Org\n {2}✖ org\.owner +Could not check/m);
    assert.match(report, /^ {2}- app\.skipped +no key$/m);
    assert.match(report, /→ Do this\./);
    assert.ok(report.indexOf('Org') < report.indexOf('External Client App'), 'grouped in order');
  });

  it('reads OAuth usage entries flat or nested', () => {
    assert.deepEqual(parseUsageUser({ userId: '005x', username: 'a@b.c', tokenCount: 2, useCount: 7, lastUsedDate: '2026-01-01T00:00:00Z' }), {
      userId: '005x',
      username: 'a@b.c',
      tokenCount: 2,
      useCount: 7,
      lastUsedDate: '2026-01-01T00:00:00Z',
    });
    assert.deepEqual(parseUsageUser({ user: { id: '005y', userName: 'd@e.f' }, tokens: [{}, {}, {}], lastUsed: '2026-02-02T00:00:00Z' }), {
      userId: '005y',
      username: 'd@e.f',
      tokenCount: 3,
      useCount: undefined,
      lastUsedDate: '2026-02-02T00:00:00Z',
    });
  });
});
