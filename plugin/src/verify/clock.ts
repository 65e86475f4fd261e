/**
 * This machine's clock against the org's: the HTTP `Date` header of one unauthenticated GET, compared with
 * the middle of the round trip. The header has one-second resolution, so the result is good to about a
 * second, plenty for an assertion that lives ASSERTION_LIFETIME_SECONDS.
 */
import type { Connection } from '@jsforce/jsforce-node';

type RawTransport = { httpRequest(request: { method: 'GET'; url: string }): Promise<{ statusCode: number; headers: Record<string, string | undefined> }> };

export type ClockSkew = { skewMs: number; serverDate: string; roundTripMs: number };

/** Positive when the org's clock is ahead of ours. */
export async function measureClockSkew(conn: Connection, now: () => number = Date.now): Promise<ClockSkew> {
  // The transport jsforce itself uses (proxy settings included); the versions list needs no session.
  const transport = (conn as unknown as { _transport: RawTransport })._transport;
  const started = now();
  const response = await transport.httpRequest({ method: 'GET', url: `${conn.instanceUrl}/services/data` });
  const ended = now();
  const header = response.headers.date ?? response.headers.Date;
  const serverMs = header ? Date.parse(header) : NaN;
  if (!Number.isFinite(serverMs)) throw new Error(`The org's answer carried no usable Date header (HTTP ${response.statusCode}).`);
  // The header truncates to the second: its true value lies in [serverMs, serverMs + 1000).
  return { skewMs: Math.round(serverMs + 500 - (started + ended) / 2), serverDate: new Date(serverMs).toISOString(), roundTripMs: ended - started };
}
