import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import { inputFlags, resolveSharedInputs } from '../../project/inputs.js';
import { findMetadataSource } from '../../project/source.js';
import { renderStatusReport } from '../../status/report.js';
import { runStatus, type StatusResult } from '../../status/run-status.js';
import { interruptible } from '../../ui/command-ui.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.status');

export type { StatusResult } from '../../status/run-status.js';

export default class Status extends SfCommand<StatusResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    ...inputFlags('app-name', 'label', 'integration-user'),
    wait: Flags.integer({ char: 'w', summary: messages.getMessage('flags.wait.summary'), min: 0, max: 1440, default: 0 }),
    'poll-interval': Flags.integer({ summary: messages.getMessage('flags.poll-interval.summary'), min: 1, max: 600, default: 30, hidden: true }),
  };

  public async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    const source = await findMetadataSource();
    const inputs = resolveSharedInputs(flags, source.projectSettings);
    this.spinner.start(messages.getMessage('info.reading'));
    // Every request of this run uses --api-version when given (Org keeps one connection).
    flags['target-org'].getConnection(flags['api-version']);
    const run = (): Promise<StatusResult> => runStatus(flags['target-org'], {
      appName: inputs.appName,
      label: inputs.label,
      integrationUser: inputs.integrationUser,
      waitMinutes: flags.wait,
      pollMs: flags['poll-interval'] * 1000,
      onPoll: (message) => {
        this.spinner.status = message;
      },
    });
    // Read-only (also while --wait polls): an interruption changes nothing.
    const result = await interruptible(this, (signal) => messages.getMessage('info.interrupted', [signal]), run);
    this.spinner.stop(result.connection.state);
    if (!this.jsonEnabled()) this.log(renderStatusReport(result));
    if (result.certificate.warning) this.warn(result.certificate.warning);
    // Not connected is a result, not an exception: printed (and returned under --json), exit code 1.
    if (!result.connected) process.exitCode = 1;
    return result;
  }
}
