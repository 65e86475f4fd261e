import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import { inputFlags } from '../../../project/inputs.js';
import { runGenerate, type GenerateResult } from '../../../generate/run-generate.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.metadata.generate');

export type MetadataGenerateResult = GenerateResult;

export default class MetadataGenerate extends SfCommand<MetadataGenerateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    ...inputFlags('app-name', 'label', 'contact-email', 'ip-relaxation', 'allowed-ip-range', 'view-all-data', 'setup-audit', 'real-time-events'),
    'output-dir': Flags.directory({ char: 'd', summary: messages.getMessage('flags.output-dir.summary') }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), default: false }),
  };

  public async run(): Promise<MetadataGenerateResult> {
    const { flags } = await this.parse(MetadataGenerate);
    const { 'output-dir': outputDir, force, ...inputs } = flags;
    const result = await runGenerate({ flags: inputs, outputDir, force });
    for (const file of result.files) this.log(messages.getMessage('info.status', [file.status.padEnd(9), file.path]));
    const count = (status: string): string => String(result.files.filter((f) => f.status === status).length);
    this.log(messages.getMessage('info.done', [count('created'), count('updated'), count('unchanged'), result.packageDir]));
    if (result.otherApps.length > 0) this.warn(messages.getMessage('warning.otherApps', [result.otherApps.join(', '), result.appName]));
    this.log(messages.getMessage('info.next'));
    return result;
  }
}
