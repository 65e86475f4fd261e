/**
 * Key + certificate generation in-process (what `sf anzenna cert generate` and `setup` do, files included)
 * against `openssl req -x509 -newkey rsa:2048 -sha256 -nodes` as a whole process. RSA prime search
 * varies a lot from run to run, so both sides run many times and the medians are compared.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCertificateFiles } from '../../plugin/src/cert/index.js';
import { median, ms, timeRuns } from './stats.js';

export type CertBenchResult = { runs: number; inProcessMs: number; opensslMs: number; ratio: number };

export async function benchCertificate(runs = 25): Promise<CertBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'anzenna-bench-cert-'));
  try {
    // One warm-up each: module loading and OpenSSL's first-use costs are not what is measured.
    const inProcess = async (): Promise<void> => {
      await generateCertificateFiles({
        outputDir: dir,
        fileBase: 'bench',
        commonName: 'Anzenna JWT bearer',
        keySize: 2048,
        keyFormat: 'pkcs8',
        validityDays: 730,
        force: true,
      });
    };
    const openssl = async (): Promise<void> => {
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-sha256', '-nodes', '-days', '730',
        '-subj', '/CN=Anzenna JWT bearer', '-keyout', join(dir, 'o.key'), '-out', join(dir, 'o.crt'),
      ], { stdio: 'ignore' });
    };
    await inProcess();
    await openssl();
    const a: number[] = [];
    const b: number[] = [];
    // Interleave so that load on the machine hits both sides alike.
    for (let i = 0; i < runs; i++) {
      a.push(...(await timeRuns(1, inProcess)));
      b.push(...(await timeRuns(1, openssl)));
    }
    const inProcessMs = median(a);
    const opensslMs = median(b);
    return { runs, inProcessMs, opensslMs, ratio: inProcessMs / opensslMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function reportCertificate(r: CertBenchResult): string {
  return [
    `key + certificate (RSA 2048), median of ${r.runs} runs each`,
    `  in-process (sf anzenna cert generate):   ${ms(r.inProcessMs)}`,
    `  openssl req -x509 -newkey rsa:2048:      ${ms(r.opensslMs)}`,
    `  ratio in-process / openssl:              ${r.ratio.toFixed(2)}  (target <= 1.0) ${r.ratio <= 1 ? 'OK' : 'MISSED'}`,
  ].join('\n');
}
