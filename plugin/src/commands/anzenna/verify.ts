import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import { inputFlags } from '../../project/inputs.js';
import { findMetadataSource } from '../../project/source.js';
import { resolveVerifyOptions, typedTargetOrg } from '../../verify/options.js';
import { renderVerifyReport } from '../../verify/report.js';
import { runVerify } from '../../verify/run-verify.js';
import type { VerifyResult } from '../../verify/types.js';
import { interruptible } from '../../ui/command-ui.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify');

export type { VerifyResult } from '../../verify/types.js';

export default class Verify extends SfCommand<VerifyResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    ...inputFlags(
      'app-name',
      'label',
      'contact-email',
      'certificate-file',
      'private-key-file',
      'output-dir',
      'integration-user',
      'integration-user-email',
      'ip-relaxation',
      'allowed-ip-range',
      'view-all-data',
      'setup-audit'
    ),
    'consumer-key': Flags.string({ summary: messages.getMessage('flags.consumer-key.summary') }),
    strict: Flags.boolean({ summary: messages.getMessage('flags.strict.summary'), default: false }),
  };

  public async run(): Promise<VerifyResult> {
    const { flags, raw } = await this.parse(Verify);
    const options = resolveVerifyOptions(flags, await findMetadataSource(), process.cwd(), typedTargetOrg(raw));
    const org = flags['target-org'];
    const name = org.getUsername() ?? 'the org';
    try {
      await org.getConnection(flags['api-version']).query('SELECT Id FROM Organization');
    } catch (error) {
      // The action repeats what the user typed (an alias stays an alias).
      throw messages.createError('error.OrgUnreachable', [name, (error as Error).message], [options.targetOrg ?? name], 1, error as Error);
    }
    this.spinner.start(messages.getMessage('info.running', [name]));
    // Read-only: an interruption changes nothing; its temporary folders (a retrieve's) go with it.
    const result = await interruptible(this, (signal) => messages.getMessage('info.interrupted', [signal]), () => runVerify(org, options, flags['api-version']));
    this.spinner.stop(`${result.summary.pass} passed, ${result.summary.warn} warning(s), ${result.summary.fail} failed, ${result.summary.skip} skipped`);
    if (!this.jsonEnabled()) this.log(renderVerifyReport(result));
    // A failed check is a result, not an exception: the result is still printed (and returned under --json).
    if (!result.ok) process.exitCode = 1;
    return result;
  }
}
