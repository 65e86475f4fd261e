/**
 * Verify's inputs, resolved like setup's (flags, then `plugins.anzenna` in sfdx-project.json, then the
 * defaults) from the one input table, so both commands look at the same app, label, user and key files.
 */
import { resolveVerifyInputs, type InputFlags } from '../project/inputs.js';
import type { MetadataSource } from '../project/source.js';
import type { VerifyOptions } from './context.js';

export type VerifyFlags = InputFlags & {
  'consumer-key'?: string;
  strict?: boolean;
};

/** A parsed command line token (oclif's `raw`): what the user typed for each flag. */
export type RawToken = { type: string; flag?: string; input?: string };

/** `--target-org` exactly as typed (alias or username), so advice repeats it; undefined when the default org was used. */
export function typedTargetOrg(raw: readonly RawToken[]): string | undefined {
  return raw.find((t) => t.type === 'flag' && t.flag === 'target-org')?.input;
}

export function resolveVerifyOptions(flags: VerifyFlags, source: MetadataSource, cwd = process.cwd(), targetOrg?: string): VerifyOptions {
  return {
    targetOrg,
    ...resolveVerifyInputs(flags, source.projectSettings, cwd),
    consumerKey: flags['consumer-key'],
    sourceDir: source.dir,
    metadataSource: source.origin,
    strict: flags.strict ?? false,
  };
}
