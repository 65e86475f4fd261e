/**
 * Downloading a vendor's certificate (`cert.pem`) from a URL: https only (plain http only to a loopback host:
 * 127.0.0.0/8, localhost, ::1), redirects followed by hand so every hop passes the same rule, a size limit
 * (checked on Content-Length and again while the body streams in) and a timeout over the whole download.
 * The text must hold a PEM certificate block; the policy checks (RSA, size, validity) stay with the caller.
 */
import { isIP } from 'node:net';
import { Messages, SfError } from '@salesforce/core';
import { parseCertificatePem } from './inspect.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.download');

export const DEFAULT_CERTIFICATE_MAX_BYTES = 64 * 1024;
export const DEFAULT_CERTIFICATE_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;

export type DownloadOptions = { maxBytes?: number; timeoutMs?: number };

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host);
  return false;
}

function downloadError(url: string, reason: string, detail: { status?: number; code?: string }): SfError {
  const error = new SfError(messages.getMessage('error.CertificateDownload', [url, reason]), 'CertificateDownloadError', messages.getMessages('error.CertificateDownload.actions'));
  error.setData(detail);
  return error;
}

/** Parses and checks one URL (the given one or a redirect's target) before any request is sent to it. */
export function checkCertificateUrl(raw: string, shown = raw): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SfError(messages.getMessage('error.CertificateUrlInvalid', [shown]), 'CertificateUrlInvalidError', messages.getMessages('error.CertificateUrlInvalid.actions'));
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new SfError(messages.getMessage('error.CertificateUrlInsecure', [shown]), 'CertificateUrlInsecureError', messages.getMessages('error.CertificateUrlInsecure.actions'));
}

function tooLarge(url: string, maxBytes: number): SfError {
  return new SfError(messages.getMessage('error.CertificateDownloadTooLarge', [url, String(maxBytes)]), 'CertificateDownloadTooLargeError', messages.getMessages('error.CertificateDownloadTooLarge.actions'));
}

/** Reads the body, stopping (and cancelling the rest) as soon as it passes maxBytes. */
async function readLimited(response: Response, url: string, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(url, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        await response.body.cancel().catch(() => undefined);
        throw tooLarge(url, maxBytes);
      }
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

function codeOf(error: unknown): string {
  const err = error as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (err.name === 'TimeoutError' || err.cause?.name === 'TimeoutError') return 'ETIMEDOUT';
  return err.cause?.code ?? err.code ?? err.name ?? 'UNKNOWN';
}

/** One GET per hop; a redirect's target is checked like the first URL before it is asked. */
async function fetchFollowing(url: string, signal: AbortSignal): Promise<Response> {
  let current = checkCertificateUrl(url);
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(current, { redirect: 'manual', signal, headers: { accept: 'application/x-pem-file, text/plain, */*' } });
    } catch (error) {
      throw downloadError(url, codeOf(error), { code: codeOf(error) });
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw downloadError(url, `more than ${MAX_REDIRECTS} redirects`, { status: response.status, code: 'TOO_MANY_REDIRECTS' });
    const next = new URL(location, current).toString();
    current = checkCertificateUrl(next, `${next} (a redirect from ${url})`);
  }
}

/**
 * Downloads the certificate at `url` and returns its PEM text. Named errors: CertificateUrlInvalidError,
 * CertificateUrlInsecureError (nothing was requested), CertificateDownloadError (data: status or code),
 * CertificateDownloadTooLargeError, CertificateNotPemError.
 */
export async function downloadCertificate(url: string, options: DownloadOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_CERTIFICATE_MAX_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_CERTIFICATE_TIMEOUT_MS);
  const response = await fetchFollowing(url, signal);
  if (!response.ok) {
    await response.body?.cancel();
    throw downloadError(url, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, { status: response.status });
  }
  let text: string;
  try {
    text = await readLimited(response, url, maxBytes);
  } catch (error) {
    if (error instanceof SfError) throw error;
    throw downloadError(url, codeOf(error), { code: codeOf(error) });
  }
  parseCertificatePem(text, `The download from ${url}`);
  return text;
}
