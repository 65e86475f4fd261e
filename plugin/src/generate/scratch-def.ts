/**
 * The scratch org definition: ours when the project has none; otherwise the project's own, with the entries
 * the integration needs added (the EventLogFile feature and the settings). A value that contradicts ours (for
 * example event log generation set to false) is a conflict, replaced only with --force.
 */
import { SCRATCH_DEF, SCRATCH_DEF_REQUIRED } from '../metadata/index.js';
import { read, type PlannedFile } from './file-plan.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const shown = (value: unknown): string => JSON.stringify(value);

/** `target` with what `required` holds added; contradicting values are listed, and replaced only with `force`. */
function mergeEntries(target: Json, required: Json, prefix: string, force: boolean, conflicts: string[]): Json {
  const out: Json = { ...target };
  for (const [key, want] of Object.entries(required)) {
    const have = out[key];
    const field = `${prefix}${key}`;
    if (isObject(want) && (have === undefined || isObject(have))) {
      out[key] = mergeEntries(isObject(have) ? have : {}, want, `${field}.`, force, conflicts);
    } else if (have === undefined) {
      out[key] = want;
    } else if (shown(have) !== shown(want)) {
      conflicts.push(`${field}: ${shown(have)} → ${shown(want)}`);
      if (force) out[key] = want;
    }
  }
  return out;
}

function merged(json: Json, force: boolean, conflicts: string[]): Json {
  const features = Array.isArray(json.features) ? (json.features as unknown[]) : [];
  if (json.features !== undefined && !Array.isArray(json.features)) conflicts.push(`features: ${shown(json.features)} → a list`);
  const missing = SCRATCH_DEF_REQUIRED.features.filter((f) => !features.some((have) => typeof have === 'string' && have.split(':')[0].toLowerCase() === f.toLowerCase()));
  const settings = mergeEntries({ settings: json.settings }, { settings: SCRATCH_DEF_REQUIRED.settings }, '', force, conflicts).settings;
  return { ...json, features: [...features, ...missing], settings };
}

export function planScratchDef(file: string, path: string, force: boolean): PlannedFile {
  const existing = read(file);
  const ours = `${JSON.stringify(SCRATCH_DEF, null, 2)}\n`;
  if (existing === undefined) return { path, file, status: 'created', text: ours };
  let json: unknown;
  try {
    json = JSON.parse(existing);
  } catch (error) {
    json = `not valid JSON: ${(error as Error).message}`;
  }
  if (!isObject(json)) {
    const differences = [typeof json === 'string' ? json : 'not a JSON object'];
    return force ? { path, file, status: 'updated', differences, text: ours } : { path, file, status: 'conflict', differences };
  }
  const conflicts: string[] = [];
  const result = merged(json, force, conflicts);
  if (conflicts.length > 0 && !force) return { path, file, status: 'conflict', differences: conflicts };
  if (shown(result) === shown(json)) return { path, file, status: 'unchanged' };
  return { path, file, status: 'updated', text: `${JSON.stringify(result, null, 2)}\n`, ...(conflicts.length > 0 ? { differences: conflicts } : {}) };
}
