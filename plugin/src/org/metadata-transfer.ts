/**
 * Deploys and retrieves through SDR (the Metadata API over SOAP, as `sf project deploy start` does).
 * A deploy rolls back on any error (nothing half-applied), shows progress, and a failed one becomes one
 * error listing every failed component with Salesforce's own problem text. Reads are in metadata-read.ts.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Duration } from '@salesforce/kit';
import type { Connection } from '@salesforce/core';
import { Messages, SfError } from '@salesforce/core';
import type { FileResponse } from '@salesforce/source-deploy-retrieve';
import { keepErrorIds, nameWriteFaults, retryRead } from '../faults/org-faults.js';
import { createStaging } from '../local/staging.js';
import { writeWithMode } from '../cert/files.js';
import { sourceFilePath, type MetadataTypeName } from '../metadata/index.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.org');

/** SDR is loaded on first use: a run that deploys nothing (a re-run, verify) never pays for loading it. */
const sdr = (): Promise<typeof import('@salesforce/source-deploy-retrieve')> => import('@salesforce/source-deploy-retrieve');

/** Deploy status is polled this often, so the end of a deploy is noticed within a second. */
export const POLL_MS = 750;

/** A status poll that meets a transient fault is started again up to this often (backoff 1, 2, 4, 8 s). */
const POLL_RETRY = { attempts: 5 };

export type DeployOutcome = {
  id: string;
  status: string;
  components: Array<{ type: string; fullName: string; state: string }>;
  /** Record Ids of the deployed components, by `<type>:<fullName>` (saves looking them up again). */
  ids: Map<string, string>;
};

export type ComponentFailure = { type: string; fullName: string; problem: string };

export function failuresOf(responses: FileResponse[]): ComponentFailure[] {
  const failed = 'Failed';
  const seen = new Set<string>();
  const failures: ComponentFailure[] = [];
  for (const r of responses) {
    if (r.state !== failed) continue;
    const key = `${r.type}:${r.fullName}:${r.error}`;
    if (seen.has(key)) continue;
    seen.add(key);
    failures.push({ type: r.type, fullName: r.fullName, problem: r.error });
  }
  return failures;
}

export function deployFailedError(what: string, failures: ComponentFailure[], status: string): SfError {
  // keepErrorIds: a component's "unexpected error" with an ErrorId must still exit 1, not sf's 20.
  const lines = failures.length > 0 ? failures.map((f) => `  ${f.type} ${f.fullName}: ${keepErrorIds(f.problem)}`) : [`  deploy status ${status}`];
  return SfError.create({
    message: messages.getMessage('error.DeployFailed', [what, lines.join('\n')]),
    name: 'DeployFailedError',
    actions: messages.getMessages('error.DeployFailed.actions'),
    data: { failures },
  });
}

export async function deployDirectory(
  conn: Connection,
  dirs: string[],
  what: string,
  options: { checkOnly: boolean; onProgress?: (message: string) => void; rollbackOnError?: boolean }
): Promise<DeployOutcome> {
  const { ComponentSet } = await sdr();
  return deploySet(conn, ComponentSet.fromSource(dirs), what, options);
}

/**
 * Deletes the components whose source files are in `dirs` (a destructive deploy: destructiveChangesPost.xml),
 * rolled back on any error. The files only name the components; their content is not deployed.
 */
export async function deleteDirectory(conn: Connection, dirs: string[], what: string, options: { onProgress?: (message: string) => void } = {}): Promise<DeployOutcome> {
  const { ComponentSet, DestructiveChangesType } = await sdr();
  const set = new ComponentSet();
  for (const component of ComponentSet.fromSource(dirs).getSourceComponents()) {
    component.setMarkedForDelete(DestructiveChangesType.POST);
    set.add(component, DestructiveChangesType.POST);
  }
  return deploySet(conn, set, what, { checkOnly: false, ...options });
}

async function deploySet(
  conn: Connection,
  set: import('@salesforce/source-deploy-retrieve').ComponentSet,
  what: string,
  options: { checkOnly: boolean; onProgress?: (message: string) => void; rollbackOnError?: boolean }
): Promise<DeployOutcome> {
  const { RequestStatus } = await sdr();
  // Starting a deploy is a write: never tried again (it may have been queued), only named.
  const deploy = await nameWriteFaults('deploy', () =>
    set.deploy({
      usernameOrConnection: conn,
      apiOptions: { checkOnly: options.checkOnly, rollbackOnError: options.rollbackOnError ?? true, singlePackage: true },
    })
  );
  deploy.onUpdate((status) => {
    const done = status.numberComponentsDeployed ?? 0;
    const total = status.numberComponentsTotal ?? 0;
    // The status alone: the caller's spinner already names what is deployed.
    options.onProgress?.(`${status.status}${total ? ` (${done}/${total} components)` : ''}`);
  });
  // SDR gives up on the first failed status check: a transient one polls the same deploy again, with a backoff.
  const result = await retryRead('checkDeployStatus', () => deploy.pollStatus({ frequency: Duration.milliseconds(POLL_MS), timeout: Duration.minutes(30) }), POLL_RETRY);
  const responses = result.getFileResponses();
  if (!result.response.success || result.response.status !== RequestStatus.Succeeded) {
    throw deployFailedError(what, failuresOf(responses), result.response.status);
  }
  const components = new Map<string, { type: string; fullName: string; state: string }>();
  for (const r of responses) components.set(`${r.type}:${r.fullName}`, { type: r.type, fullName: r.fullName, state: r.state });
  const successes = result.response.details?.componentSuccesses ?? [];
  const ids = new Map<string, string>();
  for (const s of Array.isArray(successes) ? successes : [successes]) {
    if (s.id && s.componentType) ids.set(`${s.componentType}:${s.fullName}`, s.id);
  }
  return { id: result.response.id, status: result.response.status, components: [...components.values()], ids };
}

/** Retrieves components into a temporary source tree and returns each file's text by `<type>:<fullName>`. */
export async function retrieveComponents(
  conn: Connection,
  members: Array<{ type: string; fullName: string }>
): Promise<Map<string, string>> {
  const { ComponentSet, ComponentStatus } = await sdr();
  const staging = await createStaging('retrieve');
  const out = join(staging.dir, 'out');
  try {
    const retrieve = await retryRead('retrieve', () => new ComponentSet(members).retrieve({ usernameOrConnection: conn, output: out, merge: false }));
    const result = await retryRead('checkRetrieveStatus', () => retrieve.pollStatus({ frequency: Duration.milliseconds(POLL_MS), timeout: Duration.minutes(10) }), POLL_RETRY);
    const files = new Map<string, string>();
    for (const r of result.getFileResponses()) {
      if (r.state === ComponentStatus.Failed || !r.filePath || !r.filePath.endsWith('-meta.xml')) continue;
      files.set(`${r.type}:${r.fullName}`, await readFile(r.filePath, 'utf8'));
    }
    return files;
  } finally {
    await staging.dispose();
  }
}

/** One component's source XML, as deployComponentXml takes it (`mode`: 0600 for the global OAuth settings). */
export type ComponentXml = { type: MetadataTypeName; fullName: string; xml: string; mode?: number };

/** Writes the components into a temporary source tree, runs `use` on its root, and removes the tree after. */
async function withStagedComponents<T>(components: readonly ComponentXml[], use: (root: string) => Promise<T>): Promise<T> {
  const staging = await createStaging('deploy');
  try {
    const root = join(staging.dir, 'source');
    for (const c of components) {
      const file = join(root, ...sourceFilePath(c.type, c.fullName).split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeWithMode(file, c.xml, c.mode ?? 0o644);
    }
    return await use(root);
  } finally {
    await staging.dispose();
  }
}

/** Deploys a few components given as XML in memory (staged in a temporary folder, removed after): rolled back on any error. */
export async function deployComponentXml(conn: Connection, components: readonly ComponentXml[], what: string, options: { onProgress?: (message: string) => void } = {}): Promise<DeployOutcome> {
  return withStagedComponents(components, (root) => deployDirectory(conn, [root], what, { checkOnly: false, onProgress: options.onProgress }));
}

/** Deletes a few components named by their XML as the org has it (a destructive deploy, rolled back on any error). */
export async function deleteComponentXml(conn: Connection, components: readonly ComponentXml[], what: string, options: { onProgress?: (message: string) => void } = {}): Promise<DeployOutcome> {
  return withStagedComponents(components, (root) => deleteDirectory(conn, [root], what, options));
}
