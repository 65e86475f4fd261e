/**
 * `sf anzenna setup`, step by step: preflight (every read, nothing written), key material, render, deploy
 * only what differs, the integration user, the consumer key read back, the live proof, the hand-off.
 * Each step is a small module; this file only orders them and keeps the record of what ran.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection as JsforceConnection } from '@jsforce/jsforce-node';
import { SfError, type Connection, type Org } from '@salesforce/core';
import { renderBundle, type RenderBundleResult, type RenderedComponent } from '../metadata/index.js';
import { getText, parseMetadataXml } from '../metadata/xml.js';
import { compareXml, sameCertificate } from './drift.js';
import { checkEventLogs, type EventLogReport } from './event-log-check.js';
import { applyIntegrationUser, assertUsableUser, plannedUserChanges, readIntegrationUser, type UserPlan } from './integration-user.js';
import { jwtLogin, loginPairs, type JwtLoginResult } from './jwt-login.js';
import { prepareKeyMaterial, type KeyMaterial } from './key-material.js';
import { deployDirectory, listNames, listPolicyNames, readBundleFromOrg, readComponentXml } from './metadata-transfer.js';
import { assertAdminRights, assertSeatsFree, readAdminFacts, readLicenceFacts, readOrgFacts, type OrgFacts } from './org-facts.js';
import { vendorBlocks, type CheckOutcome, type SetupChange, type SetupResult } from './result.js';
import type { KeyFormat } from '../cert/index.js';
import type { ResolvedInputs } from './options.js';

export type SetupOptions = Omit<ResolvedInputs, 'waitMinutes'> & {
  keySize: number;
  keyFormat: KeyFormat;
  validityDays: number;
  dryRun: boolean;
  waitMs: number;
  sourceDir: string;
  metadataSource: 'project' | 'bundled';
};

export type SetupUi = {
  step(title: string): void;
  status(message: string): void;
  done(summary?: string): void;
  warn(message: string): void;
  /** Asked before a production org is changed; false stops the run. */
  confirm(plan: string[]): Promise<boolean>;
};

type StageKey = 'stage1' | 'stage2' | 'event-log-generation' | 'real-time-events';

const STAGE_TITLES: Record<StageKey, string> = {
  stage1: 'integration profile and permission sets',
  stage2: 'External Client App',
  'event-log-generation': 'event log generation',
  'real-time-events': 'Event Manager storage of ReportEvent and LoginEvent',
};

/** The org settings setup turns on best effort, each its own stage and its own Settings component. */
const SETTINGS_STAGES = ['event-log-generation', 'real-time-events'] as const;

/** In the description of every permission set sf-anzenna deploys (force-app): what marks it as ours. */
const MANAGED_MARKER = 'Managed by sf-anzenna';

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function settledValue<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** Default integration username: same domain as the admin's, so it is unique to the org's naming. */
export function defaultIntegrationUsername(appName: string, adminUsername: string): string {
  const domain = adminUsername.split('@')[1] ?? 'example.com';
  return `${appName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-integration@${domain}`;
}

function consumerKeyOf(xml: string | undefined): string | undefined {
  if (!xml) return undefined;
  return getText(parseMetadataXml(xml, 'global OAuth settings (org)'), 'consumerKey')?.trim() || undefined;
}

/** Which stages differ from the org (a missing component counts as different). */
function stagesToDeploy(
  bundle: RenderBundleResult,
  rendered: Map<string, string>,
  inOrg: Map<string, string>,
  stages: StageKey[]
): Map<StageKey, string[]> {
  const result = new Map<StageKey, string[]>();
  for (const stage of stages) {
    const lines: string[] = [];
    for (const component of bundle.components.filter((c) => c.stage === stage)) {
      const ours = rendered.get(component.file) ?? '';
      const diffs = compareXml(ours, inOrg.get(`${component.type}:${component.fullName}`), component.path);
      if (diffs.length === 1 && diffs[0].field === '(component)') lines.push(`${component.type} ${component.fullName} (new)`);
      else for (const d of diffs) lines.push(`${component.type} ${component.fullName}: ${d.field} ${d.actual} → ${d.expected}`);
    }
    if (lines.length > 0) result.set(stage, lines);
  }
  return result;
}

/** The rendered files' text, keyed by path. */
async function loadRendered(components: readonly RenderedComponent[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const c of components) texts.set(c.file, await readFile(c.file, 'utf8'));
  return texts;
}

export async function runSetup(org: Org, options: SetupOptions, ui: SetupUi): Promise<SetupResult> {
  const conn: Connection = org.getConnection();
  const adminUsername = org.getUsername() ?? '';
  const checks: CheckOutcome[] = [];
  const changes: SetupChange[] = [];
  const pass = (id: string, message: string): void => void checks.push({ id, status: 'pass', message });
  const warn = (id: string, message: string): void => {
    checks.push({ id, status: 'warn', message });
    ui.warn(message);
  };

  // 1. Preflight: local inputs first (no request), then the org, read-only.
  ui.step('Checking the certificate and the org');
  const outputDir = options.outputDir ?? join(process.cwd(), 'anzenna-jwt');
  const keys: KeyMaterial = await prepareKeyMaterial({
    certificateFile: options.certificateFile,
    privateKeyFile: options.privateKeyFile,
    outputDir,
    fileBase: options.appName.toLowerCase(),
    appName: options.appName,
    keySize: options.keySize,
    keyFormat: options.keyFormat,
    validityDays: options.validityDays,
  });
  for (const w of keys.warnings) warn('certificate.expiry', w);
  pass('certificate', `Certificate ${keys.info.subject}, RSA ${keys.info.keyBits}, valid until ${keys.info.notAfter} (${keys.mode}).`);

  // Every read that does not depend on another runs at once; errors are then reported in this order,
  // so an edition without Event Monitoring is what an admin hears first.
  const username = options.integrationUser ?? defaultIntegrationUsername(options.appName, adminUsername);
  const [factsRead, adminRead, licencesRead, userRead, existingRead, eventSettingsRead, realTimeRead] = await Promise.allSettled([
    readOrgFacts(conn),
    readAdminFacts(conn, adminUsername),
    readLicenceFacts(conn),
    readIntegrationUser(conn, username),
    listNames(conn, ['ExternalClientApplication', 'Profile', 'PermissionSet']),
    readComponentXml(conn, 'EventSettings', 'Event'),
    options.realTimeEvents ? readComponentXml(conn, 'RealTimeEventSettings', 'RealTimeEvent') : Promise.resolve(undefined),
  ]);
  const facts: OrgFacts = settledValue(factsRead);
  pass('org.edition', `${facts.name} (${facts.orgId}): ${facts.edition}${facts.isSandbox ? ', sandbox' : ''}.`);
  const admin = settledValue(adminRead);
  assertAdminRights(admin);
  pass('admin.rights', `${admin.username} can deploy metadata and manage users.`);
  const adminEmail = options.integrationUserEmail ?? admin.email;
  const licences = settledValue(licencesRead);
  const userState = settledValue(userRead);
  assertUsableUser(userState);
  assertSeatsFree(licences, !userState.id, !userState.hasPsl);
  pass('licences', userState.id ? `Integration user ${username} exists.` : `A Salesforce Integration licence and an API Integration permission set licence are free for ${username}.`);
  const existing = settledValue(existingRead);
  // Event settings can be unreadable where the feature is off; that only means "deploy them (best effort)".
  const settingsXml = new Map<string, string | undefined>([
    ['Event', eventSettingsRead.status === 'fulfilled' ? eventSettingsRead.value : undefined],
    ['RealTimeEvent', realTimeRead.status === 'fulfilled' ? realTimeRead.value : undefined],
  ]);
  const withSettings = (map: Map<string, string>): Map<string, string> => {
    for (const [name, xml] of settingsXml) if (xml) map.set(`Settings:${name}`, xml);
    return map;
  };

  // 2. Render what we want, reusing the org's consumer key and policy names when the app exists.
  const work = await mkdtemp(join(tmpdir(), 'anzenna-setup-'));
  let settingsDeploy: Promise<void> = Promise.resolve();
  try {
    const render = async (consumerKey?: string, policyNames: { oauth?: string; app?: string } = {}, orgId?: string): Promise<RenderBundleResult> => {
      await rm(join(work, 'bundle'), { recursive: true, force: true });
      const bundle = await renderBundle({
        sourceDir: options.sourceDir,
        outputDir: join(work, 'bundle'),
        appName: options.appName,
        label: options.label,
        contactEmail: options.contactEmail,
        ipRelaxation: options.ipRelaxation,
        viewAllData: options.viewAllData,
        setupAudit: options.setupAudit,
        oauthPolicyName: policyNames.oauth,
        appPolicyName: policyNames.app,
        oauth: { certificatePem: keys.certificatePem, callbackUrl: facts.myDomainUrl, consumerKey, keepOrgConsumerKey: orgId !== undefined && !consumerKey },
        orgId,
      });
      return bundle;
    };
    let bundle = await render();
    // A fresh org holds none of our components: nothing to compare, so no retrieve (it costs a queued job).
    const ours = (type: string, names: string[]): boolean => names.some((n) => existing.get(type)?.some((m) => m.toLowerCase() === n.toLowerCase()));
    const fresh =
      !ours('ExternalClientApplication', [bundle.names.eca]) &&
      !ours('Profile', [bundle.names.profile]) &&
      !ours('PermissionSet', [...bundle.preAuthorized.permissionSets]);
    let inOrg = new Map<string, string>();
    if (!fresh) {
      ui.status('reading the components already in the org');
      inOrg = await readBundleFromOrg(conn, bundle);
    }
    withSettings(inOrg);
    // A permission set of that name that sf-anzenna did not make (its description says so) is someone else's:
    // deploying ours over it would switch off every permission it grants that ours does not list.
    for (const name of bundle.preAuthorized.permissionSets) {
      const xml = inOrg.get(`PermissionSet:${name}`);
      const description = xml ? getText(parseMetadataXml(xml, `permission set ${name} (org)`), 'description') ?? '' : undefined;
      if (description !== undefined && !description.includes(MANAGED_MARKER)) {
        throw new SfError(`The org already has a permission set named ${name} that sf-anzenna did not create.`, 'PermissionSetNameTakenError', [
          'Run setup with another --app-name: the permission sets are named after the app.',
          `Or, if that permission set is an earlier manual setup of this integration, add "${MANAGED_MARKER}" to its description to let setup take it over.`,
        ]);
      }
    }
    const appExists = inOrg.has(`ExternalClientApplication:${bundle.names.eca}`);
    const existingKey = consumerKeyOf(inOrg.get(`ExtlClntAppGlobalOauthSettings:${bundle.names.globalSettings}`));
    if (appExists) {
      // Salesforce may have named the auto-created policies differently; update those instead of adding a duplicate.
      const policyNames =
        inOrg.has(`ExtlClntAppOauthConfigurablePolicies:${bundle.names.oauthPolicy}`) && inOrg.has(`ExtlClntAppConfigurablePolicies:${bundle.names.appPolicy}`)
          ? {}
          : await listPolicyNames(conn, options.appName);
      // A new key pair must not silently replace the certificate the app already trusts (the vendor's, or the
      // one whose key lives in another directory): that would cut the vendor off.
      const globalInOrg = inOrg.get(`ExtlClntAppGlobalOauthSettings:${bundle.names.globalSettings}`);
      const orgCertificate = globalInOrg ? getText(parseMetadataXml(globalInOrg, 'global OAuth settings (org)'), 'certificate') : undefined;
      if (keys.mode === 'generated' && orgCertificate && !sameCertificate(orgCertificate, keys.certificatePem)) {
        throw new SfError(
          `The app ${options.appName} already has a certificate, and no key pair was found in ${outputDir}: a new pair would replace the deployed certificate and cut off whoever signs with its key.`,
          'CertificateWouldBeReplacedError',
          [
            `Run from the directory that holds anzenna-jwt/, or point --output-dir at it (--private-key-file and --certificate-file also work).`,
            'With the vendor\'s certificate, pass it again with --certificate-file.',
            'To rotate on purpose: sf anzenna cert generate, then setup with --certificate-file and --private-key-file of the new pair.',
          ]
        );
      }
      if (!existingKey) warn('consumerKey', 'The app\'s consumer key could not be read (Metadata API access to consumer secrets may be off): its key is kept as it is; copy it from Setup > External Client App Manager > ' + options.appName + ' > OAuth Settings.');
      bundle = await render(existingKey, { oauth: policyNames.oauthPolicyName, app: policyNames.appPolicyName }, facts.orgId);
      if (policyNames.oauthPolicyName || policyNames.appPolicyName) {
        inOrg = withSettings(await readBundleFromOrg(conn, bundle));
      }
    }
    ui.done();

    const stages = stagesToDeploy(bundle, await loadRendered(bundle.components), inOrg, [
      'stage1',
      'stage2',
      'event-log-generation',
      ...(options.realTimeEvents ? (['real-time-events'] as const) : []),
    ]);
    const userPlan: UserPlan = {
      username,
      email: adminEmail,
      profileName: bundle.names.profile,
      permissionSets: [...bundle.preAuthorized.permissionSets],
      revokePermissionSets: [
        ...(options.viewAllData ? [] : [bundle.names.viewAllDataPermissionSet]),
        ...(options.setupAudit ? [] : [bundle.names.setupAuditPermissionSet]),
      ],
      pslId: licences.apiIntegrationPsl?.id ?? '',
    };
    const userChanges = plannedUserChanges(userState, userPlan);
    const plan = [
      ...[...stages.entries()].map(([stage, lines]) => `deploy the ${STAGE_TITLES[stage]} (${lines.length} difference(s))`),
      ...(keys.mode === 'generated' ? [`write a new key pair to ${outputDir} (key mode 0600)`] : []),
      ...userChanges.map((c) => `${c.action}: ${c.detail}`),
    ];

    // 3. Production: show the plan and ask, unless told not to.
    if (!facts.isSandbox && plan.length > 0 && !options.dryRun) {
      const go = await ui.confirm(plan);
      if (!go) {
        throw new SfError('Stopped before changing the org: not confirmed.', 'SetupNotConfirmedError', [
          'Run it against a sandbox first, then here again and confirm; in CI pass --no-prompt.',
        ]);
      }
    }

    // 4. Key material: written only now, when the org has passed preflight (never on --dry-run).
    if (keys.write && !options.dryRun) {
      await keys.write();
      changes.push({ action: 'write key pair', detail: `${keys.privateKeyPath} (0600), ${keys.certificatePath}` });
    }

    // 5. Deploy what differs: profile and permission sets first (the app's policy names them), then the app.
    //    A dry run cannot validate the app while the profile and permission set it names are not in the org yet
    //    (check-only deploys apply nothing), so then it validates those and says so for the app.
    const dryRunSkipsApp = options.dryRun && stages.has('stage1') && stages.has('stage2');
    const batches = (['stage1', 'stage2'] as const)
      .filter((st) => stages.has(st) && !(dryRunSkipsApp && st === 'stage2'))
      .map((st) => ({ stages: [st], title: STAGE_TITLES[st] }));
    if (dryRunSkipsApp) {
      checks.push({ id: 'deploy.stage2', status: 'skip', message: 'The External Client App can be validated once its profile and permission set exist: run setup, or --dry-run again after the first stage is deployed.' });
    }
    for (const stage of ['stage1', 'stage2'] as const) {
      if (!stages.has(stage)) pass(`deploy.${stage}`, `The ${STAGE_TITLES[stage]} already match the source.`);
    }
    const knownIds = new Map<string, string>();
    for (const batch of batches.filter((b) => b.stages.length > 0)) {
      ui.step(`${options.dryRun ? 'Validating' : 'Deploying'} the ${batch.title}`);
      const outcome = await deployDirectory(
        conn,
        batch.stages.map((st) => bundle.dirs[st]),
        `the ${batch.title}`,
        { checkOnly: options.dryRun, onProgress: (m) => ui.status(m) }
      );
      ui.done(outcome.status);
      for (const [key, id] of outcome.ids) knownIds.set(key.slice(key.indexOf(':') + 1), id);
      for (const stage of batch.stages) {
        pass(`deploy.${stage}`, `${options.dryRun ? 'Validated' : 'Deployed'} the ${STAGE_TITLES[stage]} (${outcome.id}).`);
        if (!options.dryRun) changes.push({ action: 'deploy', detail: `${STAGE_TITLES[stage]}: ${(stages.get(stage) ?? []).join('; ')}` });
      }
    }
    // The org settings are best effort and nothing that follows needs them: each its own deploy (rolled back
    // alone: production orgs refuse deploys without rollback), run while the user is set up and the login is
    // proved; a refusal is a warning.
    if (!stages.has('event-log-generation')) pass('deploy.event-log-generation', 'Event log generation was already on.');
    if (options.realTimeEvents && !stages.has('real-time-events')) pass('deploy.real-time-events', 'Event Manager storage was already on.');
    settingsDeploy = Promise.all(
      SETTINGS_STAGES.filter((st) => stages.has(st)).map((stage) =>
        deployDirectory(conn, [bundle.dirs[stage]], `the ${STAGE_TITLES[stage]} setting`, { checkOnly: options.dryRun }).then(
          () => {
            pass(`deploy.${stage}`, `${capitalise(STAGE_TITLES[stage])} ${options.dryRun ? 'can be switched on' : 'is on'}.`);
            if (!options.dryRun) changes.push({ action: 'deploy', detail: `${STAGE_TITLES[stage]} on` });
          },
          (error: SfError) => {
            const failure = (error.data as { failures?: Array<{ problem: string }> } | undefined)?.failures?.[0]?.problem ?? error.message;
            warn(`deploy.${stage}`, `${capitalise(STAGE_TITLES[stage])} could not be switched on: ${failure}. Check Setup > Event Monitoring Settings (the org may lack the feature or the add-on).`);
          }
        )
      )
    ).then(() => undefined);

    // 6. The integration user (dry run: only report).
    if (options.dryRun) {
      for (const c of userChanges) changes.push({ action: `would ${c.action}`, detail: c.detail });
    } else if (userChanges.length > 0) {
      ui.step('Setting up the integration user');
      const applied = await applyIntegrationUser(conn, userState, userPlan, admin, knownIds);
      changes.push(...applied.changes);
      ui.done();
    }
    pass('integrationUser', `${username}: profile ${userPlan.profileName}, permission sets ${userPlan.permissionSets.join(', ')}.`);

    // 7. The consumer key, as the org has it now.
    let consumerKey = bundle.consumerKey;
    if (stages.has('stage2') && !options.dryRun) {
      // A failed read-back must not undo a finished setup: it only means the key shown is the one deployed.
      const orgKey = consumerKeyOf(await readComponentXml(conn, 'ExtlClntAppGlobalOauthSettings', bundle.names.globalSettings).catch(() => undefined));
      if (!orgKey) {
        warn('consumerKey', 'The consumer key could not be read back (Metadata API access to consumer secrets may be off); the key we deployed is shown.');
      } else if (orgKey !== consumerKey) {
        warn('consumerKey', 'Salesforce kept its own consumer key instead of the one deployed; the org\'s key is shown.');
        consumerKey = orgKey;
      } else {
        pass('consumerKey', 'The consumer key read back from the org matches the one deployed.');
      }
    } else if (existingKey) {
      consumerKey = existingKey;
      pass('consumerKey', 'Using the app\'s existing consumer key.');
    }

    // 8. The proof.
    const pairs = loginPairs(facts.myDomainUrl, facts.isSandbox);
    let login: JwtLoginResult | undefined;
    let eventLogs: EventLogReport | undefined;
    if (options.dryRun) {
      checks.push({ id: 'jwt.login', status: 'skip', message: 'Dry run: nothing was deployed, so there is nothing to log in to yet.' });
    } else if (keys.privateKey && !consumerKey) {
      checks.push({ id: 'jwt.login', status: 'skip', message: 'The consumer key could not be read from the org, so the JWT login cannot be tried here: run sf anzenna verify --consumer-key <key from Setup>.' });
    } else if (keys.privateKey) {
      ui.step(`Logging in as ${username} with the JWT bearer flow`);
      login = await jwtLogin({
        consumerKey,
        username,
        privateKey: keys.privateKey,
        myDomainUrl: facts.myDomainUrl,
        isSandbox: facts.isSandbox,
        waitMs: options.waitMs,
        onRetry: (m) => ui.status(m),
      });
      ui.done();
      pass('jwt.login', `JWT bearer login as ${username} succeeded at ${login.tokenUrl} (audience ${login.audience}).`);
      ui.step('Reading event log files as the integration user');
      const asUser = new JsforceConnection({ instanceUrl: login.instanceUrl, accessToken: login.accessToken, version: conn.getApiVersion() });
      eventLogs = await checkEventLogs(asUser, username);
      ui.done();
    } else {
      checks.push({ id: 'jwt.login', status: 'skip', message: 'The vendor holds the private key: the live JWT login is theirs to run (their "Connected" status).' });
      ui.step('Reading event log files as the admin');
      eventLogs = await checkEventLogs(conn, admin.username);
      ui.done();
    }
    if (eventLogs) {
      pass('eventLogs.query', `EventLogFile is readable: ${eventLogs.types.filter((t) => t.files > 0).length} of ${eventLogs.types.length} vendor event types have files.`);
      for (const note of eventLogs.notes) warn('eventLogs.note', note);
      if (eventLogs.sample) {
        const s = eventLogs.sample;
        checks.push({
          id: 'eventLogs.download',
          status: s.headerMatches ? 'pass' : 'warn',
          message: `Read the ${s.eventType} log of ${s.logDate} (${s.length} bytes): CSV header ${s.headerMatches ? 'matches' : 'does not match'} LogFileFieldNames.`,
        });
      }
    }

    await settingsDeploy;
    const tokenUrl = login?.tokenUrl ?? pairs[0].tokenUrl;
    const audience = login?.audience ?? pairs[0].audience;
    return {
      appName: options.appName,
      consumerKey,
      instanceUrl: facts.myDomainUrl,
      username,
      adminEmail,
      tokenUrl,
      audience,
      privateKeyPath: keys.privateKeyPath,
      certificatePath: keys.certificatePath,
      certificateExpiresAt: keys.info.notAfter,
      certificateSha256: keys.info.sha256Fingerprint,
      keyMode: keys.mode,
      orgId: facts.orgId,
      edition: facts.edition,
      isSandbox: facts.isSandbox,
      dryRun: options.dryRun,
      metadataSource: options.metadataSource,
      changed: changes.length > 0 && !options.dryRun,
      changes,
      checks,
      eventLogs: eventLogs && {
        types: eventLogs.types.map((t) => ({ eventType: t.eventType, files: t.files, newestLogDate: t.newestLogDate, intervals: t.intervals })),
        sampleFile: eventLogs.sample && {
          id: eventLogs.sample.id,
          eventType: eventLogs.sample.eventType,
          logDate: eventLogs.sample.logDate,
          bytes: eventLogs.sample.length,
          headerMatches: eventLogs.sample.headerMatches,
        },
      },
      vendor: vendorBlocks({ consumerKey, instanceUrl: facts.myDomainUrl, adminEmail, username, tokenUrl, audience, privateKeyPath: keys.privateKeyPath }),
    };
  } finally {
    // The settings deploy reads from `work`: let it finish (its outcome is already handled) before cleaning up.
    await settingsDeploy.catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}
