import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import { checkInputFile, KEY_FORMATS, DEFAULT_VALIDITY_DAYS } from '../../cert/index.js';
import { findMetadataSource } from '../../setup/source.js';
import { IP_RELAXATION_FLAG_VALUES, resolveInputs } from '../../setup/options.js';
import { runSetup, type SetupUi } from '../../setup/run-setup.js';
import { renderSetupReport } from '../../setup/report.js';
import type { SetupResult } from '../../setup/result.js';
import { resolveVerifyOptions } from '../../verify/options.js';
import { renderVerifyReport } from '../../verify/report.js';
import { runVerify } from '../../verify/run-verify.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.setup');

export type { SetupResult } from '../../setup/result.js';

export default class Setup extends SfCommand<SetupResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'app-name': Flags.string({ char: 'n', summary: messages.getMessage('flags.app-name.summary') }),
    label: Flags.string({ summary: messages.getMessage('flags.label.summary') }),
    'contact-email': Flags.string({ summary: messages.getMessage('flags.contact-email.summary') }),
    'certificate-file': Flags.file({
      char: 'c',
      summary: messages.getMessage('flags.certificate-file.summary'),
      parse: (input) => checkInputFile(input, 'certificate-file'),
    }),
    'private-key-file': Flags.file({
      char: 'k',
      summary: messages.getMessage('flags.private-key-file.summary'),
      parse: (input) => checkInputFile(input, 'private-key-file'),
      dependsOn: ['certificate-file'],
    }),
    'output-dir': Flags.directory({ char: 'd', summary: messages.getMessage('flags.output-dir.summary') }),
    'key-size': Flags.integer({ summary: messages.getMessage('flags.key-size.summary'), default: 2048 }),
    'key-format': Flags.option({ summary: messages.getMessage('flags.key-format.summary'), options: KEY_FORMATS, default: 'pkcs8' as const })(),
    'validity-days': Flags.integer({ summary: messages.getMessage('flags.validity-days.summary'), default: DEFAULT_VALIDITY_DAYS }),
    'integration-user': Flags.string({ char: 'u', summary: messages.getMessage('flags.integration-user.summary') }),
    'integration-user-email': Flags.string({ char: 'e', summary: messages.getMessage('flags.integration-user-email.summary') }),
    'ip-relaxation': Flags.option({ summary: messages.getMessage('flags.ip-relaxation.summary'), options: IP_RELAXATION_FLAG_VALUES })(),
    'view-all-data': Flags.boolean({ summary: messages.getMessage('flags.view-all-data.summary'), allowNo: true }),
    'setup-audit': Flags.boolean({ summary: messages.getMessage('flags.setup-audit.summary'), allowNo: true }),
    'real-time-events': Flags.boolean({ summary: messages.getMessage('flags.real-time-events.summary'), allowNo: true }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    wait: Flags.integer({ char: 'w', summary: messages.getMessage('flags.wait.summary') }),
    'no-prompt': Flags.boolean({ char: 'p', summary: messages.getMessage('flags.no-prompt.summary'), default: false }),
    verify: Flags.boolean({ summary: messages.getMessage('flags.verify.summary'), default: false }),
  };

  public async run(): Promise<SetupResult> {
    const { flags } = await this.parse(Setup);
    const source = await findMetadataSource();
    const inputs = resolveInputs(flags, source.projectSettings);
    const org = flags['target-org'];
    const result = await runSetup(
      org,
      {
        ...inputs,
        keySize: flags['key-size'],
        keyFormat: flags['key-format'],
        validityDays: flags['validity-days'],
        dryRun: flags['dry-run'],
        waitMs: inputs.waitMinutes * 60_000,
        sourceDir: source.dir,
        metadataSource: source.origin,
      },
      this.setupUi(org.getUsername() ?? 'the org', flags['no-prompt'])
    );
    if (!this.jsonEnabled()) this.log(renderSetupReport(result, messages));
    if (flags.verify && !flags['dry-run']) {
      // Every `sf anzenna verify` check, against what was just set up (read-only).
      this.spinner.start(messages.getMessage('info.verifying'));
      const verification = await runVerify(org, resolveVerifyOptions(flags, source));
      this.spinner.stop(verification.verdict);
      result.verification = { ok: verification.ok, verdict: verification.verdict, summary: verification.summary, checks: verification.checks };
      if (!this.jsonEnabled()) this.log(renderVerifyReport(verification));
      if (!verification.ok) process.exitCode = 1;
    }
    return result;
  }

  private setupUi(orgName: string, noPrompt: boolean): SetupUi {
    return {
      step: (title) => this.spinner.start(title),
      status: (message) => {
        this.spinner.status = message;
      },
      done: (summary) => this.spinner.stop(summary),
      warn: (message) => this.warn(message),
      confirm: async (plan) => {
        if (noPrompt || this.jsonEnabled()) return true;
        this.spinner.stop();
        if (!process.stdin.isTTY || process.env.CI) throw messages.createError('error.ConfirmationRequired', [orgName]);
        return this.confirm({ message: messages.getMessage('confirm.production', [orgName, plan.map((p) => `  - ${p}`).join('\n')]) });
      },
    };
  }
}
