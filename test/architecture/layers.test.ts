/**
 * The plugin's layers run one way: commands → orchestration (setup/, verify/) → shared layers (org/, auth/,
 * logs/, project/, plan/, checks/, local/, metadata/, cert/) → libraries. setup/ and verify/ never import
 * each other, nothing below imports them, and there is no import cycle.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'plugin', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Relative imports of each file (type-only imports included: a cycle of types is still a cycle of modules). */
const graph = new Map<string, string[]>(
  files(src).map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)].map((m) => resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
    return [relative(src, file), targets.map((t) => relative(src, t))];
  })
);

const layerOf = (path: string): string => (path.includes('/') ? path.split('/')[0] : path);
const ORCHESTRATION = new Set(['setup', 'verify', 'rotate', 'revoke', 'status', 'generate']);
const TOP = new Set(['commands', 'hooks', 'index.ts']);

describe('plugin layers', () => {
  it('reads the import graph', () => {
    assert.ok(graph.size > 30);
    assert.ok([...graph.values()].some((targets) => targets.length > 0));
  });

  it('setup/ and verify/ never import each other', () => {
    const crossings = [...graph].flatMap(([from, targets]) =>
      targets.filter((to) => ORCHESTRATION.has(layerOf(from)) && ORCHESTRATION.has(layerOf(to)) && layerOf(from) !== layerOf(to)).map((to) => `${from} → ${to}`)
    );
    assert.deepEqual(crossings, []);
  });

  it('shared layers import neither the orchestrations nor the commands', () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      ORCHESTRATION.has(layerOf(from)) || TOP.has(layerOf(from)) ? [] : targets.filter((to) => ORCHESTRATION.has(layerOf(to)) || TOP.has(layerOf(to))).map((to) => `${from} → ${to}`)
    );
    assert.deepEqual(upward, []);
  });

  it('has no import cycle', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'visiting');
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    assert.deepEqual(cycles, []);
  });
});
