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

export function resolveVerifyOptions(flags: VerifyFlags, source: MetadataSource, cwd = process.cwd()): VerifyOptions {
  return {
    ...resolveVerifyInputs(flags, source.projectSettings, cwd),
    consumerKey: flags['consumer-key'],
    sourceDir: source.dir,
    metadataSource: source.origin,
    strict: flags.strict ?? false,
  };
}
