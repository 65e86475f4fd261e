/**
 * `sf anzenna metadata generate`: the integration's metadata rendered (from the templates bundled in the
 * plugin, with the same inputs as setup) into a project's package directory, with the scratch definition and
 * the ignore entries. Every file is planned first; nothing is written while any file is in conflict.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Messages, SfError } from '@salesforce/core';
import { ignoreEntries, sourceAppNames, loadTemplates, locateSourceDir, packageFiles, renderDocuments, SCRATCH_DEF_PATH, type RenderOptions } from '../metadata/index.js';
import { withMetadataErrors } from '../project/metadata-errors.js';
import { resolveSetupInputs, type InputFlags, type SetupInputs } from '../project/inputs.js';
import { findProject, type ProjectSettings } from '../project/source.js';
import { planIgnoreFile, planXmlFile, type GeneratedFile, type PlannedFile } from './file-plan.js';
import { planScratchDef } from './scratch-def.js';

export type { FileStatus, GeneratedFile } from './file-plan.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.metadata.generate');
const inputMessages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.inputs');

/** The inputs generate shares with setup (read from the one input table: flags, then `plugins.anzenna`). */
export type GenerateFlags = Pick<InputFlags, 'app-name' | 'label' | 'contact-email' | 'ip-relaxation' | 'view-all-data' | 'setup-audit' | 'real-time-events'>;

export type GenerateOptions = { flags: GenerateFlags; outputDir?: string; force: boolean; cwd?: string };

export type GenerateResult = {
  /** The project root (or --output-dir outside a project): where the scratch definition and the ignore files are. */
  projectDir: string;
  /** Where the metadata was written. */
  packageDir: string;
  appName: string;
  files: GeneratedFile[];
  /** Other apps whose source is in the package directory: setup recognises the project's copy only while it holds one app. */
  otherApps: string[];
};

type Target = { root: string; packageDir: string; projectSettings: ProjectSettings };

const inside = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};
const posixRelative = (from: string, to: string): string => relative(from, to).split(sep).join('/');

async function locate(cwd: string, outputDir: string | undefined): Promise<Target> {
  const project = await findProject(cwd);
  if (!project && outputDir === undefined) throw messages.createError('error.NotInSfdxProject', [cwd]);
  const packageDir = outputDir !== undefined ? resolve(cwd, outputDir) : resolve(project?.defaultPackageDir as string);
  const root = project && inside(project.projectDir, packageDir) ? project.projectDir : packageDir;
  return { root, packageDir, projectSettings: project?.projectSettings ?? {} };
}

/**
 * The render options generate and setup share. Hook: when the input table gains the integration profile's
 * login IP ranges (setup's allowed IP ranges), pass them here too, so the generated profile carries them.
 */
export function renderOptionsFor(inputs: SetupInputs): RenderOptions {
  return {
    appName: inputs.appName,
    label: inputs.label,
    contactEmail: inputs.contactEmail,
    ipRelaxation: inputs.ipRelaxation,
    viewAllData: inputs.viewAllData,
    setupAudit: inputs.setupAudit,
    loginIpRanges: inputs.allowedIpRanges,
  };
}

async function planFiles(target: Target, inputs: SetupInputs, keyDir: string, force: boolean): Promise<PlannedFile[]> {
  const templatesDir = locateSourceDir();
  if (!templatesDir) throw inputMessages.createError('error.BundledMetadataMissing');
  const bundle = await withMetadataErrors(templatesDir, async () => renderDocuments(await loadTemplates(templatesDir), renderOptionsFor(inputs)));
  const { root, packageDir } = target;
  const metadata = packageFiles(bundle, { realTimeEvents: inputs.realTimeEvents }).map((f) => {
    const file = join(packageDir, ...f.path.split('/'));
    return planXmlFile(file, posixRelative(root, file), f.text, force);
  });
  const keyFolder = inside(root, keyDir) && keyDir !== root ? posixRelative(root, keyDir) : undefined;
  const entries = ignoreEntries(keyFolder);
  return [
    ...metadata,
    planScratchDef(join(root, ...SCRATCH_DEF_PATH.split('/')), SCRATCH_DEF_PATH, force),
    planIgnoreFile(join(root, '.forceignore'), '.forceignore', entries),
    planIgnoreFile(join(root, '.gitignore'), '.gitignore', entries),
  ];
}

const publicView = ({ path, status, differences }: PlannedFile): GeneratedFile => ({ path, status, ...(differences ? { differences } : {}) });

function conflictError(planned: PlannedFile[]): SfError {
  const conflicts = planned.filter((f) => f.status === 'conflict');
  const listing = conflicts.map((f) => [`  ${f.path}`, ...(f.differences ?? []).map((d) => `    ${d}`)].join('\n')).join('\n');
  const error = messages.createError('error.GeneratedFilesChanged', [String(conflicts.length), listing]);
  error.setData({ files: planned.map(publicView) });
  return error;
}

export async function runGenerate(options: GenerateOptions): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
  const target = await locate(cwd, options.outputDir);
  const inputs = resolveSetupInputs(options.flags, target.projectSettings, cwd);
  const planned = await planFiles(target, inputs, resolve(cwd, inputs.outputDir), options.force);
  if (planned.some((f) => f.status === 'conflict')) throw conflictError(planned);
  for (const f of planned) {
    if (f.text === undefined) continue;
    await mkdir(dirname(f.file), { recursive: true });
    await writeFile(f.file, f.text, 'utf8');
  }
  const otherApps = sourceAppNames(target.packageDir).filter((name) => name !== inputs.appName);
  return { projectDir: target.root, packageDir: target.packageDir, appName: inputs.appName, files: planned.map(publicView), otherApps };
}
