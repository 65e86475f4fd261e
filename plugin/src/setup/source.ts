/**
 * Where the metadata comes from: the SFDX project in the working directory when it holds our templates
 * (release engineers keep and review them there), else the copy bundled in the plugin at build time.
 * Also reads the project's `plugins.anzenna` block, so the choices live in source control too.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SfError, SfProject } from '@salesforce/core';
import { locateSourceDir, templatePaths } from '../metadata/index.js';

export type ProjectSettings = {
  appName?: string;
  label?: string;
  contactEmail?: string;
  integrationUser?: string;
  integrationUserEmail?: string;
  ipRelaxation?: string;
  viewAllData?: boolean;
  setupAudit?: boolean;
  realTimeEvents?: boolean;
  certificateFile?: string;
  privateKeyFile?: string;
  outputDir?: string;
  wait?: number;
};

export type MetadataSource = { dir: string; origin: 'project' | 'bundled'; projectSettings: ProjectSettings; projectDir?: string };

function holdsTemplates(dir: string): boolean {
  return Object.values(templatePaths()).every((relative) => existsSync(join(dir, relative)));
}

const SETTING_TYPES: Record<keyof ProjectSettings, 'string' | 'boolean' | 'number'> = {
  appName: 'string',
  label: 'string',
  contactEmail: 'string',
  integrationUser: 'string',
  integrationUserEmail: 'string',
  ipRelaxation: 'string',
  viewAllData: 'boolean',
  setupAudit: 'boolean',
  realTimeEvents: 'boolean',
  certificateFile: 'string',
  privateKeyFile: 'string',
  outputDir: 'string',
  wait: 'number',
};

export function parseProjectSettings(raw: unknown, file: string): ProjectSettings {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SfError(`"plugins.anzenna" in ${file} must be an object.`, 'ProjectSettingsError', ['See the README for the keys it takes.']);
  }
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const type = SETTING_TYPES[key as keyof ProjectSettings];
    if (!type) {
      throw new SfError(`Unknown key "${key}" in "plugins.anzenna" of ${file}.`, 'ProjectSettingsError', [
        `Known keys: ${Object.keys(SETTING_TYPES).join(', ')}.`,
      ]);
    }
    if (typeof value !== type) {
      throw new SfError(`"plugins.anzenna.${key}" in ${file} must be a ${type}.`, 'ProjectSettingsError', ['Fix the value in sfdx-project.json.']);
    }
    settings[key] = value;
  }
  return settings as ProjectSettings;
}

export async function findMetadataSource(cwd = process.cwd()): Promise<MetadataSource> {
  let project: SfProject | undefined;
  try {
    project = await SfProject.resolve(cwd);
  } catch {
    project = undefined;
  }
  if (project) {
    const projectDir = project.getPath();
    const contents = project.getSfProjectJson().getContents() as { plugins?: Record<string, unknown> };
    const projectSettings = parseProjectSettings(contents.plugins?.anzenna, join(projectDir, 'sfdx-project.json'));
    for (const pkg of project.getPackageDirectories()) {
      if (holdsTemplates(pkg.fullPath)) return { dir: pkg.fullPath, origin: 'project', projectSettings, projectDir };
    }
    const bundled = locateSourceDir();
    if (bundled) return { dir: bundled, origin: 'bundled', projectSettings, projectDir };
  }
  const bundled = locateSourceDir();
  if (!bundled) {
    throw new SfError('The plugin\'s bundled metadata is missing.', 'BundledMetadataMissingError', [
      'Reinstall the plugin; when working from a clone, run npm run build first.',
    ]);
  }
  return { dir: bundled, origin: 'bundled', projectSettings: {} };
}
