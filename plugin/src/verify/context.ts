/**
 * Everything the checks read, each loaded once on first use and shared: the org, the admin, the app (with
 * the bundle setup would deploy), the integration user and its permissions, the local key material, event
 * log statistics, OAuth token usage, the live JWT login and the event logs read through it.
 * Every read is a query, a GET, a Metadata API retrieve/read/list or a token request: nothing is written.
 */
import { Connection as JsforceConnection } from '@jsforce/jsforce-node';
import { Messages, type Connection } from '@salesforce/core';
import { componentNames, formatIpRange, loginIpRangesOf, type ComponentNames, type IpRange } from '../metadata/index.js';
import { checkEventLogs, eventLogAccessError, VENDOR_EVENT_TYPES, type EventLogReport } from '../logs/event-log-check.js';
import { readIntegrationUser, type IntegrationUserState } from '../org/integration-user.js';
import { withSandboxCopy } from '../org/sandbox-user.js';
import { isIpRestrictedLogin, jwtLogin, type JwtLoginOptions, type JwtLoginResult } from '../auth/jwt-login.js';
import {
  readAdminFacts,
  readLicenceFacts,
  readOrganization,
  readPermissionGrants,
  type AdminFacts,
  type LicenceFacts,
  type OrganizationFacts,
  type PermissionGrant,
} from '../org/facts.js';
import { defaultIntegrationUsername, keyFilePaths, type VerifyInputs } from '../project/inputs.js';
import { withMetadataErrors } from '../project/metadata-errors.js';
import { loadAppFacts, readGlobalSettings, type AppFacts, type GlobalSettings } from './app-facts.js';
import { measureClockSkew, type ClockSkew } from './clock.js';
import { loadLocalKeys, type LocalKeys } from './local-keys.js';
import { lazy, type Lazy } from './runner.js';
import { readTokenUsage, type TokenUsage } from '../org/oauth-usage.js';
import { SkipCheck } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify');
const checkMessages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify.checks');

export type VerifyOptions = VerifyInputs & {
  /** The consumer key as the vendor has it, exactly as given (whitespace is what we look for). */
  consumerKey?: string;
  sourceDir: string;
  metadataSource: 'project' | 'bundled';
  strict: boolean;
  /** `--target-org` as the user typed it (an alias or a username), repeated in advice; undefined: the default org. */
  targetOrg?: string;
};

/** Permissions read for the integration user: what it needs, what is broad, what is dangerous. */
export const REQUIRED_PERMISSIONS = ['ApiEnabled', 'ViewEventLogFiles'] as const;
export const BROAD_PERMISSIONS = ['ViewAllData'] as const;
export const DANGEROUS_PERMISSIONS = [
  'ModifyAllData',
  'ManageUsers',
  'ManageInternalUsers',
  'CustomizeApplication',
  'ModifyMetadata',
  'AuthorApex',
  'ManageProfilesPermissionsets',
  'AssignPermissionSets',
  'DeleteEventMonitoringRecords',
] as const;

/** The live login was refused for the address it came from: a skip (nothing to prove from here), not a failure. */
export class OutsideIpRanges extends SkipCheck {
  public constructor(username: string, ranges: string) {
    super(messages.getMessage('skip.outsideIpRanges', [username, ranges]));
  }
}

export type EventLogStat = { eventType: string; interval: string; files: number; oldest?: string; newest?: string };

export class VerifyContext {
  public readonly names: ComponentNames;
  public readonly username: string;
  public readonly org: Lazy<OrganizationFacts>;
  public readonly admin: Lazy<AdminFacts>;
  public readonly licences: Lazy<LicenceFacts>;
  public readonly user: Lazy<IntegrationUserState>;
  /** The user's permission grants; SkipCheck when the user does not exist. */
  public readonly grants: Lazy<PermissionGrant[]>;
  public readonly globalSettings: Lazy<GlobalSettings>;
  public readonly app: Lazy<AppFacts>;
  public readonly local: Lazy<LocalKeys>;
  /** EventLogFile counts per type and interval, all types, as the admin. */
  public readonly eventLogStats: Lazy<EventLogStat[]>;
  public readonly tokenUsage: Lazy<TokenUsage>;
  public readonly clock: Lazy<ClockSkew>;
  /** The live JWT login; SkipCheck when there is no key or no consumer key. Runs after the token usage was read. */
  public readonly login: Lazy<JwtLoginResult>;
  /** Event logs read as the integration user (or as the admin when we hold no key). */
  public readonly eventLogs: Lazy<{ report: EventLogReport; who: string; asIntegrationUser: boolean }>;

  public constructor(public readonly conn: Connection, public readonly adminUsername: string, public readonly options: VerifyOptions) {
    this.names = componentNames(options.appName);
    this.username = options.integrationUser ?? defaultIntegrationUsername(options.appName, adminUsername);
    this.org = lazy(() => readOrganization(conn));
    this.admin = lazy(() => readAdminFacts(conn, adminUsername));
    this.licences = lazy(() => readLicenceFacts(conn));
    // After a sandbox refresh the user is `<username>.<sandbox>` (org/sandbox-user.ts).
    this.user = lazy(async () => withSandboxCopy(conn, await readIntegrationUser(conn, this.username), this.org().then((o) => o.isSandbox, () => false)));
    this.grants = lazy(async () => {
      const user = await this.user();
      if (!user.id) throw new SkipCheck(checkMessages.getMessage('skip.noUser', [this.username]));
      return readPermissionGrants(conn, user.id, [...REQUIRED_PERMISSIONS, ...BROAD_PERMISSIONS, ...DANGEROUS_PERMISSIONS]);
    });
    this.globalSettings = lazy(() => readGlobalSettings(conn, this.names.globalSettings));
    this.local = lazy(() =>
      loadLocalKeys({ certificateFile: options.certificateFile, privateKeyFile: options.privateKeyFile, defaults: keyFilePaths(options.outputDir, options.appName) })
    );
    this.app = lazy(async () => {
      const [org, global, local] = await Promise.all([this.org(), this.globalSettings(), this.local()]);
      return withMetadataErrors(options.sourceDir, () => loadAppFacts(conn, org, global, { ...options, fallbackCertificate: local.certificatePem, fallbackConsumerKey: options.consumerKey }));
    });
    this.eventLogStats = lazy(async () => readEventLogStats(conn, adminUsername));
    this.tokenUsage = lazy(() => readTokenUsage(conn, options.appName));
    this.clock = lazy(() => measureClockSkew(conn));
    this.login = lazy(() => this.liveLogin());
    this.eventLogs = lazy(() => this.liveEventLogs());
  }

  /** What the live JWT login needs; SkipCheck when there is no usable key or no consumer key. */
  private async loginOptions(): Promise<JwtLoginOptions> {
    const { options } = this;
    const local = await this.local();
    if (!local.privateKey) {
      throw new SkipCheck(
        local.privateKeyError
          ? messages.getMessage('skip.privateKeyUnusable', [local.privateKeyError])
          : messages.getMessage('skip.noPrivateKey', [keyFilePaths(options.outputDir, options.appName).key])
      );
    }
    const [org, global] = await Promise.all([this.org(), this.globalSettings()]);
    const consumerKey = global.consumerKey?.trim() ?? options.consumerKey?.trim();
    if (!consumerKey) throw new SkipCheck(messages.getMessage('skip.noConsumerKey'));
    // The user as found (in a refreshed sandbox: its `<username>.<sandbox>` copy).
    const username = (await this.user().catch(() => undefined))?.username ?? this.username;
    return { consumerKey, username, privateKey: local.privateKey, myDomainUrl: org.myDomainUrl, isSandbox: org.isSandbox, waitMs: 0 };
  }

  /** The integration profile's login IP ranges as the org has them (none when it cannot be read). */
  private async profileIpRanges(): Promise<IpRange[]> {
    const profile = (await this.app().catch(() => undefined))?.doc('profile');
    return profile ? loginIpRangesOf(profile) : [];
  }

  private async liveLogin(): Promise<JwtLoginResult> {
    const login = await this.loginOptions();
    // Token usage first, so it shows the vendor's use and not this login.
    await this.tokenUsage().catch(() => undefined);
    try {
      return await jwtLogin(login);
    } catch (error) {
      // JWT logins always enforce the profile's login IP ranges: from outside them, nothing can be proved here.
      // Salesforce's text also covers login hours: without ranges on the profile, the refusal is a real failure.
      const ranges = isIpRestrictedLogin(error) ? await this.profileIpRanges() : [];
      if (ranges.length > 0) throw new OutsideIpRanges(login.username, ranges.map(formatIpRange).join(', '));
      throw error;
    }
  }

  /** As the integration user when its login works here; as the admin when we hold no key or this machine is outside its IP ranges. */
  private async liveEventLogs(): Promise<{ report: EventLogReport; who: string; asIntegrationUser: boolean }> {
    const asAdmin = async (): Promise<{ report: EventLogReport; who: string; asIntegrationUser: boolean }> => ({
      report: await checkEventLogs(this.conn, this.adminUsername),
      who: this.adminUsername,
      asIntegrationUser: false,
    });
    const local = await this.local();
    if (!local.privateKey) return asAdmin();
    let login: JwtLoginResult;
    try {
      login = await this.login();
    } catch (error) {
      if (error instanceof OutsideIpRanges) return asAdmin();
      throw new SkipCheck(messages.getMessage('skip.liveLoginFailed', [this.username]));
    }
    const asUser = new JsforceConnection({ instanceUrl: login.instanceUrl, accessToken: login.accessToken, version: this.conn.getApiVersion() });
    // A session that ends right after its login is logged in again once (we hold the key), as setup's proof does.
    const relogin = async (): Promise<void> => void (asUser.accessToken = (await jwtLogin(await this.loginOptions())).accessToken);
    return { report: await checkEventLogs(asUser, this.username, VENDOR_EVENT_TYPES, relogin), who: this.username, asIntegrationUser: true };
  }
}

type StatRow = { EventType: string; Interval: string; expr0: number; expr1: string | null; expr2: string | null };

export async function readEventLogStats(conn: Connection, who: string): Promise<EventLogStat[]> {
  try {
    const rows = (await conn.query<StatRow>('SELECT EventType, Interval, COUNT(Id), MIN(LogDate), MAX(LogDate) FROM EventLogFile GROUP BY EventType, Interval')).records;
    return rows.map((r) => ({ eventType: r.EventType, interval: r.Interval, files: Number(r.expr0), oldest: r.expr1 ?? undefined, newest: r.expr2 ?? undefined }));
  } catch (error) {
    throw eventLogAccessError(error as Error, who);
  }
}
