import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { Messages, type Org } from '@salesforce/core';
import { checkInputFile } from '../../cert/index.js';
import { inputFlags, resolveSetupInputs } from '../../project/inputs.js';
import { findMetadataSource, type MetadataSource } from '../../project/source.js';
import { formatPlan } from '../../plan/plan.js';
import { renderSetupReport } from '../../setup/report.js';
import type { SetupChange, SetupResult } from '../../setup/result.js';
import { runSetup, type SetupUi } from '../../setup/run-setup.js';
import { typedTargetOrg, type VerifyFlags } from '../../verify/options.js';
import { confirmProduction, doneSoFar, interruptible, progressUi } from '../../ui/command-ui.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.setup');

export type { SetupResult } from '../../setup/result.js';

export default class Setup extends SfCommand<SetupResult> {
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
      'certificate-url',
      'output-dir',
      'key-size',
      'key-format',
      'validity-days',
      'integration-user',
      'integration-user-email',
      'ip-relaxation',
      'allowed-ip-range',
      'view-all-data',
      'setup-audit',
      'real-time-events',
      'wait',
      'vendor'
    ),
    'private-key-file': Flags.file({
      char: 'k',
      summary: messages.getMessage('flags.private-key-file.summary'),
      parse: (input) => checkInputFile(input, 'private-key-file'),
      // certificate-file is defined by inputFlags above (the rule cannot see through the spread)
      // eslint-disable-next-line sf-plugin/flag-cross-references
      dependsOn: ['certificate-file'],
    }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    'no-prompt': Flags.boolean({ char: 'p', summary: messages.getMessage('flags.no-prompt.summary'), default: false }),
    verify: Flags.boolean({ summary: messages.getMessage('flags.verify.summary'), default: false }),
  };

  public async run(): Promise<SetupResult> {
    const { flags, raw } = await this.parse(Setup);
    const source = await findMetadataSource();
    const inputs = resolveSetupInputs(flags, source.projectSettings);
    const org = flags['target-org'];
    const journal: SetupChange[] = [];
    const options = { ...inputs, dryRun: flags['dry-run'], sourceDir: source.dir, metadataSource: source.origin, apiVersion: flags['api-version'] };
    const describe = (signal: string): string => messages.getMessage('info.interrupted', [signal, doneSoFar(journal.map((c) => c.action), 'nothingChanged')]);
    // --verify's read-only checks run inside the same handling: a Ctrl-C there leaves no retrieve folder either.
    return interruptible(this, describe, async () => {
      const result = await runSetup(org, options, this.setupUi(org.getUsername() ?? 'the org', flags['no-prompt']), journal);
      if (!this.jsonEnabled()) this.log(renderSetupReport(result, messages));
      if (flags.verify && !flags['dry-run']) await this.verifyAfter(org, result, flags, source, typedTargetOrg(raw));
      return result;
    });
  }

  /** Every `sf anzenna verify` check, against what was just set up (read-only). */
  private async verifyAfter(org: Org, result: SetupResult, flags: VerifyFlags & { 'api-version'?: string }, source: MetadataSource, targetOrg?: string): Promise<void> {
    // Loaded only with --verify: a plain setup run does not pay for loading every check.
    const [{ resolveVerifyOptions }, { renderVerifyReport }, { runVerify }] = await Promise.all([
      import('../../verify/options.js'),
      import('../../verify/report.js'),
      import('../../verify/run-verify.js'),
    ]);
    this.spinner.start(messages.getMessage('info.verifying'));
    const verification = await runVerify(org, resolveVerifyOptions(flags, source, process.cwd(), targetOrg), flags['api-version']);
    this.spinner.stop(verification.verdict);
    result.verification = { ok: verification.ok, verdict: verification.verdict, summary: verification.summary, checks: verification.checks };
    if (!this.jsonEnabled()) this.log(renderVerifyReport(verification));
    if (!verification.ok) process.exitCode = 1;
  }

  private setupUi(orgName: string, noPrompt: boolean): SetupUi {
    return {
      ...progressUi(this),
      confirm: async (plan) =>
        confirmProduction(this, {
          noPrompt,
          refusal: () => messages.createError('error.ConfirmationRequired', [orgName]),
          question: () => messages.getMessage('confirm.production', [orgName, formatPlan(plan).map((p) => `  ${p}`).join('\n')]),
        }),
    };
  }
}
