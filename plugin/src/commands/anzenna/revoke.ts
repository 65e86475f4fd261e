import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import { inputFlags, resolveSharedInputs } from '../../project/inputs.js';
import { findMetadataSource } from '../../project/source.js';
import { formatRevokePlan, type RevokeAction } from '../../plan/revoke.js';
import { runRevoke, type RevokeResult, type RevokeUi } from '../../revoke/run-revoke.js';
import { confirmProduction, doneSoFar, interruptible, progressUi } from '../../ui/command-ui.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.revoke');

export type { RevokeResult } from '../../revoke/run-revoke.js';

export default class Revoke extends SfCommand<RevokeResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    ...inputFlags('app-name', 'integration-user'),
    'deactivate-user': Flags.boolean({ summary: messages.getMessage('flags.deactivate-user.summary'), default: false }),
    'delete-app': Flags.boolean({ summary: messages.getMessage('flags.delete-app.summary'), default: false }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    'no-prompt': Flags.boolean({ char: 'p', summary: messages.getMessage('flags.no-prompt.summary'), default: false }),
  };

  public async run(): Promise<RevokeResult> {
    const { flags } = await this.parse(Revoke);
    const source = await findMetadataSource();
    const inputs = resolveSharedInputs(flags, source.projectSettings);
    const org = flags['target-org'];
    // Every request of this run uses --api-version when given (Org keeps one connection).
    org.getConnection(flags['api-version']);
    const options = { appName: inputs.appName, integrationUser: inputs.integrationUser, deactivateUser: flags['deactivate-user'], deleteApp: flags['delete-app'], dryRun: flags['dry-run'] };
    const journal: string[] = [];
    const describe = (signal: string): string => messages.getMessage('info.interrupted', [signal, doneSoFar(journal, 'noStepFinished')]);
    const result = await interruptible(this, describe, () => runRevoke(org, options, this.ui(org.getUsername() ?? 'the org', flags['no-prompt']), journal));
    if (!this.jsonEnabled()) {
      this.log(formatRevokePlan(result.plan).join('\n'));
      if (result.dryRun) this.log(messages.getMessage('info.dryRun'));
      else if (result.plan.length === 0) this.log(messages.getMessage('info.nothing'));
      else if (result.done.some((a) => a.kind === 'delete-app')) this.log(messages.getMessage('info.deleted', [result.appName, result.username, result.userActive ? 'still active' : 'inactive']));
      else this.log(messages.getMessage('info.revoked', [result.username, result.userActive ? 'still active' : 'inactive', result.consumerKey ?? '(unreadable)']));
    }
    return result;
  }

  private ui(orgName: string, noPrompt: boolean): RevokeUi {
    const { step, done, warn } = progressUi(this);
    return {
      step,
      done,
      warn,
      confirm: async (plan: readonly RevokeAction[]) =>
        confirmProduction(this, {
          noPrompt,
          refusal: () => messages.createError('error.ConfirmationRequired', [orgName]),
          question: () => messages.getMessage('confirm.production', [orgName, formatRevokePlan(plan).map((p) => `  ${p}`).join('\n')]),
        }),
    };
  }
}
