/**
 * Integration user checks: exists and is active, the Salesforce Integration licence, our profile, the API
 * Integration permission set licence and our permission set, effective permissions enough for EventLogFile
 * and none that are dangerous, and the email the vendor has on file.
 */
import { Messages } from '@salesforce/core';
import { INTEGRATION_USER_LICENSE, type PermissionGrant } from '../org/facts.js';
import type { IntegrationUserState } from '../org/integration-user.js';
import { setupCommand } from './checks-org.js';
import { DANGEROUS_PERMISSIONS, type VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify.checks');

async function existingUser(ctx: VerifyContext): Promise<IntegrationUserState & { id: string }> {
  const user = await need(ctx.user, 'user.exists');
  if (!user.id) throw new SkipCheck(messages.getMessage('skip.noUser', [ctx.username]));
  return user as IntegrationUserState & { id: string };
}

/** Who grants a permission: "profile" for the profile's own permission set, else the permission set's name. */
function sources(grants: readonly PermissionGrant[], permission: string): string[] {
  return grants
    .filter((g) => g.enabled.includes(permission))
    .map((g) => (g.ownedByProfile ? messages.getMessage('user.source.profile') : messages.getMessage('user.source.permissionSet', [g.permissionSet])));
}

export const userChecks: Array<Check<VerifyContext>> = [
  {
    id: 'user.exists',
    group: 'user',
    title: messages.getMessage('user.exists.title'),
    async run(ctx) {
      const user = await ctx.user();
      if (!user.id) return fail(messages.getMessage('user.exists.fail', [ctx.username]), messages.getMessages('user.exists.fail.actions', [setupCommand(ctx)]));
      return pass(messages.getMessage('user.exists.pass', [user.username, user.id]));
    },
  },
  {
    id: 'user.active',
    group: 'user',
    title: messages.getMessage('user.active.title'),
    async run(ctx) {
      const user = await existingUser(ctx);
      if (user.isActive) return pass(messages.getMessage('user.active.pass', [user.username]));
      return fail(messages.getMessage('user.active.fail', [user.username]), messages.getMessages('user.active.fail.actions', [ctx.username]));
    },
  },
  {
    id: 'user.licence',
    group: 'user',
    title: messages.getMessage('user.licence.title'),
    async run(ctx) {
      const user = await existingUser(ctx);
      if (user.licence === INTEGRATION_USER_LICENSE) return pass(messages.getMessage('user.licence.pass', [user.username, INTEGRATION_USER_LICENSE]));
      return fail(
        messages.getMessage('user.licence.fail', [user.username, user.licence ?? messages.getMessage('value.unknown'), INTEGRATION_USER_LICENSE]),
        messages.getMessages('user.licence.fail.actions', [setupCommand(ctx)])
      );
    },
  },
  {
    id: 'user.profile',
    group: 'user',
    title: messages.getMessage('user.profile.title'),
    async run(ctx) {
      const [user, app] = await Promise.all([existingUser(ctx), need(ctx.app, 'app.exists')]);
      const { profile, permissionSet } = app.bundle.names;
      if (user.profileName === profile) return pass(messages.getMessage('user.profile.pass', [user.username, profile]));
      const actions = messages.getMessages('user.profile.actions', [ctx.username, profile, setupCommand(ctx)]);
      const found = [user.username, user.profileName ?? messages.getMessage('value.unknown'), profile, permissionSet];
      if (user.permissionSets.includes(permissionSet)) return warn(messages.getMessage('user.profile.warn', found), actions);
      return fail(messages.getMessage('user.profile.fail', found), actions);
    },
  },
  {
    id: 'user.permissionSetLicence',
    group: 'user',
    title: messages.getMessage('user.permissionSetLicence.title'),
    async run(ctx) {
      const [user, licences] = await Promise.all([existingUser(ctx), ctx.licences()]);
      if (!licences.apiIntegrationPsl) {
        return fail(messages.getMessage('user.permissionSetLicence.fail.noLicence'), messages.getMessages('user.permissionSetLicence.fail.noLicence.actions'));
      }
      if (user.hasPsl) return pass(messages.getMessage('user.permissionSetLicence.pass', [user.username]));
      return fail(
        messages.getMessage('user.permissionSetLicence.fail', [user.username]),
        messages.getMessages('user.permissionSetLicence.fail.actions', [ctx.username, setupCommand(ctx)])
      );
    },
  },
  {
    id: 'user.permissionSet',
    group: 'user',
    title: messages.getMessage('user.permissionSet.title'),
    async run(ctx) {
      const [user, app] = await Promise.all([existingUser(ctx), need(ctx.app, 'app.exists')]);
      const wanted = app.bundle.preAuthorized.permissionSets;
      const absent = wanted.filter((ps) => !user.permissionSets.includes(ps));
      if (absent.length === 0) return pass(messages.getMessage('user.permissionSet.pass', [user.username, wanted.join(', ')]));
      const names = absent.join(', ');
      return fail(messages.getMessage('user.permissionSet.fail', [user.username, names]), messages.getMessages('user.permissionSet.fail.actions', [ctx.username, names, setupCommand(ctx)]));
    },
  },
  {
    id: 'user.eventLogAccess',
    group: 'user',
    title: messages.getMessage('user.eventLogAccess.title'),
    async run(ctx) {
      const grants = await need(ctx.grants, 'user.exists');
      const api = sources(grants, 'ApiEnabled');
      const elf = sources(grants, 'ViewEventLogFiles');
      const all = sources(grants, 'ViewAllData');
      const logs = elf.length > 0 || all.length > 0;
      if (api.length > 0 && logs) {
        const [key, from] = elf.length > 0 ? ['user.eventLogAccess.pass.viewEventLogFiles', elf] : ['user.eventLogAccess.pass.viewAllData', all];
        return pass(messages.getMessage(key, [api.join(', '), from.join(', ')]));
      }
      const lacks = api.length > 0 ? 'viewEventLogFiles' : logs ? 'api' : 'both';
      return fail(
        messages.getMessage(`user.eventLogAccess.fail.${lacks}`, [ctx.username]),
        messages.getMessages('user.eventLogAccess.fail.actions', [ctx.names.permissionSet, ctx.username, setupCommand(ctx)])
      );
    },
  },
  {
    id: 'user.dangerousPermissions',
    group: 'user',
    title: messages.getMessage('user.dangerousPermissions.title'),
    async run(ctx) {
      const grants = await need(ctx.grants, 'user.exists');
      const dangerous = DANGEROUS_PERMISSIONS.flatMap((p) => sources(grants, p).map((from) => messages.getMessage('user.dangerousPermissions.grant', [p, from])));
      const optIn = ctx.names.viewAllDataPermissionSet;
      const broad = grants.filter((g) => g.enabled.includes('ViewAllData') && g.permissionSet !== optIn);
      if (dangerous.length > 0) {
        return fail(
          messages.getMessage('user.dangerousPermissions.fail', [ctx.username, dangerous.join(', ')]),
          messages.getMessages('user.dangerousPermissions.fail.actions', [ctx.username, ctx.names.profile])
        );
      }
      if (broad.length > 0) {
        return warn(
          messages.getMessage('user.dangerousPermissions.warn', [ctx.username, sources(broad, 'ViewAllData').join(', ')]),
          messages.getMessages('user.dangerousPermissions.warn.actions', [optIn])
        );
      }
      const viaOptIn = grants.some((g) => g.permissionSet === optIn && g.enabled.includes('ViewAllData'));
      return pass(viaOptIn ? messages.getMessage('user.dangerousPermissions.pass.optIn', [optIn]) : messages.getMessage('user.dangerousPermissions.pass'));
    },
  },
  {
    id: 'user.email',
    group: 'user',
    title: messages.getMessage('user.email.title'),
    async run(ctx) {
      const user = await existingUser(ctx);
      const given = ctx.options.integrationUserEmail;
      const email = user.email ?? messages.getMessage('value.notSet');
      // Without a given email, the one the integration was set up with is the user's own (setup sets it): nothing to compare.
      if (!given) return pass(messages.getMessage('user.email.pass.notGiven', [user.username, email]));
      if ((user.email ?? '').toLowerCase() === given.toLowerCase()) return pass(messages.getMessage('user.email.pass', [user.username, user.email]));
      // `?? undefined`: a user read from the org may have a null Email.
      const own = user.email ?? undefined;
      const actions =
        own === undefined
          ? messages.getMessages('user.email.warn.noEmail.actions', [ctx.username, given])
          : messages.getMessages('user.email.warn.actions', [ctx.username, given, own]);
      return warn(messages.getMessage('user.email.warn', [user.username, email, given]), actions);
    },
  },
];
