/**
 * Packs plugin/ into the tarball that `sf plugins install` (or `npm publish`) takes, the way the salesforcecli
 * plugins ship: the built JavaScript, messages, bundled metadata, oclif manifest and result schemas (what
 * plugin/package.json `files` lists), plus an npm-shrinkwrap.json that pins every dependency to the exact
 * versions and integrity hashes of this repository's package-lock.json, so an install from the registry gets
 * exactly what the tests ran with (the salesforcecli plugins ship one too).
 *
 * With --bundle the tarball also carries every run-time dependency (bundleDependencies, copied from this
 * workspace's node_modules): `sf plugins install file:<tarball>` then needs no registry and no npm cache at
 * all (for a `file:` tarball npm looks up each dependency's version list in the registry before it reads
 * the tarball's shrinkwrap, so without the bundle even `--offline` fails with ENOTCACHED).
 *
 * Usage: npm run pack:plugin [-- --out-dir dist] [--bundle]   (it builds first; the tarball goes to dist/)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const pluginDir = join(root, 'plugin');

type LockEntry = {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
};
type Lock = { packages: Record<string, LockEntry> };

/** Where Node would find `name` from the package at lock path `from` (walking up the node_modules chain). */
function resolveIn(packages: Lock['packages'], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? base + '/' : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('node_modules/');
    base = cut <= 0 ? '' : base.slice(0, cut - 1);
  }
}

function requiredNames(entry: LockEntry): Array<{ name: string; optional: boolean }> {
  const peers = Object.keys(entry.peerDependencies ?? {}).map((name) => ({
    name,
    optional: entry.peerDependenciesMeta?.[name]?.optional === true,
  }));
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...peers,
  ];
}

/**
 * The lock entries the workspace package at `workspace` needs at run time, keyed by their path in its own
 * tree, and for each the path it has in this repository (where --bundle copies it from).
 */
export function runtimeTree(lock: Lock, workspace: string): { packages: Record<string, LockEntry>; sources: Record<string, string> } {
  const reached = new Set<string>();
  const queue = [workspace];
  while (queue.length > 0) {
    const from = queue.shift() as string;
    for (const { name, optional } of requiredNames(lock.packages[from])) {
      const found = resolveIn(lock.packages, from, name);
      if (!found) {
        if (optional) continue;
        throw new Error(`package-lock.json has no ${name} for ${from || 'the root'}: run npm install`);
      }
      if (!reached.has(found)) {
        reached.add(found);
        queue.push(found);
      }
    }
  }
  const out: Record<string, LockEntry> = {};
  const sources: Record<string, string> = {};
  for (const path of [...reached].sort()) {
    const target = path.startsWith(`${workspace}/`) ? path.slice(workspace.length + 1) : path;
    if (out[target]) throw new Error(`${target} is both hoisted and nested under ${workspace}: cannot flatten`);
    const { dev, devOptional, ...entry } = lock.packages[path];
    void dev;
    out[target] = devOptional ? { ...entry, optional: true } : entry;
    sources[target] = path;
  }
  return { packages: out, sources };
}

/** Copies each package of the run-time tree from the workspace into the stage, nested ones without their parent's copy. */
function copyDependencies(packages: Record<string, LockEntry>, sources: Record<string, string>, stage: string): void {
  for (const target of Object.keys(packages)) {
    cpSync(join(root, sources[target]), join(stage, target), {
      recursive: true,
      filter: (p) => !p.slice(join(root, sources[target]).length).includes('node_modules'),
    });
  }
}

export function packPlugin(outDir: string, options: { bundle?: boolean } = {}): string {
  for (const built of ['lib/commands', 'oclif.manifest.json', 'metadata']) {
    if (!existsSync(join(pluginDir, built))) throw new Error(`plugin/${built} is missing: run npm run build first`);
  }
  const pjson = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lock;
  const stage = mkdtempSync(join(tmpdir(), 'anzenna-pack-'));
  try {
    cpSync(pluginDir, stage, { recursive: true, filter: (p) => !p.includes('node_modules') });
    const { name, version, license, dependencies, engines, bin } = pjson;
    const tree = runtimeTree(lock, 'plugin');
    const shrinkwrap = {
      name,
      version,
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name, version, license, dependencies, engines, bin }, ...tree.packages },
    };
    writeFileSync(join(stage, 'npm-shrinkwrap.json'), JSON.stringify(shrinkwrap, null, 2) + '\n');
    if (options.bundle) {
      copyDependencies(tree.packages, tree.sources, stage);
      writeFileSync(join(stage, 'package.json'), JSON.stringify({ ...pjson, bundleDependencies: true }, null, 2) + '\n');
    }
    mkdirSync(outDir, { recursive: true });
    const out = execFileSync('npm', ['pack', '--loglevel=warn', '--pack-destination', outDir], {
      cwd: stage,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return join(outDir, out.trim().split('\n').pop() ?? '');
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: { 'out-dir': { type: 'string', default: join(root, 'dist') }, bundle: { type: 'boolean', default: false } },
  });
  const tarball = packPlugin(resolve(values['out-dir'] as string), { bundle: values.bundle });
  console.log(tarball);
}
