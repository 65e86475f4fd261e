/**
 * Writes plugin/oclif.manifest.json, as `oclif manifest` does: with it, `sf anzenna … --help` and command
 * listing read flags and summaries from this file instead of importing every command (and with them
 * @salesforce/core, jsforce and SDR).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Config, type Interfaces } from '@oclif/core';

const pluginDir = join(import.meta.dirname, '..', 'plugin');
const manifestPath = join(pluginDir, 'oclif.manifest.json');
rmSync(manifestPath, { force: true }); // a stale manifest would be read instead of the commands
const config = await Config.load({ root: pluginDir, devPlugins: false, userPlugins: false });
const plugin = config.getPluginsList().find((p) => p.root === pluginDir);
if (!plugin) throw new Error(`oclif did not load the plugin at ${pluginDir}`);
// The loaded plugin class carries the manifest it built; the public interface does not declare it.
const { manifest } = plugin as unknown as { manifest: Interfaces.Manifest };
const ids = Object.keys(manifest.commands);
if (ids.length === 0) throw new Error('The manifest lists no commands: is plugin/lib built?');
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
console.error(`oclif manifest: ${ids.sort().join(', ')}`);
