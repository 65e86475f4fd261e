/** HTTP helpers shared by the endpoint modules. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from './soql.js';

export const JSON_TYPE = 'application/json;charset=UTF-8';
export const XML_TYPE = 'text/xml;charset=UTF-8';

export async function readBody(req: IncomingMessage, limit = 200 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/** Salesforce REST errors are JSON arrays of {message, errorCode[, fields]}. */
export function sendApiError(res: ServerResponse, err: ApiError): void {
  const item: Record<string, unknown> = { message: err.message, errorCode: err.errorCode };
  if (err.fields) item.fields = err.fields;
  sendJson(res, err.status, [item]);
}

export function sendXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': XML_TYPE, 'content-length': String(Buffer.byteLength(xml)) });
  res.end(xml);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : undefined;
}

/** A release label for an API version, e.g. 66.0 → "Spring '26". */
export function releaseLabel(version: number): string {
  const index = Math.round(version) - 66;
  const season = ['Spring', 'Summer', 'Winter'][((index % 3) + 3) % 3];
  const year = 26 + Math.floor(index / 3) + (season === 'Winter' ? 1 : 0);
  return `${season} '${String(year).padStart(2, '0')}`;
}
