import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import { checkInputFile } from '../../../cert/index.js';
import { formatRotationPlan } from '../../../plan/rotation.js';
import { inputFlags, resolveSetupInputs } from '../../../project/inputs.js';
import { findMetadataSource } from '../../../project/source.js';
import type { RotateResult } from '../../../rotate/result.js';
import { runRotate, type RotateUi } from '../../../rotate/run-rotate.js';
import { confirmProduction, doneSoFar, interruptible, progressUi } from '../../../ui/command-ui.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.rotate');

export type { RotateResult } from '../../../rotate/result.js';

export default class CertRotate extends SfCommand<RotateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    ...inputFlags('app-name', 'certificate-file', 'certificate-url', 'output-dir', 'key-size', 'key-format', 'validity-days', 'integration-user', 'wait'),
    'private-key-file': Flags.file({
      char: 'k',
      summary: messages.getMessage('flags.private-key-file.summary'),
      parse: (input) => checkInputFile(input, 'private-key-file'),
      // certificate-file is defined by inputFlags above (the rule cannot see through the spread)
      // eslint-disable-next-line sf-plugin/flag-cross-references
      dependsOn: ['certificate-file'],
    }),
    'parallel-app': Flags.boolean({ summary: messages.getMessage('flags.parallel-app.summary'), default: false, exclusive: ['finish'] }),
    finish: Flags.boolean({ summary: messages.getMessage('flags.finish.summary'), default: false }),
    // Only with --finish: checked in run() (the sf-plugin lint rule bars dependsOn on a boolean flag).
    'delete-app': Flags.boolean({ summary: messages.getMessage('flags.delete-app.summary'), default: false }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), default: false }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    'no-prompt': Flags.boolean({ char: 'p', summary: messages.getMessage('flags.no-prompt.summary'), default: false }),
  };

  public async run(): Promise<RotateResult> {
    const { flags } = await this.parse(CertRotate);
    if (flags['delete-app'] && !flags.finish) throw messages.createError('error.DeleteAppWithoutFinish', [], [], 2);
    const source = await findMetadataSource();
    const inputs = resolveSetupInputs(flags, source.projectSettings);
    const org = flags['target-org'];
    // Every request of this run uses --api-version when given (Org keeps one connection).
    org.getConnection(flags['api-version']);
    const orgName = org.getUsername() ?? 'the org';
    const journal: string[] = [];
    const options = {
      ...inputs,
      dryRun: flags['dry-run'],
      parallelApp: flags['parallel-app'],
      finish: flags.finish,
      deleteApp: flags['delete-app'],
      force: flags.force,
      sourceDir: source.dir,
      orgName,
    };
    const result = await interruptible(
      this,
      (signal) => this.interrupted(signal, journal),
      () => runRotate(org, options, this.rotateUi(orgName, flags['no-prompt']), journal)
    );
    if (!this.jsonEnabled()) this.report(result);
    return result;
  }

  private report(result: RotateResult): void {
    if (result.dryRun) {
      this.log('Dry run: nothing was changed. The plan:');
      for (const line of formatRotationPlan(result.plan)) this.log(`  ${line}`);
    } else {
      for (const line of formatRotationPlan(result.plan)) this.log(`  ${line.replace(/^[~?+-] /, '✔ ')}`);
    }
    this.log('');
    const rows: Array<[string, string | undefined]> = [
      ['Consumer Key', result.handoff.consumerKey],
      ['Salesforce URL', result.handoff.salesforceUrl],
      ['Username', result.handoff.username],
      ['Certificate SHA-256', result.certificateSha256],
      ['Previous SHA-256', result.previousCertificateSha256],
      ['Certificate', result.certificatePath],
      ['Private key', result.privateKeyPath],
      ['Backup', result.backupDir],
    ];
    for (const [k, v] of rows) if (v) this.log(`  ${k.padEnd(20)}${v}`);
    this.log('', result.handoff.next);
  }

  private interrupted(signal: string, journal: string[]): string {
    return messages.getMessage('info.interrupted', [signal, doneSoFar(journal, 'noStepFinished')]);
  }

  private rotateUi(orgName: string, noPrompt: boolean): RotateUi {
    return {
      ...progressUi(this),
      confirm: async (plan) =>
        confirmProduction(this, {
          noPrompt,
          refusal: () => messages.createError('error.ConfirmationRequired', [orgName]),
          question: () => messages.getMessage('confirm.production', [orgName, formatRotationPlan(plan).map((p) => `  ${p}`).join('\n')]),
        }),
    };
  }
}
