/**
 * Where each template of a source directory is. A force-app like this repository's holds every template,
 * written for the default app. A package directory written by `sf anzenna metadata generate` holds the main
 * components written for its own app name and only the opt-ins that were chosen; the opt-in templates it
 * lacks come from a fallback directory (the copy bundled in the plugin).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkAppName, DEFAULT_APP_NAME, METADATA_TYPES, SOURCE_LAYOUT, TEMPLATE_LOCATION, templatePaths, type ComponentKey } from './names.js';

export type TemplateKey = Exclude<ComponentKey, 'globalSettings'>;

/** One template file: absolute path, path relative to its source directory, and the app it is written for. */
export type TemplateFile = { readonly path: string; readonly relative: string; readonly dir: string; readonly appName: string };

const ECA = METADATA_TYPES.ExternalClientApplication;
const ECA_SUFFIX = `.${ECA.suffix}-meta.xml`;
const TEMPLATE_KEYS = Object.keys(TEMPLATE_LOCATION) as TemplateKey[];
const MAIN_KEYS = TEMPLATE_KEYS.filter((key) => TEMPLATE_LOCATION[key] === 'main');

/** The External Client Apps whose source is in a directory's main/default. */
export function sourceAppNames(dir: string): string[] {
  const folder = join(dir, SOURCE_LAYOUT.main, ECA.directoryName);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith(ECA_SUFFIX))
    .map((name) => name.slice(0, -ECA_SUFFIX.length))
    .filter((name) => checkAppName(name) === undefined);
}

/** The app a source directory's templates are written for: its one External Client App in main/default (undefined: none, or several). */
export function templateAppName(dir: string): string | undefined {
  const apps = sourceAppNames(dir);
  return apps.length === 1 ? apps[0] : undefined;
}

/** True when `dir` holds the main templates of one app, whatever its name (the opt-in templates may be missing). */
export function holdsTemplates(dir: string): boolean {
  const appName = templateAppName(dir);
  if (appName === undefined) return false;
  const paths = templatePaths(appName);
  return MAIN_KEYS.every((key) => existsSync(join(dir, paths[key])));
}

/**
 * Every template's file: from `dir`, written for its app; an opt-in template `dir` lacks comes from
 * `fallbackDir` (written for the default app). A missing main template stays named in `dir`, so loading
 * it says which file is missing.
 */
export function templateFiles(dir: string, fallbackDir?: string): Record<TemplateKey, TemplateFile> {
  const appName = templateAppName(dir) ?? DEFAULT_APP_NAME;
  const own = templatePaths(appName);
  const fallback = templatePaths();
  const files = {} as Record<TemplateKey, TemplateFile>;
  for (const key of TEMPLATE_KEYS) {
    const useFallback = TEMPLATE_LOCATION[key] !== 'main' && !existsSync(join(dir, own[key])) && fallbackDir !== undefined && existsSync(join(fallbackDir, fallback[key]));
    files[key] = useFallback
      ? { path: join(fallbackDir, fallback[key]), relative: fallback[key], dir: fallbackDir, appName: DEFAULT_APP_NAME }
      : { path: join(dir, own[key]), relative: own[key], dir, appName };
  }
  return files;
}
