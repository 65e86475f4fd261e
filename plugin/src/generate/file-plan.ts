/**
 * What generating would do to each file, decided before anything is written: created, unchanged, updated
 * (ignore entries or scratch-definition entries added, or a changed file replaced under --force) or conflict
 * (a file that differs from what would be written, with the differences listed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { compareDocuments } from '../plan/drift.js';
import { IGNORE_COMMENT, parseMetadataXml, type MetadataDocument } from '../metadata/index.js';

export type FileStatus = 'created' | 'unchanged' | 'updated' | 'conflict';

export type GeneratedFile = {
  /** Posix path relative to the project root (or to --output-dir outside a project). */
  path: string;
  status: FileStatus;
  /** For a conflict (or a file replaced under --force): each difference as `field: yours → generated`. */
  differences?: string[];
};

/** A planned file: its status and, when something is to be written, the text. */
export type PlannedFile = GeneratedFile & { file: string; text?: string };

export const read = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

function parsed(xml: string, what: string): MetadataDocument | string {
  try {
    return parseMetadataXml(xml, what);
  } catch (error) {
    return (error as Error).message;
  }
}

/** Field differences between the file there and ours, both ways (what ours sets, and what only yours has). */
export function xmlDifferences(ours: string, theirs: string, what: string): string[] {
  const mine = parsed(ours, what) as MetadataDocument;
  const yours = parsed(theirs, what);
  if (typeof yours === 'string') return [`not valid metadata XML: ${yours}`];
  if (mine.root !== yours.root) return [`root element: ${yours.root} → ${mine.root}`];
  const changed = compareDocuments(mine, yours).map((d) => `${d.field}: ${d.actual} → ${d.expected}`);
  const extra = compareDocuments(yours, mine).filter((d) => !changed.some((line) => line.startsWith(`${d.field}:`)));
  return [...changed, ...extra.map((d) => `${d.field}: ${d.expected} → (not set)`)];
}

/** A metadata file: written whole; one that differs is a conflict unless `force`. Formatting alone is no difference. */
export function planXmlFile(file: string, path: string, text: string, force: boolean): PlannedFile {
  const existing = read(file);
  if (existing === undefined) return { path, file, status: 'created', text };
  if (existing === text) return { path, file, status: 'unchanged' };
  const differences = xmlDifferences(text, existing, path);
  if (differences.length === 0) return { path, file, status: 'unchanged' };
  return force ? { path, file, status: 'updated', differences, text } : { path, file, status: 'conflict', differences };
}

/** An ignore file: the missing entries are appended (under one comment line); nothing is ever removed. */
export function planIgnoreFile(file: string, path: string, entries: string[]): PlannedFile {
  const existing = read(file);
  // `dir`, `dir/` and `dir/**` ignore the same folder
  const folder = (line: string): string => line.trim().replace(/\/\*\*$/, '').replace(/\/+$/, '');
  const present = new Set((existing ?? '').split(/\r?\n/).map(folder));
  const missing = entries.filter((entry) => !present.has(folder(entry)));
  if (missing.length === 0) return { path, file, status: 'unchanged' };
  const head = existing === undefined || existing === '' ? '' : existing.endsWith('\n') ? `${existing}\n` : `${existing}\n\n`;
  return { path, file, status: existing === undefined ? 'created' : 'updated', text: `${head}${IGNORE_COMMENT}\n${missing.join('\n')}\n` };
}
