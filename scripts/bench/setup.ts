/**
 * Setup against the offline org with real-org latency (80 ms a request, 5 s a deploy), three figures:
 * 1. `sf anzenna setup` end to end against the same job scripted with stock `sf` commands, as a release
 *    engineer would (two deploys, record creates, `org login jwt`, a query, `api request rest`);
 * 2. the requests setup sends (emulator log) against the minimum the job needs, status polls aside, and
 *    how soon after the org finished each deploy setup noticed it;
 * 3. checking a 200 MB log file (header read, download abandoned) against a full `curl` download.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startEmulator, type EmulatorHandle, type RequestLogEntry } from '../../emulator/src/index.js';
import { renderBundle } from '../../plugin/src/metadata/index.js';
import { buildKeyAndCertificate, privateKeyPem } from '../../plugin/src/cert/index.js';

const root = join(import.meta.dirname, '..', '..');
const pluginRun = join(root, 'plugin', 'bin', 'run.js');
const sfRun = join(root, 'test', 'sf-cli', 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
const LATENCY_MS = 80;
const DEPLOY_MS = 5000;

function env(home: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, HOME: home, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true' };
  e.PATH = [dirname(process.execPath), e.PATH].join(':');
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete e[name];
  return e;
}

async function run(bin: string, args: string[], home: string, cwd: string): Promise<{ code: number; stdout: string; ms: number }> {
  const start = performance.now();
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: env(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`${args.slice(0, 3).join(' ')} failed (${code}): ${stdout.slice(0, 500)} ${stderr.slice(0, 500)}`);
  return { code, stdout, ms: performance.now() - start };
}

const sfJson = async <T>(args: string[], home: string, cwd: string): Promise<T> =>
  (JSON.parse((await run(sfRun, [...args, '--json'], home, cwd)).stdout) as { result: T }).result;

async function emulatedOrg(): Promise<{ emu: EmulatorHandle; home: string; cwd: string }> {
  const emu = await startEmulator({ edition: 'EnterpriseEventMonitoring', latencyMs: LATENCY_MS, deployMs: DEPLOY_MS });
  const home = mkdtempSync(join(tmpdir(), 'anzenna-bench-home-'));
  const cwd = mkdtempSync(join(tmpdir(), 'anzenna-bench-cwd-'));
  await emu.writeAdminAuth(home, 'emu');
  return { emu, home, cwd };
}

/** The stock-`sf` script: the same job, one command per step, ids passed along as a shell script would. */
async function stockScript(emu: EmulatorHandle, home: string, cwd: string): Promise<number> {
  // Not timed: what a release engineer prepares beforehand (key pair, project with the rendered bundle).
  const { keyPair, certificatePem } = await buildKeyAndCertificate({ commonName: 'bench', keySize: 2048, validityDays: 30 });
  const keyFile = join(cwd, 'server.key');
  writeFileSync(keyFile, privateKeyPem(keyPair.privateKey, 'pkcs8'), { mode: 0o600 });
  const rendered = mkdtempSync(join(tmpdir(), 'anzenna-bench-render-'));
  const bundle = await renderBundle({
    sourceDir: join(root, 'force-app'),
    outputDir: join(rendered, 'b'),
    appName: 'Anzenna',
    contactEmail: 'support@anzenna.ai',
    ipRelaxation: 'Bypass',
    viewAllData: false,
    setupAudit: false,
    oauth: { certificatePem, callbackUrl: emu.url },
  });
  const project = join(cwd, 'project');
  mkdirSync(join(project, 'force-app'), { recursive: true });
  writeFileSync(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0' }));
  cpSync(bundle.dirs.stage1, join(project, 'force-app', 'stage1'), { recursive: true });
  cpSync(bundle.dirs.stage2, join(project, 'force-app', 'stage2'), { recursive: true });
  const user = 'anzenna-integration@anzenna-emu.example';

  const start = performance.now();
  await sfJson(['project', 'deploy', 'start', '-d', 'force-app/stage1', '-o', 'emu', '-w', '10'], home, project);
  await sfJson(['project', 'deploy', 'start', '-d', 'force-app/stage2', '-o', 'emu', '-w', '10'], home, project);
  const id = async (soql: string): Promise<string> =>
    (await sfJson<{ records: Array<{ Id: string }> }>(['data', 'query', '-q', soql, '-o', 'emu'], home, project)).records[0].Id;
  const profileId = await id("SELECT Id FROM Profile WHERE Name = 'Anzenna Integration'");
  const userId = (
    await sfJson<{ id: string }>(
      ['data', 'create', 'record', '-s', 'User', '-o', 'emu', '-v',
        `Username=${user} LastName=Integration Email=admin@anzenna-emu.example Alias=anzint ProfileId=${profileId} TimeZoneSidKey=America/Los_Angeles LocaleSidKey=en_US EmailEncodingKey=UTF-8 LanguageLocaleKey=en_US`],
      home,
      project
    )
  ).id;
  const pslId = await id("SELECT Id FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'");
  await sfJson(['data', 'create', 'record', '-s', 'PermissionSetLicenseAssign', '-o', 'emu', '-v', `AssigneeId=${userId} PermissionSetLicenseId=${pslId}`], home, project);
  const psId = await id("SELECT Id FROM PermissionSet WHERE Name = 'Event_Monitoring_Access'");
  await sfJson(['data', 'create', 'record', '-s', 'PermissionSetAssignment', '-o', 'emu', '-v', `AssigneeId=${userId} PermissionSetId=${psId}`], home, project);
  await sfJson(['org', 'login', 'jwt', '--client-id', bundle.consumerKey, '--jwt-key-file', keyFile, '--username', user, '--instance-url', emu.url, '--alias', 'int'], home, project);
  const fileId = await id('SELECT Id FROM EventLogFile ORDER BY LogDate DESC LIMIT 1');
  await run(sfRun, ['api', 'request', 'rest', `/services/data/v66.0/sobjects/EventLogFile/${fileId}/LogFile`, '-o', 'int'], home, project);
  return performance.now() - start;
}

export type SetupBench = {
  setupMs: number;
  /** The same setup again, nothing to change (same org, same directory). */
  rerunMs: number;
  /** `sf anzenna verify` against the org setup just configured. */
  verifyMs: number;
  stockMs: number;
  ratio: number;
  requests: number;
  polls: number;
  minimum: number;
  requestRatio: number;
  byOperation: Record<string, number>;
  noticeMs: number[];
};

/** One request per fact the job must read and per change it must make; ids come back from the deploy. */
export const MINIMUM_REQUESTS = [
  'edition (Organization)',
  "running user's rights",
  'integration licence seats',
  'API Integration permission set licence seats',
  'integration user (exists?)',
  'our components in the org (exist? differ?)',
  'deploy profile + permission set',
  'deploy the External Client App',
  'create the user',
  'assign the permission set licence',
  'assign the permission set',
  'read the consumer key back',
  'JWT bearer token',
  'EventLogFile summary',
  'pick a log file',
  'download it',
];

const POLL_OPERATIONS = new Set(['checkDeployStatus', 'checkRetrieveStatus']);

function noticeLatencies(log: RequestLogEntry[]): number[] {
  // The emulator finishes a deploy DEPLOY_MS after its `deploy` request arrived; setup notices it when
  // the first status poll sent after that returns.
  const out: number[] = [];
  for (const d of log.filter((r) => r.operation === 'deploy')) {
    const finished = d.startedAt + LATENCY_MS + DEPLOY_MS;
    const poll = log.find((r) => r.operation === 'checkDeployStatus' && r.startedAt >= finished);
    if (poll) out.push(poll.startedAt + poll.durationMs - finished);
  }
  return out;
}

export async function benchSetup(): Promise<SetupBench> {
  const a = await emulatedOrg();
  const setupRun = await run(pluginRun, ['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--json'], a.home, a.cwd);
  const log = a.emu.requestLog;
  const polls = log.filter((r) => POLL_OPERATIONS.has(r.operation ?? '')).length;
  const byOperation: Record<string, number> = {};
  for (const r of log) byOperation[r.operation ?? r.path] = (byOperation[r.operation ?? r.path] ?? 0) + 1;
  const requests = log.length - polls;
  const noticeMs = noticeLatencies(log);
  const rerun = await run(pluginRun, ['anzenna', 'setup', '-o', 'emu', '--no-prompt', '--json'], a.home, a.cwd);
  if ((JSON.parse(rerun.stdout) as { result: { changed: boolean } }).result.changed) throw new Error('the re-run changed something');
  const verify = await run(pluginRun, ['anzenna', 'verify', '-o', 'emu', '--json'], a.home, a.cwd);
  await a.emu.close();

  const b = await emulatedOrg();
  const stockMs = await stockScript(b.emu, b.home, b.cwd);
  await b.emu.close();
  return {
    setupMs: setupRun.ms,
    rerunMs: rerun.ms,
    verifyMs: verify.ms,
    stockMs,
    ratio: setupRun.ms / stockMs,
    requests,
    polls,
    minimum: MINIMUM_REQUESTS.length,
    requestRatio: requests / MINIMUM_REQUESTS.length,
    byOperation,
    noticeMs,
  };
}

export function reportSetup(r: SetupBench): string {
  return [
    `setup end to end, ${LATENCY_MS} ms a request, ${DEPLOY_MS / 1000} s a deploy (Enterprise + Event Monitoring)`,
    `  sf anzenna setup:                 ${(r.setupMs / 1000).toFixed(1)} s`,
    `  stock sf commands, scripted:      ${(r.stockMs / 1000).toFixed(1)} s`,
    `  ratio:                            ${r.ratio.toFixed(2)}  (target <= 0.5) ${r.ratio <= 0.5 ? 'OK' : 'MISSED'}`,
    `  setup again, nothing to change:   ${(r.rerunMs / 1000).toFixed(1)} s, ${(r.rerunMs / r.setupMs).toFixed(2)}x the first setup (target <= 0.25) ${r.rerunMs / r.setupMs <= 0.25 ? 'OK' : 'MISSED'}`,
    `  sf anzenna verify:                ${(r.verifyMs / 1000).toFixed(1)} s, ${(r.verifyMs / r.setupMs).toFixed(2)}x the first setup (target <= 0.25) ${r.verifyMs / r.setupMs <= 0.25 ? 'OK' : 'MISSED'}`,
    `requests setup sent: ${r.requests} (+${r.polls} status polls) against a minimum of ${r.minimum}: ratio ${r.requestRatio.toFixed(2)} (target <= 1.3) ${r.requestRatio <= 1.3 ? 'OK' : 'MISSED'}`,
    `  by operation: ${Object.entries(r.byOperation).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `deploy completion noticed after: ${r.noticeMs.map((ms) => `${Math.round(ms)} ms`).join(', ')} (target <= 1000 ms) ${r.noticeMs.every((ms) => ms <= 1000) ? 'OK' : 'MISSED'}`,
  ].join('\n');
}

export type LogCheckBench = { sizeMb: number; checkMs: number; checkPeakMb: number; curlMs: number; ratio: number };

/** The check in a child process of its own, so its peak memory is its own. */
export async function benchLogCheck(sizeMb = 200): Promise<LogCheckBench> {
  const emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
  try {
    const file = emu.addLogFile({ eventType: 'Login', sizeBytes: sizeMb * 1024 * 1024, logDate: Date.now() });
    const token = emu.state.adminAccessToken;
    const child = spawn(process.execPath, [join(import.meta.dirname, 'log-check-child.mjs'), emu.url, token], {
      env: env(mkdtempSync(join(tmpdir(), 'anzenna-bench-lc-'))),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve) => child.on('close', () => resolve()));
    const measured = JSON.parse(out) as { checkMs: number; maxRssKb: number; sampleId: string };
    if (measured.sampleId !== file.Id) throw new Error(`the check read ${measured.sampleId}, not the big file ${file.Id}`);
    // Async: the emulator serving the file runs in this process.
    const start = performance.now();
    const curl = spawn('curl', ['-s', '-f', '-o', '/dev/null', '-H', `Authorization: Bearer ${token}`, `${emu.url}/services/data/v66.0/sobjects/EventLogFile/${file.Id}/LogFile`]);
    const curlCode = await new Promise<number>((resolve) => curl.on('close', (c) => resolve(c ?? 1)));
    const curlMs = performance.now() - start;
    if (curlCode !== 0) throw new Error(`curl failed with ${curlCode}`);
    return { sizeMb, checkMs: measured.checkMs, checkPeakMb: measured.maxRssKb / 1024, curlMs, ratio: measured.checkMs / curlMs };
  } finally {
    await emu.close();
  }
}

export function reportLogCheck(r: LogCheckBench): string {
  return [
    `checking a ${r.sizeMb} MB log file (header read, download abandoned) vs a full curl download`,
    `  check: ${r.checkMs.toFixed(0)} ms, peak memory ${r.checkPeakMb.toFixed(0)} MB (whole process)`,
    `  curl:  ${r.curlMs.toFixed(0)} ms`,
    `  ratio: ${r.ratio.toFixed(3)}  (target <= 0.1) ${r.ratio <= 0.1 ? 'OK' : 'MISSED'}; memory target < 150 MB ${r.checkPeakMb < 150 ? 'OK' : 'MISSED'}`,
  ].join('\n');
}
