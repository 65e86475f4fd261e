import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SfError } from '@salesforce/core';
import { checkCertificateUrl, createSelfSignedCertificate, downloadCertificate, isLoopbackHost } from '../../plugin/src/cert/index.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = createSelfSignedCertificate({ privateKey, publicKey, subject: { commonName: 'vendor' }, validityDays: 365 });

type Route = (req: IncomingMessage, res: ServerResponse) => void;

describe('downloadCertificate', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  const routes: Record<string, Route> = {
    '/cert.pem': (_q, res) => res.end(PEM),
    '/page.html': (_q, res) => res.end('<html>not a certificate</html>'),
    '/huge-declared': (_q, res) => {
      res.setHeader('content-length', String(200_000));
      res.write('x'.repeat(1000));
    },
    '/huge-chunked': (_q, res) => {
      // No Content-Length: the limit must hold while the body streams in.
      for (let i = 0; i < 20; i++) res.write('-----BEGIN CERTIFICATE-----\n'.padEnd(4096, 'A'));
      res.end();
    },
    '/missing': (_q, res) => {
      res.statusCode = 404;
      res.end('nope');
    },
    '/to-cert': (_q, res) => {
      res.statusCode = 302;
      res.setHeader('location', '/cert.pem');
      res.end();
    },
    '/to-insecure': (_q, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://vendor.invalid/cert.pem');
      res.end();
    },
  };

  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      (routes[req.url ?? ''] ?? routes['/missing'])(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns the PEM text of a good certificate over loopback http', async () => {
    assert.equal(await downloadCertificate(`${base}/cert.pem`), PEM);
  });

  it('follows a redirect on the same loopback host', async () => {
    assert.equal(await downloadCertificate(`${base}/to-cert`), PEM);
  });

  it('refuses a body that is not PEM with CertificateNotPemError naming the URL', async () => {
    await assert.rejects(downloadCertificate(`${base}/page.html`), (error: SfError) => {
      assert.equal(error.name, 'CertificateNotPemError');
      assert.match(error.message, /page\.html/);
      return true;
    });
  });

  it('refuses a download larger than the limit, by Content-Length and while streaming', async () => {
    await assert.rejects(downloadCertificate(`${base}/huge-declared`, { maxBytes: 64 * 1024 }), { name: 'CertificateDownloadTooLargeError' });
    await assert.rejects(downloadCertificate(`${base}/huge-chunked`, { maxBytes: 16 * 1024 }), (error: SfError) => {
      assert.equal(error.name, 'CertificateDownloadTooLargeError');
      assert.match(error.message, /16384 bytes/);
      return true;
    });
  });

  it('names an HTTP error status', async () => {
    await assert.rejects(downloadCertificate(`${base}/missing`), (error: SfError) => {
      assert.equal(error.name, 'CertificateDownloadError');
      assert.deepEqual(error.data, { status: 404 });
      assert.ok(error.actions?.some((a) => a.includes('--certificate-file')));
      return true;
    });
  });

  it('names an unreachable host (a closed port) with its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(downloadCertificate(`http://127.0.0.1:${port}/cert.pem`), (error: SfError) => {
      assert.equal(error.name, 'CertificateDownloadError');
      assert.deepEqual(error.data, { code: 'ECONNREFUSED' });
      return true;
    });
  });

  it('times out a server that never answers', async () => {
    routes['/hang'] = () => undefined;
    await assert.rejects(downloadCertificate(`${base}/hang`, { timeoutMs: 200 }), (error: SfError) => {
      assert.equal(error.name, 'CertificateDownloadError');
      assert.deepEqual(error.data, { code: 'ETIMEDOUT' });
      return true;
    });
  });

  it('refuses plain http to a non-loopback host before any request (a request would fail on the name instead)', async () => {
    await assert.rejects(downloadCertificate('http://vendor.invalid/cert.pem'), (error: SfError) => {
      assert.equal(error.name, 'CertificateUrlInsecureError');
      assert.match(error.message, /Nothing was downloaded/);
      return true;
    });
    await assert.rejects(downloadCertificate('ftp://127.0.0.1/cert.pem'), { name: 'CertificateUrlInsecureError' });
    await assert.rejects(downloadCertificate('not a url'), { name: 'CertificateUrlInvalidError' });
  });

  it('refuses a redirect to plain http on another host without following it', async () => {
    hits.length = 0;
    await assert.rejects(downloadCertificate(`${base}/to-insecure`), (error: SfError) => {
      assert.equal(error.name, 'CertificateUrlInsecureError');
      assert.match(error.message, /a redirect from/);
      return true;
    });
    assert.deepEqual(hits, ['/to-insecure']);
  });

  it('knows the loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '[::1]', '::1']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['128.0.0.1', '10.0.0.1', 'example.com', 'localhost.example.com', '[::2]']) assert.equal(isLoopbackHost(host), false, host);
    assert.equal(checkCertificateUrl('https://vendor.example/cert.pem').hostname, 'vendor.example');
  });
});
