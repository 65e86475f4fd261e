/**
 * App checks: the External Client App exists and is enabled, its OAuth plugin is on, scopes, JWT bearer
 * (a certificate), the policies the vendor guides ask for, and drift from the force-app source.
 */
import { Messages } from '@salesforce/core';
import type { ComponentKey, IpRelaxationPolicy } from '../metadata/index.js';
import { getText, type MetadataDocument } from '../metadata/xml.js';
import { componentChanges, formatChange } from '../plan/plan.js';
import { componentKey, csv, type AppFacts } from './app-facts.js';
import { setupCommand } from './checks-org.js';
import type { VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify.checks');

const IP_RELAXATION_POLICIES: IpRelaxationPolicy[] = ['Enforce', 'Bypass', 'Bypass_2factor', 'Enforce_RelaxRefresh'];
const IP_RELAXATION_LABELS = Object.fromEntries(IP_RELAXATION_POLICIES.map((p) => [p, messages.getMessage(`app.ipRelaxation.label.${p}`)])) as Record<IpRelaxationPolicy, string>;

/** The app's facts; SkipCheck (see app.exists) when it does not exist. */
export async function existingApp(ctx: VerifyContext): Promise<AppFacts> {
  const app = await need(ctx.app, 'app.exists');
  if (!app.exists) throw new SkipCheck(messages.getMessage('skip.noApp', [ctx.options.appName]));
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
  return fail(messages.getMessage('app.component.missing', [name]), messages.getMessages('app.component.missing.actions', [setupCommand(ctx)]));
}

export const appChecks: Array<Check<VerifyContext>> = [
  {
    id: 'app.exists',
    group: 'app',
    title: messages.getMessage('app.exists.title'),
    async run(ctx) {
      const app = await ctx.app();
      if (!app.exists) return fail(messages.getMessage('app.exists.fail', [ctx.options.appName]), messages.getMessages('app.exists.fail.actions', [setupCommand(ctx)]));
      const eca = app.doc('eca');
      const field = (name: string): string => (eca ? getText(eca, name) ?? '?' : '?');
      return pass(messages.getMessage('app.exists.pass', [ctx.options.appName, field('label'), field('contactEmail')]));
    },
  },
  {
    id: 'app.enabled',
    group: 'app',
    title: messages.getMessage('app.enabled.title'),
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'appPolicy');
      if (!doc) return missing(name, ctx);
      if (isTrue(getText(doc, 'isEnabled'))) return pass(messages.getMessage('app.enabled.pass'));
      return fail(messages.getMessage('app.enabled.fail'), messages.getMessages('app.enabled.fail.actions', [ctx.options.appName, setupCommand(ctx)]));
    },
  },
  {
    id: 'app.oauthPlugin',
    group: 'app',
    title: messages.getMessage('app.oauthPlugin.title'),
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'appPolicy');
      if (!doc) return missing(name, ctx);
      const value = getText(doc, 'isOauthPluginEnabled');
      if (value === undefined || isTrue(value)) return pass(messages.getMessage('app.oauthPlugin.pass'));
      return fail(messages.getMessage('app.oauthPlugin.fail'), messages.getMessages('app.oauthPlugin.fail.actions', [ctx.options.appName, setupCommand(ctx)]));
    },
  },
  {
    id: 'app.scopes',
    group: 'app',
    title: messages.getMessage('app.scopes.title'),
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'oauthSettings');
      if (!doc) return missing(name, ctx);
      const scopes = csv(getText(doc, 'commaSeparatedOauthScopes'));
      const lower = scopes.map((s) => s.toLowerCase());
      const absent = ['Api', 'RefreshToken'].filter((s) => !lower.includes(s.toLowerCase()));
      if (absent.length === 0) return pass(messages.getMessage('app.scopes.pass', [scopes.join(', ')]));
      const message =
        scopes.length === 0
          ? messages.getMessage('app.scopes.fail.none')
          : messages.getMessage(absent.length > 1 ? 'app.scopes.fail.both' : 'app.scopes.fail', [scopes.join(', '), absent[0]]);
      return fail(message, messages.getMessages('app.scopes.fail.actions', [ctx.options.appName, setupCommand(ctx)]));
    },
  },
  {
    id: 'app.jwtEnabled',
    group: 'app',
    title: messages.getMessage('app.jwtEnabled.title'),
    async run(ctx) {
      await existingApp(ctx);
      const global = await ctx.globalSettings();
      const actionTokens = [ctx.options.appName, setupCommand(ctx)];
      if (!global.xml) {
        return fail(messages.getMessage('app.jwtEnabled.fail.noOauth', [ctx.names.globalSettings]), messages.getMessages('app.jwtEnabled.fail.noOauth.actions', actionTokens));
      }
      if (!global.certificate?.trim()) {
        // Some orgs are reported not to show an ECA's certificate at all (issue #8, UNVERIFIED): a live login settles it.
        const login = await ctx.login().catch(() => undefined);
        if (login) return pass(messages.getMessage('app.jwtEnabled.pass.proved', [ctx.username, login.tokenUrl]));
        return fail(messages.getMessage('app.jwtEnabled.fail'), messages.getMessages('app.jwtEnabled.fail.actions', actionTokens));
      }
      return pass(messages.getMessage('app.jwtEnabled.pass'));
    },
  },
  {
    id: 'app.permittedUsers',
    group: 'app',
    title: messages.getMessage('app.permittedUsers.title'),
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'oauthPolicy');
      if (!doc) return missing(name, ctx);
      const app = await existingApp(ctx);
      const type = getText(doc, 'permittedUsersPolicyType') ?? 'AllSelfAuthorized';
      const profiles = csv(getText(doc, 'commaSeparatedProfile'));
      const sets = csv(getText(doc, 'commaSeparatedPermissionSet'));
      const ours = { profile: app.bundle.names.profile, permissionSet: app.bundle.names.permissionSet };
      const covered = profiles.some((p) => p.toLowerCase() === ours.profile.toLowerCase()) || sets.some((s) => s.toLowerCase() === ours.permissionSet.toLowerCase());
      const actions = messages.getMessages('app.permittedUsers.fail.actions', [ctx.options.appName, ours.profile, ours.permissionSet, setupCommand(ctx)]);
      if (type !== 'AdminApprovedPreAuthorized') return fail(messages.getMessage('app.permittedUsers.fail.selfAuthorized', [type]), actions);
      const none = messages.getMessage('value.none');
      const [profileList, setList] = [profiles.join(', ') || none, sets.join(', ') || none];
      if (!covered) return fail(messages.getMessage('app.permittedUsers.fail.notCovered', [ours.profile, ours.permissionSet, profileList, setList]), actions);
      return pass(messages.getMessage('app.permittedUsers.pass', [profileList, setList]));
    },
  },
  {
    id: 'app.refreshToken',
    group: 'app',
    title: messages.getMessage('app.refreshToken.title'),
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'oauthPolicy');
      if (!doc) return missing(name, ctx);
      const policy = getText(doc, 'refreshTokenPolicyType') ?? messages.getMessage('value.notSet');
      if (policy === 'Infinite') return pass(messages.getMessage('app.refreshToken.pass'));
      const actions = messages.getMessages('app.refreshToken.actions', [ctx.options.appName, setupCommand(ctx)]);
      const period = [getText(doc, 'refreshTokenValidityPeriod'), getText(doc, 'refreshTokenValidityUnit')].filter(Boolean).join(' ');
      if (policy === 'Zero') return fail(messages.getMessage('app.refreshToken.fail.zero'), actions);
      return warn(period ? messages.getMessage('app.refreshToken.warn.period', [policy, period]) : messages.getMessage('app.refreshToken.warn', [policy]), actions);
    },
  },
  {
    id: 'app.ipRelaxation',
    group: 'app',
    title: messages.getMessage('app.ipRelaxation.title'),
    async run(ctx) {
      const { doc, name } = await appComponent(ctx, 'oauthPolicy');
      if (!doc) return missing(name, ctx);
      const actual = (getText(doc, 'ipRelaxationPolicyType') ?? 'Enforce') as IpRelaxationPolicy;
      const expected = ctx.options.ipRelaxation;
      const label = IP_RELAXATION_LABELS[actual] ?? actual;
      if (actual === expected) return pass(messages.getMessage('app.ipRelaxation.pass', [label]));
      return warn(
        messages.getMessage(actual === 'Enforce' ? 'app.ipRelaxation.warn.enforced' : 'app.ipRelaxation.warn', [label, IP_RELAXATION_LABELS[expected]]),
        messages.getMessages('app.ipRelaxation.warn.actions', [ctx.options.appName, IP_RELAXATION_LABELS[expected], setupCommand(ctx)])
      );
    },
  },
  {
    id: 'app.drift',
    group: 'app',
    title: messages.getMessage('app.drift.title'),
    async run(ctx) {
      const app = await existingApp(ctx);
      const compared = app.bundle.components.filter((c) => c.stage === 'stage1' || c.stage === 'stage2');
      // The same comparison setup's plan makes: a field changed behind setup's back reads the same in both.
      const details = compared.flatMap((c) => componentChanges(c, app.inOrg.get(componentKey(c.type, c.fullName))).map(formatChange));
      // The bundled variants name no folder: util.format leaves the last token out.
      const { metadataSource: source, sourceDir } = ctx.options;
      if (details.length === 0) return pass(messages.getMessage(`app.drift.pass.${source}`, [compared.length, sourceDir]));
      return warn(messages.getMessage(`app.drift.warn.${source}`, [details.length, sourceDir]), messages.getMessages('app.drift.warn.actions', [setupCommand(ctx)]), details);
    },
  },
];
