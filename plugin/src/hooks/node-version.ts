/**
 * The `init` hook: before any anzenna command runs or shows its help, checks the Node.js version sf runs
 * on. The Salesforce libraries the commands import (@salesforce/core → jsforce → undici) crash on Node 20
 * while loading (`Cannot read properties of undefined (reading 'bind')`), and oclif loads a command's
 * module even for `--help`, so the check must come first and must itself load nothing that needs Node 22:
 * this file imports only Node built-ins, and reads its text from plugin/messages without @salesforce/core.
 * Other plugins' commands are left alone (sf runs every plugin's init hook for every command).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hook } from '@oclif/core';

export const MIN_NODE_MAJOR = 22;
/** Test hook: pretend sf runs on this Node.js version (the check itself is what is tested). */
export const NODE_VERSION_OVERRIDE_ENV = 'SF_ANZENNA_TEST_NODE_VERSION';
const ERROR_NAME = 'NodeVersionTooOldError';

/** The sections of a messages file (`# key` then text), read without @salesforce/core's Messages. */
function readMessages(file: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = readFileSync(file, 'utf8').split(/^# (.+)$/m);
  for (let i = 1; i < parts.length; i += 2) sections.set(parts[i].trim(), parts[i + 1].trim());
  return sections;
}

/** Whether the command line names one of this plugin's commands or topics (help included). */
export function isAnzennaCommand(id: string | undefined, argv: string[]): boolean {
  const names = id === 'help' ? argv.filter((a) => !a.startsWith('-')) : [id ?? ''];
  const first = names[0] ?? '';
  return first === 'anzenna' || first.startsWith('anzenna:') || first.startsWith('anzenna ');
}

export function nodeVersionError(version: string): (Error & { actions: string[]; exitCode: number; oclif: { exit: number } }) | undefined {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
  if (major >= MIN_NODE_MAJOR) return undefined;
  const text = readMessages(join(import.meta.dirname, '..', '..', 'messages', 'anzenna.node.md'));
  const message = (text.get('error.NodeVersionTooOld') ?? '').replace('%s', version).replace('%s', String(MIN_NODE_MAJOR));
  const actions = (text.get('error.NodeVersionTooOld.actions') ?? '').split('\n').map((line) => line.replace(/^- /, ''));
  const error = Object.assign(new Error(message), { actions, exitCode: 1, oclif: { exit: 1 }, suggestions: actions });
  error.name = ERROR_NAME;
  return error;
}

const hook: Hook<'init'> = async function (options) {
  if (!isAnzennaCommand(options.id, options.argv)) return;
  const version = process.env[NODE_VERSION_OVERRIDE_ENV] ?? process.versions.node;
  const error = nodeVersionError(version);
  if (!error) return;
  if (options.argv.includes('--json')) {
    const body = { status: 1, name: error.name, message: error.message, exitCode: 1, actions: error.actions, warnings: [] };
    process.stdout.write(JSON.stringify(body, null, 2) + '\n');
  }
  throw error;
};

export default hook;
