/**
 * The JSON schema of every command's `--json` result, generated from the command's declared result type
 * (`async run(): Promise<X>`) with ts-json-schema-generator, the way `sf-plugins`' `schema:generate`
 * (@oclif/plugin-command-snapshot) does, into plugin/schemas/<topic>-<command>.json.
 *
 * One schema is written by hand: anzenna-verify.json carries patterns, enums and descriptions that the
 * verify tests validate real output against. It is never overwritten; its shape (every object's property
 * names and required names) must equal the generated one.
 *
 *   node --import tsx scripts/schemas.ts           regenerate (part of `npm run snapshot:update`)
 *   node --import tsx scripts/schemas.ts --check   fail when a result type changed without its schema
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

const root = join(import.meta.dirname, '..');
export const schemasDir = join(root, 'plugin', 'schemas');
const commandsDir = join(root, 'plugin', 'src', 'commands');
/** Schemas kept by hand (checked for shape only). */
export const handWritten = new Set(['anzenna-verify']);

type Schema = Record<string, unknown>;

function commandFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return commandFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Schema file name (without .json) → generated schema, one per command that returns something. */
export function generateSchemas(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const file of commandFiles(commandsDir).sort()) {
    const returnType = /async\s+run\(\):\s*Promise<(\w+)>/.exec(readFileSync(file, 'utf8'))?.[1];
    if (!returnType) throw new Error(`${relative(root, file)} declares no async run(): Promise<ResultType>`);
    if (returnType === 'void') continue;
    const name = relative(commandsDir, file).replace(/\.ts$/, '').split('/').join('-');
    const config = { path: file, type: returnType, skipTypeCheck: true, tsconfig: join(root, 'plugin', 'tsconfig.json') };
    out[name] = createGenerator(config).createSchema(returnType) as Schema;
  }
  return out;
}

export function serialize(schema: Schema): string {
  return JSON.stringify(schema, null, 2) + '\n';
}

/** Every object in a schema (following $ref from the root), as path → "properties | required". */
export function shape(schema: Schema): Map<string, string> {
  const defs = (schema.definitions ?? {}) as Record<string, Schema>;
  const out = new Map<string, string>();
  const seen = new Set<string>();
  const walk = (node: Schema | undefined, path: string): void => {
    if (!node || typeof node !== 'object') return;
    const ref = typeof node.$ref === 'string' ? node.$ref.replace('#/definitions/', '') : undefined;
    if (ref) {
      if (seen.has(`${path}>${ref}`)) return;
      seen.add(`${path}>${ref}`);
      walk(defs[ref], path);
      return;
    }
    const props = (node.properties ?? undefined) as Record<string, Schema> | undefined;
    if (props) {
      const required = ((node.required ?? []) as string[]).slice().sort();
      out.set(path || '(root)', `properties: ${Object.keys(props).sort().join(', ')} | required: ${required.join(', ')}`);
      for (const [key, value] of Object.entries(props)) walk(value, `${path}.${key}`);
    }
    if (node.items) walk(node.items as Schema, `${path}[]`);
    for (const alt of ['anyOf', 'oneOf', 'allOf']) {
      ((node[alt] ?? []) as Schema[]).forEach((s, i) => walk(s, `${path}<${alt}${i}>`));
    }
  };
  walk(schema, '');
  return out;
}

/** What differs between the committed schemas and the generated ones; empty when they agree. */
export function schemaProblems(generated: Record<string, Schema>, dir = schemasDir): string[] {
  const problems: string[] = [];
  const committed = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
  for (const name of committed.filter((n) => !(n in generated))) problems.push(`${name}.json: no command returns it any more`);
  for (const [name, schema] of Object.entries(generated)) {
    if (!committed.includes(name)) {
      problems.push(`${name}.json is missing`);
      continue;
    }
    const text = readFileSync(join(dir, `${name}.json`), 'utf8');
    if (!handWritten.has(name)) {
      if (text !== serialize(schema)) problems.push(`${name}.json differs from the command's result type (if intended: npm run snapshot:update)`);
      continue;
    }
    const want = shape(schema);
    const have = shape(JSON.parse(text) as Schema);
    for (const path of new Set([...want.keys(), ...have.keys()])) {
      if (want.get(path) !== have.get(path)) {
        problems.push(`${name}.json at ${path}: the type has ${want.get(path) ?? 'nothing'}; the schema has ${have.get(path) ?? 'nothing'}`);
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const generated = generateSchemas();
  if (process.argv.includes('--check')) {
    const problems = schemaProblems(generated);
    for (const p of problems) console.error(p);
    if (problems.length > 0) {
      console.error('Result types and plugin/schemas disagree: run npm run snapshot:update (the hand-written anzenna-verify.json is edited by hand).');
      process.exit(1);
    }
    console.log(`schemas: ${Object.keys(generated).length} command results match plugin/schemas`);
  } else {
    for (const [name, schema] of Object.entries(generated)) {
      if (handWritten.has(name)) continue;
      writeFileSync(join(schemasDir, `${name}.json`), serialize(schema));
      console.log(`wrote plugin/schemas/${name}.json`);
    }
  }
}
