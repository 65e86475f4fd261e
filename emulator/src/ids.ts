/**
 * Salesforce-style record Ids: 3-character key prefix, 12 base-62 characters, and the
 * 3-character case-safe suffix that turns a 15-character Id into the 18-character form.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Appends the case-safe checksum to a 15-character Id. */
export function to18(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') flags |= 1 << i;
    }
    suffix += SUFFIX.charAt(flags);
  }
  return id15 + suffix;
}

/** The 15-character form of an Id (Salesforce accepts either). */
export function to15(id: string): string {
  return id.length === 18 ? id.slice(0, 15) : id;
}

export function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return to15(a) === to15(b);
}

export function isIdLike(value: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value);
}

/** Generates sequential Ids per key prefix, all sharing the org's pod/instance characters. */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  public constructor(private readonly podChars = '5g') {}

  public next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    let body = '';
    let rest = n;
    for (let i = 0; i < 8; i++) {
      body = BASE62.charAt(rest % 62) + body;
      rest = Math.floor(rest / 62);
    }
    // prefix(3) + pod(2) + '00' + counter(8) = 15
    return to18(`${prefix}${this.podChars}00${body}`);
  }
}

/** A short random base-62 string (for tokens and consumer keys). */
export function randomBase62(length: number, rnd: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62.charAt(Math.floor(rnd() * 62));
  return out;
}
