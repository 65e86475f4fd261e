import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import { DEFAULT_VALIDITY_DAYS, generateCertificateFiles, KEY_FORMATS, type GeneratedCertificate } from '../../../cert/index.js';
import { DEFAULT_APP_NAME, fileBaseForApp } from '../../../defaults.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.cert.generate');

export type CertGenerateResult = GeneratedCertificate;

export default class CertGenerate extends SfCommand<CertGenerateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'output-dir': Flags.directory({ char: 'd', summary: messages.getMessage('flags.output-dir.summary'), default: '.' }),
    'app-name': Flags.string({
      char: 'n',
      summary: messages.getMessage('flags.app-name.summary'),
      description: messages.getMessage('flags.app-name.description'),
      default: DEFAULT_APP_NAME,
    }),
    'key-size': Flags.integer({ summary: messages.getMessage('flags.key-size.summary'), default: 2048 }),
    'key-format': Flags.option({
      summary: messages.getMessage('flags.key-format.summary'),
      description: messages.getMessage('flags.key-format.description'),
      options: KEY_FORMATS,
      default: 'pkcs8' as const,
    })(),
    'validity-days': Flags.integer({ summary: messages.getMessage('flags.validity-days.summary'), default: DEFAULT_VALIDITY_DAYS }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), default: false }),
  };

  public async run(): Promise<CertGenerateResult> {
    const { flags } = await this.parse(CertGenerate);
    let spinning = false;
    const result = await generateCertificateFiles({
      outputDir: flags['output-dir'],
      fileBase: fileBaseForApp(flags['app-name']),
      commonName: `${flags['app-name']} JWT bearer`,
      organization: flags['app-name'],
      keySize: flags['key-size'],
      keyFormat: flags['key-format'],
      validityDays: flags['validity-days'],
      force: flags.force,
      createDir: true,
      onChecked: () => {
        spinning = true;
        this.spinner.start(messages.getMessage('info.generating'));
      },
    }).finally(() => {
      if (spinning) this.spinner.stop();
    });

    this.log(messages.getMessage('info.written', [result.privateKeyPath, result.certificatePath]));
    this.table({
      data: [
        { field: 'SHA-256 fingerprint', value: result.sha256Fingerprint },
        { field: 'Serial number', value: result.serialNumber },
        { field: 'Subject', value: result.subject },
        { field: 'Valid until', value: result.notAfter },
        { field: 'Key', value: `RSA ${result.keySize}, ${result.keyFormat}` },
      ],
    });
    this.log(messages.getMessage('info.next', [result.privateKeyPath, result.certificatePath]));
    return result;
  }
}
