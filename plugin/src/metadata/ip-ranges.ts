/**
 * Login IP ranges of the integration profile (Profile metadata `loginIpRanges`, each `startAddress` and
 * `endAddress`). The JWT bearer flow always enforces them, whatever the app's IP relaxation policy says
 * (Salesforce help `connected_app_continuous_ip`), so they are what limits where the vendor may log in from.
 * IPv4 only here. Pure: parsing, comparison and the profile's XML elements.
 */
import { isIPv4 } from 'node:net';
import type { MetadataDocument, XmlElement } from './xml.js';

export type IpRange = { start: string; end: string };

const toNumber = (ip: string): number => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

/** `a.b.c.d-e.f.g.h` (a single address is a range of one), or the problem with it. */
export function parseIpRange(text: string): { range: IpRange } | { problem: string } {
  const parts = text.split('-').map((p) => p.trim());
  if (parts.length > 2 || parts.some((p) => p.length === 0)) return { problem: 'expected <start>-<end>, for example 203.0.113.10-203.0.113.20' };
  const [start, end = start] = parts;
  for (const ip of [start, end]) if (!isIPv4(ip)) return { problem: `${ip} is not an IPv4 address` };
  if (toNumber(start) > toNumber(end)) return { problem: `the start ${start} comes after the end ${end}` };
  return { range: { start, end } };
}

export const formatIpRange = (r: IpRange): string => `${r.start}-${r.end}`;

/** Whether `ip` lies inside any of the ranges (IPv4). */
export function insideIpRanges(ip: string, ranges: readonly IpRange[]): boolean {
  if (!isIPv4(ip)) return false;
  const n = toNumber(ip);
  return ranges.some((r) => n >= toNumber(r.start) && n <= toNumber(r.end));
}

/** The ranges a parsed Profile holds (description and other children ignored). */
export function loginIpRangesOf(doc: MetadataDocument | undefined): IpRange[] {
  return (doc?.children ?? [])
    .filter((c) => c.name === 'loginIpRanges' && c.children)
    .map((c) => ({
      start: c.children?.find((f) => f.name === 'startAddress')?.text?.trim() ?? '',
      end: c.children?.find((f) => f.name === 'endAddress')?.text?.trim() ?? '',
    }));
}

const setKey = (ranges: readonly IpRange[]): string => [...new Set(ranges.map(formatIpRange))].sort().join(',');

/** Same set of ranges, whatever the order (and descriptions). */
export const sameIpRanges = (a: readonly IpRange[], b: readonly IpRange[]): boolean => setKey(a) === setKey(b);

/** Replaces the profile's ranges with `ranges`, where a retrieve puts them (before `userLicense`). */
export function setLoginIpRanges(doc: MetadataDocument, ranges: readonly IpRange[]): void {
  const elements: XmlElement[] = ranges.map((r) => ({
    name: 'loginIpRanges',
    children: [
      { name: 'endAddress', text: r.end },
      { name: 'startAddress', text: r.start },
    ],
  }));
  const kept = doc.children.filter((c) => c.name !== 'loginIpRanges');
  const after = kept.findIndex((c) => c.name > 'loginIpRanges');
  doc.children = after < 0 ? [...kept, ...elements] : [...kept.slice(0, after), ...elements, ...kept.slice(after)];
}
