/**
 * The CLI: `npm run emulator -- --port 0 --home … --alias …` prints the URL, writes an auth the
 * real Org.create accepts, and stops on SIGTERM.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { it } from 'node:test';
import { freshHome, installEgressGuard } from './test-helpers.js';

installEgressGuard();
const cli = join(import.meta.dirname, '..', '..', 'emulator', 'src', 'cli.ts');

it('serves until SIGTERM with a usable alias in the given HOME', async () => {
  const home = await freshHome();
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--home', home, '--alias', 'emu', '--edition', 'Unlimited', '--deploy-ms', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  try {
    const { Org } = await import('@salesforce/core');
    const conn = (await Org.create({ aliasOrUsername: 'emu' })).getConnection();
    assert.equal(conn.instanceUrl, url);
    const q = await conn.query<{ OrganizationType: string }>('SELECT OrganizationType FROM Organization');
    assert.equal(q.records[0].OrganizationType, 'Unlimited Edition');
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
});

it('rejects an unknown edition with exit code 2', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--edition', 'Galactic'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 2);
  assert.match(err, /--edition must be one of Developer, Enterprise, EnterpriseEventMonitoring, Unlimited, Professional, Sandbox/);
});

it('rejects a bad --fault spec with exit code 2 and says what is expected', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--fault', 'rate-limit:qeury:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 2);
  assert.match(err, /--fault rate-limit:qeury:1: unknown operation "qeury" \(one of token, query,/);
});

it('arms faults and behaviour switches given on the command line', async () => {
  const home = await freshHome();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--home', home, '--alias', 'emu', '--fault', 'server-error:query:1', '--fault=expire-sessions-after:describe', '--legacy-login-audience'],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  try {
    const { Org } = await import('@salesforce/core');
    const conn = (await Org.create({ aliasOrUsername: 'emu' })).getConnection();
    const headers = { authorization: `Bearer ${conn.accessToken!}` };
    const first = await fetch(`${url}/services/data/v66.0/query?q=SELECT+Id+FROM+Organization`, { headers });
    assert.equal(first.status, 500);
    assert.equal(((await first.json()) as { errorCode: string }[])[0].errorCode, 'UNKNOWN_EXCEPTION');
    const second = await fetch(`${url}/services/data/v66.0/query?q=SELECT+Id+FROM+Organization`, { headers });
    assert.equal(second.status, 200, 'the fault was for one request');
    const describe = await fetch(`${url}/services/data/v66.0/sobjects/User/describe`, { headers });
    assert.equal(describe.status, 200);
    const after = await fetch(`${url}/services/data/v66.0/query?q=SELECT+Id+FROM+Organization`, { headers });
    assert.equal(after.status, 401, 'every session expired after the describe');
  } finally {
    child.kill('SIGTERM');
  }
  await once(child, 'exit');
});
