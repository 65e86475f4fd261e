/**
 * Test-side validation of metadata files against the project's single table of metadata fields, which lives
 * in the emulator package (`emulator/src/metadata-types.ts`: Metadata API Developer Guide 67.0 and Salesforce's
 * type definitions) and is independent of the plugin code on purpose. TYPE_SPECS is derived from it here.
 * validateMetadata() parses a file with fast-xml-parser and reports unknown elements, bad values, repeats,
 * missing required fields, deprecated fields and fields newer than the project's API version.
 */
import { XMLParser } from 'fast-xml-parser';
import { metadataTypes } from '../../emulator/src/index.js';

type Notes = { required?: boolean; repeat?: boolean; minApi?: number; deprecated?: string };
export type FieldSpec =
  | ({ kind: 'string' | 'boolean' | 'int' | 'any' } & Notes)
  | ({ kind: 'enum'; values: readonly string[] } & Notes)
  | ({ kind: 'complex'; fields: Record<string, FieldSpec> } & Notes);

export type TypeSpec = { root: string; fields: Record<string, FieldSpec> };

/** Allowed tokens of commaSeparatedOauthScopes. */
export const OAUTH_SCOPE_TOKENS = metadataTypes.OAUTH_SCOPES;

export const IP_RELAXATION_VALUES = metadataTypes.IP_RELAXATION_VALUES;

type ElementSpec = metadataTypes.ElementSpec;

/** One emulator element spec as a file-validator field spec. */
function fieldSpec(e: ElementSpec, required: boolean): FieldSpec {
  const notes: Notes = {
    ...(required ? { required } : {}),
    ...(e.repeat ? { repeat: true } : {}),
    ...(e.minApi !== undefined ? { minApi: e.minApi } : {}),
    ...(e.deprecated !== undefined ? { deprecated: e.deprecated } : {}),
  };
  switch (e.kind) {
    case 'enum':
      return { kind: 'enum', values: e.values, ...notes };
    case 'complex':
      return { kind: 'complex', fields: fieldSpecs(e.children, e.required ?? []), ...notes };
    case 'versioned':
      return { ...fieldSpec(e.spec, required), ...notes, deprecated: e.deprecated ?? `only accepted for API ${e.min}.0-${e.max}.0` };
    case 'string':
      return e.allowed ? { kind: 'enum', values: e.allowed, ...notes } : { kind: 'string', ...notes };
    default:
      return { kind: e.kind, ...notes };
  }
}

function fieldSpecs(elements: Record<string, ElementSpec>, required: readonly string[]): Record<string, FieldSpec> {
  const out: Record<string, FieldSpec> = {};
  for (const [name, e] of Object.entries(elements)) if (name !== 'fullName') out[name] = fieldSpec(e, required.includes(name));
  return out;
}

const FILE_TYPES = ['ExternalClientApplication', 'ExtlClntAppGlobalOauthSettings', 'ExtlClntAppOauthSettings', 'ExtlClntAppOauthConfigurablePolicies', 'ExtlClntAppConfigurablePolicies', 'Profile', 'PermissionSet'];

/** The file tables by type (settings by their root element, e.g. EventSettings). */
export const TYPE_SPECS: Record<string, TypeSpec> = {
  ...Object.fromEntries(
    FILE_TYPES.map((name) => {
      const t = metadataTypes.typeByName(name)!;
      return [name, { root: t.root(name), fields: fieldSpecs(t.elements ?? {}, t.required ?? []) }];
    })
  ),
  ...Object.fromEntries(
    Object.entries(metadataTypes.SETTINGS_ELEMENTS).map(([name, elements]) => [
      `${name}Settings`,
      { root: `${name}Settings`, fields: fieldSpecs(elements, metadataTypes.SETTINGS_REQUIRED[name] ?? []) },
    ])
  ),
};

const NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: false,
  isArray: (_name, jpath, _isLeaf, isAttribute) => !isAttribute && String(jpath).split('.').length >= 2,
});

/** Parses a metadata file with fast-xml-parser: root element name and its node. */
export function parseWithFxp(xml: string): { root: string; node: Node } {
  const doc = parser.parse(xml, true) as Node;
  const roots = Object.keys(doc).filter((key) => key !== '?xml');
  if (roots.length !== 1) throw new Error(`expected one root element, found ${roots.join(', ')}`);
  const root = roots[0];
  const node = (Array.isArray(doc[root]) ? (doc[root] as Node[])[0] : doc[root]) as Node | string;
  return { root, node: typeof node === 'string' ? {} : node };
}

/** Leaf text of every top-level occurrence of a field (fast-xml-parser view). */
export function texts(node: Node, name: string): string[] {
  const value = node[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => (typeof item === 'string' ? item : String((item as Node)['#text'] ?? '')));
}

/** Child nodes of every top-level occurrence of a complex field. */
export function nodes(node: Node, name: string): Node[] {
  const value = node[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as Node[];
}

function checkFields(node: Node, fields: Record<string, FieldSpec>, path: string, apiVersion: number, problems: string[]): void {
  for (const [name, value] of Object.entries(node)) {
    if (name.startsWith('@_')) {
      problems.push(`${path}: unexpected attribute ${name.slice(2)}`);
      continue;
    }
    if (name === '#text') {
      if (String(value).trim() !== '') problems.push(`${path}: unexpected text "${String(value).trim()}"`);
      continue;
    }
    const spec = fields[name];
    if (spec === undefined) {
      problems.push(`${path}: unknown element <${name}>`);
      continue;
    }
    const occurrences = Array.isArray(value) ? value : [value];
    if (!spec.repeat && occurrences.length > 1) problems.push(`${path}: <${name}> appears ${occurrences.length} times`);
    if (spec.minApi !== undefined && spec.minApi > apiVersion) problems.push(`${path}: <${name}> needs API ${spec.minApi}.0, project uses ${apiVersion}.0`);
    if (spec.deprecated !== undefined) problems.push(`${path}: <${name}> is deprecated (${spec.deprecated})`);
    for (const occurrence of occurrences) {
      const here = `${path}/${name}`;
      if (spec.kind === 'any') continue;
      if (spec.kind === 'complex') {
        if (typeof occurrence !== 'object' || occurrence === null) {
          problems.push(`${here}: expected child elements`);
          continue;
        }
        checkFields(occurrence as Node, spec.fields, here, apiVersion, problems);
        for (const [childName, childSpec] of Object.entries(spec.fields)) {
          if (childSpec.required && (occurrence as Node)[childName] === undefined) problems.push(`${here}: missing required <${childName}>`);
        }
        continue;
      }
      if (typeof occurrence === 'object' && occurrence !== null) {
        problems.push(`${here}: expected a value, found child elements`);
        continue;
      }
      const text = String(occurrence);
      if (spec.kind === 'boolean' && text !== 'true' && text !== 'false') problems.push(`${here}: "${text}" is not true/false`);
      if (spec.kind === 'int' && !/^-?\d+$/.test(text)) problems.push(`${here}: "${text}" is not an integer`);
      if (spec.kind === 'enum' && !spec.values.includes(text)) problems.push(`${here}: "${text}" is not one of ${spec.values.join(', ')}`);
      if (spec.kind === 'string' && text.trim() === '') problems.push(`${here}: empty value`);
    }
  }
}

/** Every problem found in a metadata file against the table of its expected type (empty = valid). */
export function validateMetadata(xml: string, typeSpec: TypeSpec, apiVersion: number): string[] {
  const problems: string[] = [];
  let parsed: { root: string; node: Node };
  try {
    parsed = parseWithFxp(xml);
  } catch (error) {
    return [`does not parse: ${(error as Error).message}`];
  }
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) problems.push('missing or different XML declaration');
  if (parsed.root !== typeSpec.root) problems.push(`root <${parsed.root}>, expected <${typeSpec.root}>`);
  const namespace = parsed.node['@_xmlns'];
  if (namespace !== NAMESPACE) problems.push(`root namespace ${String(namespace)}, expected ${NAMESPACE}`);
  const { ['@_xmlns']: _ignored, ...fields } = parsed.node;
  checkFields(fields, typeSpec.fields, typeSpec.root, apiVersion, problems);
  for (const [name, spec] of Object.entries(typeSpec.fields)) {
    if (spec.required && fields[name] === undefined) problems.push(`${typeSpec.root}: missing required <${name}>`);
  }
  return problems;
}

/** Splits a comma-separated metadata list the way the values are written ("a, b" or "a,b"). */
export function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
