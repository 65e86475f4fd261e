/**
 * Where the metadata comes from: the SFDX project in the working directory when it holds our templates
 * (release engineers keep and review them there: this repository's force-app, or what `sf anzenna metadata
 * generate` wrote, for any app name), else the copy bundled in the plugin at build time.
 * Also reads the project's `plugins.anzenna` block, so the choices live in source control too.
 */
import { join } from 'node:path';
import { Messages, SfProject } from '@salesforce/core';
import { holdsTemplates, locateSourceDir } from '../metadata/index.js';
import { parseProjectSettings, type ProjectSettings } from './inputs.js';

export { parseProjectSettings, type ProjectSettings } from './inputs.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.inputs');

export type MetadataSource = { dir: string; origin: 'project' | 'bundled'; projectSettings: ProjectSettings; projectDir?: string };

/** The project around `cwd`, or undefined when there is none. A broken sfdx-project.json is an error, not "no project". */
async function resolveProject(cwd: string): Promise<SfProject | undefined> {
  try {
    return await SfProject.resolve(cwd);
  } catch (error) {
    if ((error as Error).name === 'InvalidProjectWorkspaceError') return undefined;
    throw error;
  }
}

function bundledSource(): string {
  const bundled = locateSourceDir();
  if (!bundled) throw messages.createError('error.BundledMetadataMissing');
  return bundled;
}

export async function findMetadataSource(cwd = process.cwd()): Promise<MetadataSource> {
  const project = await resolveProject(cwd);
  if (!project) return { dir: bundledSource(), origin: 'bundled', projectSettings: {} };
  const projectDir = project.getPath();
  const contents = project.getSfProjectJson().getContents() as { plugins?: Record<string, unknown> };
  const projectSettings = parseProjectSettings(contents.plugins?.anzenna, join(projectDir, 'sfdx-project.json'));
  for (const pkg of project.getPackageDirectories()) {
    if (holdsTemplates(pkg.fullPath)) return { dir: pkg.fullPath, origin: 'project', projectSettings, projectDir };
  }
  return { dir: bundledSource(), origin: 'bundled', projectSettings, projectDir };
}

export type ProjectLocation = { projectDir: string; defaultPackageDir: string; projectSettings: ProjectSettings };

/** The SFDX project around `cwd` (its root, default package directory and `plugins.anzenna`), or undefined when there is none. */
export async function findProject(cwd = process.cwd()): Promise<ProjectLocation | undefined> {
  const project = await resolveProject(cwd);
  if (!project) return undefined;
  const projectDir = project.getPath();
  const contents = project.getSfProjectJson().getContents() as { plugins?: Record<string, unknown> };
  const projectSettings = parseProjectSettings(contents.plugins?.anzenna, join(projectDir, 'sfdx-project.json'));
  return { projectDir, defaultPackageDir: project.getDefaultPackage().fullPath, projectSettings };
}
