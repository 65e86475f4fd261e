/**
 * App checks: the External Client App exists and is enabled, its OAuth plugin is on, scopes, JWT bearer
 * (a certificate), the policies the vendor guides ask for, and drift from the force-app source.
 */
import type { ComponentKey, IpRelaxationPolicy } from '../metadata/index.js';
import { getText, type MetadataDocument } from '../metadata/xml.js';
import { componentChanges, formatChange } from '../plan/plan.js';
import { componentKey, csv, type AppFacts } from './app-facts.js';
import { setupCommand } from './checks-org.js';
import type { VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn } from './types.js';

const IP_RELAXATION_LABELS: Record<IpRelaxationPolicy, string> = {
  Enforce: 'Enforce IP restrictions',
  Bypass: 'Relax IP restrictions',
  Bypass_2factor: 'Relax IP restrictions with second factor',
  Enforce_RelaxRefresh: 'Enforce IP restrictions, but relax for refresh tokens',
};

const appPath = (ctx: VerifyContext): string => `Setup > External Client App Manager > ${ctx.options.appName}`;
const policiesPath = (ctx: VerifyContext): string => `${appPath(ctx)} > Policies > Edit`;

/** The app's facts; SkipCheck (see app.exists) when it does not exist. */
export async function existingApp(ctx: VerifyContext): Promise<AppFacts> {
  const app = await need(ctx.app, 'app.exists');
  if (!app.exists) throw new SkipCheck(`The External Client App ${ctx.options.appName} does not exist (see app.exists).`);
  return app;
}

/** The org's copy of one component of the app, or a failure naming it. */
async function appComponent(ctx: VerifyContext, key: ComponentKey): Promise<{ doc?: MetadataDocument; name: string }> {
  const app = await existingApp(ctx);
  const ref = app.bundle.components.find((c) => c.key === key);
  return { doc: app.doc(key), name: `${ref?.type ?? key} ${ref?.fullName ?? ''}`.trim() };
}

const isTrue = (value: string | undefined): boolean => value?.trim().toLowerCase() === 'true';

function missing(name: string, ctx: VerifyContext): ReturnType<typeof fail> {
  return fail(`The org has no ${name}.`, [`Run ${setupCommand(ctx)} to deploy it.`]);
}

export const appChecks: Array<Check<VerifyContext>> = [
  {
    id: 'app.exists',
    group: 'app',
    title: 'External Client App exists',
    async run(ctx) {
      const app = await ctx.app();
      if (!app.exists) {
        return fail(`The org has no External Client App named ${ctx.options.appName}.`, [
          `Run ${setupCommand(ctx)} to create it.`,
          'If it exists under another API name, pass it with --app-name.',
        ]);
      }
      const eca = app.doc('eca');
      return pass(`External Client App ${ctx.options.appName} exists (label "${eca ? getText(eca, 'label') ?? '?' : '?'}", contact ${eca ? getText(eca, 'contactEmail') ?? '?' : '?'}).`);
    },
  },
  {
    id: 'app.enabled',
    group: 'app',
    title: 'App is enabled',
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'appPolicy');
      if (!doc) return missing(name, ctx);
      if (isTrue(getText(doc, 'isEnabled'))) return pass('The app is enabled (its plugins are on unless switched off one by one).');
      return fail('The app is disabled (isEnabled = false): Salesforce refuses every login through it ("invalid_client_id").', [
        `${policiesPath(ctx)} > App Policies: select "Enable app", then Save.`,
        `Or run ${setupCommand(ctx)}.`,
      ]);
    },
  },
  {
    id: 'app.oauthPlugin',
    group: 'app',
    title: 'OAuth plugin is enabled',
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'appPolicy');
      if (!doc) return missing(name, ctx);
      const value = getText(doc, 'isOauthPluginEnabled');
      if (value === undefined || isTrue(value)) return pass('The OAuth plugin is enabled.');
      return fail('The app\'s OAuth plugin is disabled (isOauthPluginEnabled = false): no OAuth flow works, JWT bearer included.', [
        `${policiesPath(ctx)} > Plugin Policies: enable the OAuth plugin, then Save.`,
        `Or run ${setupCommand(ctx)}.`,
      ]);
    },
  },
  {
    id: 'app.scopes',
    group: 'app',
    title: 'OAuth scopes include Api and RefreshToken',
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'oauthSettings');
      if (!doc) return missing(name, ctx);
      const scopes = csv(getText(doc, 'commaSeparatedOauthScopes'));
      const lower = scopes.map((s) => s.toLowerCase());
      const absent = ['Api', 'RefreshToken'].filter((s) => !lower.includes(s.toLowerCase()));
      if (absent.length === 0) return pass(`OAuth scopes: ${scopes.join(', ')}.`);
      return fail(`The app's OAuth scopes (${scopes.join(', ') || 'none'}) lack ${absent.join(' and ')}.`, [
        `${appPath(ctx)} > Settings > Edit > OAuth Settings > OAuth Scopes: add "Manage user data via APIs (api)" and "Perform requests at any time (refresh_token, offline_access)", then Save.`,
        `Or run ${setupCommand(ctx)}.`,
      ]);
    },
  },
  {
    id: 'app.jwtEnabled',
    group: 'app',
    title: 'JWT bearer flow is on (certificate uploaded)',
    async run(ctx) {
      await existingApp(ctx);
      const global = await ctx.globalSettings();
      if (!global.xml) {
        return fail(`The app has no global OAuth settings (${ctx.names.globalSettings}): OAuth is not set up, so there is no consumer key and no JWT bearer flow.`, [
          `${appPath(ctx)} > Settings > Edit: select "Enable OAuth", then "Enable JWT Bearer Flow" and upload the certificate.`,
          `Or run ${setupCommand(ctx)}.`,
        ]);
      }
      if (!global.certificate?.trim()) {
        // Some orgs are reported not to show an ECA's certificate at all (issue #8, UNVERIFIED): a live login settles it.
        const login = await ctx.login().catch(() => undefined);
        if (login) return pass(`The org does not show the app's certificate, but the live JWT login as ${ctx.username} (${login.tokenUrl}) succeeded: a certificate matching the local key is uploaded and the JWT bearer flow is on.`);
        return fail('No certificate is uploaded, so the JWT bearer flow is off (or the org does not show it, and no live JWT login here proves it).', [
          'If the app has a certificate that the org does not show, prove it with the live login: pass the matching --private-key-file.',
          `${appPath(ctx)} > Settings > Edit > OAuth Settings: select "Enable JWT Bearer Flow" and upload the vendor's cert.pem (or your .crt), then Save.`,
          `Or run ${setupCommand(ctx)} --certificate-file <cert.pem>.`,
        ]);
      }
      return pass('A certificate is uploaded: the JWT bearer flow is on (see certificate.* for the certificate itself).');
    },
  },
  {
    id: 'app.permittedUsers',
    group: 'app',
    title: 'Permitted users: admin approved, our profile or permission set',
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'oauthPolicy');
      if (!doc) return missing(name, ctx);
      const app = await existingApp(ctx);
      const type = getText(doc, 'permittedUsersPolicyType') ?? 'AllSelfAuthorized';
      const profiles = csv(getText(doc, 'commaSeparatedProfile'));
      const sets = csv(getText(doc, 'commaSeparatedPermissionSet'));
      const ours = { profile: app.bundle.names.profile, permissionSet: app.bundle.names.permissionSet };
      const covered = profiles.some((p) => p.toLowerCase() === ours.profile.toLowerCase()) || sets.some((s) => s.toLowerCase() === ours.permissionSet.toLowerCase());
      const actions = [
        `${policiesPath(ctx)} > OAuth Policies > Permitted Users: "Admin approved users are pre-authorized"; under Select Profiles add "${ours.profile}", under Select Permission Sets add "${ours.permissionSet}"; Save.`,
        `Or run ${setupCommand(ctx)}.`,
      ];
      if (type !== 'AdminApprovedPreAuthorized') {
        return fail(`Permitted users is ${type} ("All users may self-authorize"): the JWT login fails with "user hasn't approved this consumer".`, actions);
      }
      if (!covered) {
        return fail(
          `Admin-approved users are pre-authorized, but neither the profile "${ours.profile}" nor the permission set "${ours.permissionSet}" is (profiles: ${profiles.join(', ') || 'none'}; permission sets: ${sets.join(', ') || 'none'}): the JWT login fails with "user is not admin approved".`,
          actions
        );
      }
      return pass(`Admin-approved users are pre-authorized: profiles ${profiles.join(', ') || 'none'}; permission sets ${sets.join(', ') || 'none'}.`);
    },
  },
  {
    id: 'app.refreshToken',
    group: 'app',
    title: 'Refresh token valid until revoked',
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'oauthPolicy');
      if (!doc) return missing(name, ctx);
      const policy = getText(doc, 'refreshTokenPolicyType') ?? 'not set';
      if (policy === 'Infinite') return pass('Refresh token policy: valid until revoked.');
      const actions = [
        `${policiesPath(ctx)} > OAuth Policies > Refresh Token Policy: "Refresh token is valid until revoked", then Save.`,
        `Or run ${setupCommand(ctx)}.`,
      ];
      const period = [getText(doc, 'refreshTokenValidityPeriod'), getText(doc, 'refreshTokenValidityUnit')].filter(Boolean).join(' ');
      if (policy === 'Zero') return fail('Refresh tokens expire immediately (refreshTokenPolicyType = Zero): the vendor cannot keep a long-term connection.', actions);
      return warn(`Refresh tokens expire (${policy}${period ? `, ${period}` : ''}); the vendor guide asks for "valid until revoked".`, actions);
    },
  },
  {
    id: 'app.ipRelaxation',
    group: 'app',
    title: 'IP relaxation as configured',
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'oauthPolicy');
      if (!doc) return missing(name, ctx);
      const actual = (getText(doc, 'ipRelaxationPolicyType') ?? 'Enforce') as IpRelaxationPolicy;
      const expected = ctx.options.ipRelaxation;
      if (actual === expected) return pass(`IP relaxation: ${IP_RELAXATION_LABELS[actual] ?? actual}, as configured.`);
      return warn(
        `IP relaxation is "${IP_RELAXATION_LABELS[actual] ?? actual}", configured is "${IP_RELAXATION_LABELS[expected]}"${
          actual === 'Enforce' ? ': logins from the vendor\'s addresses fail unless they are in the org\'s trusted IP ranges' : ''
        }.`,
        [
          `${policiesPath(ctx)} > OAuth Policies > IP Relaxation: "${IP_RELAXATION_LABELS[expected]}", then Save; or run ${setupCommand(ctx)}.`,
          'If the org\'s setting is intended, set "ipRelaxation" under "plugins.anzenna" in sfdx-project.json (or pass --ip-relaxation).',
        ]
      );
    },
  },
  {
    id: 'app.drift',
    group: 'app',
    title: 'No drift from the force-app source',
    async run(ctx) {
      const app = await existingApp(ctx);
      const compared = app.bundle.components.filter((c) => c.stage === 'stage1' || c.stage === 'stage2');
      // The same comparison setup's plan makes: a field changed behind setup's back reads the same in both.
      const details = compared.flatMap((c) => componentChanges(c, app.inOrg.get(componentKey(c.type, c.fullName))).map(formatChange));
      const source = ctx.options.metadataSource === 'project' ? `the project's force-app (${ctx.options.sourceDir})` : 'the force-app bundled with the plugin';
      if (details.length === 0) return pass(`All ${compared.length} components match ${source}.`);
      return warn(
        `${details.length} difference(s) between the org and ${source}.`,
        [
          `Run ${setupCommand(ctx)} to deploy the source again (it deploys only what differs).`,
          'If the org\'s values are intended, change force-app to match and commit it.',
        ],
        details
      );
    },
  },
];
