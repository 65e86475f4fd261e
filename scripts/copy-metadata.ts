/**
 * Bundles the SFDX project's metadata into the plugin (plugin/metadata), so `sf anzenna setup` can deploy
 * the same components when it runs outside a project that holds them. force-app stays the single source.
 * The global OAuth settings (certificate, consumer key) are never in force-app and so never bundled.
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const source = join(root, 'force-app');
const target = join(root, 'plugin', 'metadata', 'force-app');
rmSync(join(root, 'plugin', 'metadata'), { recursive: true, force: true });
if (existsSync(source)) {
  cpSync(source, target, {
    recursive: true,
    filter: (path) => !path.includes('extlClntAppGlobalOauthSets') && !path.endsWith('.md'),
  });
}
