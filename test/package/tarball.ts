/**
 * The plugin's npm tarball, packed once per test process by scripts/pack-plugin.ts (the same code as
 * `npm run pack:plugin`), and what it holds.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packPlugin } from '../../scripts/pack-plugin.js';
import { tempDir } from '../helpers/cli.js';

const packed = new Map<string, string>();

/** Packs plugin/ (already built) into a temporary folder; `bundle` adds every run-time dependency. */
export function pluginTarball(bundle: boolean): string {
  const key = String(bundle);
  if (!packed.has(key)) packed.set(key, packPlugin(tempDir('pack'), { bundle }));
  return packed.get(key) as string;
}

/** Unpacks a tarball with the system tar and returns the folder holding `package/`. */
export function unpack(tarball: string): string {
  const dir = tempDir('unpacked');
  execFileSync('tar', ['xzf', tarball, '-C', dir]);
  return join(dir, 'package');
}

/** Every file under `dir`, as paths relative to it, optionally without node_modules. */
export function filesUnder(dir: string, skipNodeModules = false): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        if (!(skipNodeModules && name === 'node_modules')) walk(full);
      } else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
