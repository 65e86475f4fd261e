/**
 * Turns flags and the project's `plugins.anzenna` block into checked setup options: flags win, then the
 * project, then the defaults. Every input that can be checked without the org is checked here.
 */
import { SfError } from '@salesforce/core';
import { checkAppName, checkEmail, checkLabel, IP_RELAXATION_POLICIES, type IpRelaxationPolicy } from '../metadata/index.js';
import { DEFAULT_APP_NAME, DEFAULT_CONTACT_EMAIL } from '../defaults.js';
import type { ProjectSettings } from './source.js';

/** Flag spelling of the IP relaxation policies (the metadata values, in kebab case). */
export const IP_RELAXATION_FLAG_VALUES = ['bypass', 'enforce', 'bypass-2factor', 'enforce-relax-refresh'] as const;
export type IpRelaxationFlag = (typeof IP_RELAXATION_FLAG_VALUES)[number];

const IP_RELAXATION_BY_FLAG: Record<IpRelaxationFlag, IpRelaxationPolicy> = {
  bypass: 'Bypass',
  enforce: 'Enforce',
  'bypass-2factor': 'Bypass_2factor',
  'enforce-relax-refresh': 'Enforce_RelaxRefresh',
};

export const DEFAULT_WAIT_MINUTES = 10;

export type SetupFlags = {
  'app-name'?: string;
  label?: string;
  'contact-email'?: string;
  'certificate-file'?: string;
  'private-key-file'?: string;
  'output-dir'?: string;
  'integration-user'?: string;
  'integration-user-email'?: string;
  'ip-relaxation'?: string;
  'view-all-data'?: boolean;
  'setup-audit'?: boolean;
  'real-time-events'?: boolean;
  wait?: number;
};

export type ResolvedInputs = {
  appName: string;
  label?: string;
  contactEmail: string;
  certificateFile?: string;
  privateKeyFile?: string;
  outputDir?: string;
  integrationUser?: string;
  integrationUserEmail?: string;
  ipRelaxation: IpRelaxationPolicy;
  viewAllData: boolean;
  setupAudit: boolean;
  realTimeEvents: boolean;
  waitMinutes: number;
};

function invalid(name: string, message: string, action: string): SfError {
  return new SfError(message, name, [action]);
}

function toPolicy(value: string): IpRelaxationPolicy {
  if ((IP_RELAXATION_FLAG_VALUES as readonly string[]).includes(value)) return IP_RELAXATION_BY_FLAG[value as IpRelaxationFlag];
  if ((IP_RELAXATION_POLICIES as readonly string[]).includes(value)) return value as IpRelaxationPolicy;
  throw invalid('InvalidIpRelaxationError', `"${value}" is not an IP relaxation policy.`, `Use one of: ${IP_RELAXATION_FLAG_VALUES.join(', ')}.`);
}

export function resolveInputs(flags: SetupFlags, project: ProjectSettings): ResolvedInputs {
  const appName = flags['app-name'] ?? project.appName ?? DEFAULT_APP_NAME;
  const appProblem = checkAppName(appName);
  if (appProblem) throw invalid('InvalidAppNameError', appProblem, 'Use letters, digits and single underscores, starting with a letter (for example Anzenna or Acme_SIEM).');
  const label = flags.label ?? project.label;
  const labelProblem = label === undefined ? undefined : checkLabel(label);
  if (labelProblem) throw invalid('InvalidLabelError', labelProblem, 'Use a shorter label.');

  const contactEmail = flags['contact-email'] ?? project.contactEmail ?? DEFAULT_CONTACT_EMAIL;
  const contactProblem = checkEmail(contactEmail);
  if (contactProblem) throw invalid('InvalidEmailError', `--contact-email: ${contactProblem}`, 'Give an address such as support@anzenna.ai.');

  const integrationUser = flags['integration-user'] ?? project.integrationUser;
  const userProblem = integrationUser === undefined ? undefined : checkEmail(integrationUser);
  if (userProblem) {
    throw invalid('InvalidUsernameError', `--integration-user: a Salesforce username has the form of an email address. ${userProblem}`, 'Give a username such as anzenna-integration@acme.com.');
  }
  const integrationUserEmail = flags['integration-user-email'] ?? project.integrationUserEmail;
  const emailProblem = integrationUserEmail === undefined ? undefined : checkEmail(integrationUserEmail);
  if (emailProblem) throw invalid('InvalidEmailError', `--integration-user-email: ${emailProblem}`, 'Give the admin email address the vendor has on file.');

  const waitMinutes = flags.wait ?? project.wait ?? DEFAULT_WAIT_MINUTES;
  if (!Number.isFinite(waitMinutes) || waitMinutes < 0 || waitMinutes > 60) {
    throw invalid('InvalidWaitError', `A wait of ${waitMinutes} minutes is not allowed.`, 'Use --wait from 0 to 60 minutes.');
  }

  return {
    appName,
    label,
    contactEmail,
    certificateFile: flags['certificate-file'] ?? project.certificateFile,
    privateKeyFile: flags['private-key-file'] ?? project.privateKeyFile,
    outputDir: flags['output-dir'] ?? project.outputDir,
    integrationUser,
    integrationUserEmail,
    ipRelaxation: toPolicy(flags['ip-relaxation'] ?? project.ipRelaxation ?? 'bypass'),
    viewAllData: flags['view-all-data'] ?? project.viewAllData ?? false,
    setupAudit: flags['setup-audit'] ?? project.setupAudit ?? false,
    realTimeEvents: flags['real-time-events'] ?? project.realTimeEvents ?? false,
    waitMinutes,
  };
}
