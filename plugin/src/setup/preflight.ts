/**
 * Preflight: every check that can run before the first change. Local inputs first (the certificate and
 * key, no request), then every org read at once; failures are then reported in a fixed order, so an
 * edition without Event Monitoring is what an admin hears first. Nothing is written here.
 */
import { Messages, type Connection } from '@salesforce/core';
import { assertUsableUser, readIntegrationUser, type IntegrationUserState } from '../org/integration-user.js';
import { assertAdminRights, assertSeatsFree, readAdminFacts, readLicenceFacts, readOrgFacts, type AdminFacts, type LicenceFacts, type OrgFacts } from '../org/facts.js';
import { withSandboxCopy } from '../org/sandbox-user.js';
import { readOurComponents, type OurComponents } from '../org/state.js';
import { defaultIntegrationUsername, keyFilePaths } from '../project/inputs.js';
import type { CheckLog } from './check-log.js';
import { prepareKeyMaterial, type KeyMaterial } from '../cert/key-material.js';
import type { SetupOptions } from './options.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.setup');

export type Preflight = {
  keys: KeyMaterial;
  facts: OrgFacts;
  admin: AdminFacts;
  licences: LicenceFacts;
  user: IntegrationUserState;
  ours: OurComponents;
  username: string;
  adminEmail: string;
};

function settledValue<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

export async function prepareKeys(options: SetupOptions, log: CheckLog): Promise<KeyMaterial> {
  const keys = await prepareKeyMaterial({
    certificateFile: options.certificateFile,
    certificateUrl: options.certificateUrl,
    privateKeyFile: options.privateKeyFile,
    outputDir: options.outputDir,
    paths: keyFilePaths(options.outputDir, options.appName),
    appName: options.appName,
    keySize: options.keySize,
    keyFormat: options.keyFormat,
    validityDays: options.validityDays,
  });
  for (const w of keys.warnings) log.warn('certificate.expiry', w);
  if (options.dryRun && keys.mode === 'generated') {
    // Checked, but thrown away: the real run generates (and writes) its own pair.
    log.pass('certificate', messages.getMessage('check.certificate.generated', [keys.info.keyBits]));
  } else log.pass('certificate', messages.getMessage('check.certificate', [keys.info.subject, keys.info.keyBits, keys.info.notAfter, keys.mode]));
  return keys;
}

/** Every org read at once: the org, the admin, the licences, the integration user and everything of ours. */
export async function readOrg(conn: Connection, adminUsername: string, options: SetupOptions, log: CheckLog): Promise<Omit<Preflight, 'keys'>> {
  const username = options.integrationUser ?? defaultIntegrationUsername(options.appName, adminUsername);
  const factsReading = readOrgFacts(conn);
  const [factsRead, adminRead, licencesRead, userRead, oursRead] = await Promise.allSettled([
    factsReading,
    readAdminFacts(conn, adminUsername),
    readLicenceFacts(conn),
    // After a sandbox refresh the user is `<username>.<sandbox>`: found, not created a second time.
    readIntegrationUser(conn, username).then((u) => withSandboxCopy(conn, u, factsReading.then((f) => f.isSandbox, () => false))),
    readOurComponents(conn, options.appName, { realTimeEvents: options.realTimeEvents }),
  ]);
  const facts = settledValue(factsRead);
  log.pass('org.edition', messages.getMessage(facts.isSandbox ? 'check.org.edition.sandbox' : 'check.org.edition', [facts.name, facts.orgId, facts.edition]));
  const admin = settledValue(adminRead);
  assertAdminRights(admin);
  log.pass('admin.rights', messages.getMessage('check.admin.rights', [admin.username]));
  const licences = settledValue(licencesRead);
  const user = settledValue(userRead);
  if (user.renamedFrom) log.warn('user.sandboxCopy', messages.getMessage('warning.sandboxUser', [user.renamedFrom, user.username]));
  assertUsableUser(user);
  assertSeatsFree(licences, !user.id, !user.hasPsl);
  log.pass('licences', user.id ? messages.getMessage('check.licences.userExists', [user.username]) : messages.getMessage('check.licences.free', [username]));
  const ours = settledValue(oursRead);
  const adminEmail = options.integrationUserEmail ?? admin.email;
  if (adminEmail.toLowerCase().endsWith('.invalid')) log.warn('user.email', messages.getMessage('warning.invalidEmail', [adminEmail]));
  return { facts, admin, licences, user, ours, username: user.username, adminEmail };
}
