/**
 * Verify's inputs, resolved like setup's (flags, then `plugins.anzenna` in sfdx-project.json, then the
 * defaults) and checked by the same code, so both commands look at the same app, user and key files.
 */
import { join } from 'node:path';
import { resolveInputs } from '../setup/options.js';
import type { MetadataSource } from '../setup/source.js';
import type { VerifyOptions } from './context.js';

export type VerifyFlags = {
  'app-name'?: string;
  'certificate-file'?: string;
  'private-key-file'?: string;
  'consumer-key'?: string;
  'integration-user'?: string;
  'integration-user-email'?: string;
  'ip-relaxation'?: string;
  strict?: boolean;
};

export function resolveVerifyOptions(flags: VerifyFlags, source: MetadataSource, cwd = process.cwd()): Omit<VerifyOptions, 'workDir'> {
  const inputs = resolveInputs(flags, source.projectSettings);
  return {
    appName: inputs.appName,
    label: inputs.label,
    contactEmail: inputs.contactEmail,
    ipRelaxation: inputs.ipRelaxation,
    // Unset: read from the org's policy (setup may have been run with --view-all-data / --setup-audit).
    viewAllData: source.projectSettings.viewAllData,
    setupAudit: source.projectSettings.setupAudit,
    integrationUser: inputs.integrationUser,
    integrationUserEmail: inputs.integrationUserEmail,
    consumerKey: flags['consumer-key'],
    certificateFile: inputs.certificateFile,
    privateKeyFile: inputs.privateKeyFile,
    keyDir: inputs.outputDir ?? join(cwd, 'anzenna-jwt'),
    sourceDir: source.dir,
    metadataSource: source.origin,
    strict: flags.strict ?? false,
  };
}
