/**
 * Integration user checks: exists and is active, the Salesforce Integration licence, our profile, the API
 * Integration permission set licence and our permission set, effective permissions enough for EventLogFile
 * and none that are dangerous, and the email the vendor has on file.
 */
import { INTEGRATION_USER_LICENSE, type PermissionGrant } from '../org/facts.js';
import type { IntegrationUserState } from '../org/integration-user.js';
import { setupCommand } from './checks-org.js';
import { DANGEROUS_PERMISSIONS, type VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn } from './types.js';

async function existingUser(ctx: VerifyContext): Promise<IntegrationUserState & { id: string }> {
  const user = await need(ctx.user, 'user.exists');
  if (!user.id) throw new SkipCheck(`The integration user ${ctx.username} does not exist (see user.exists).`);
  return user as IntegrationUserState & { id: string };
}

const userPath = (ctx: VerifyContext): string => `Setup > Users > ${ctx.username}`;

/** Who grants a permission: "profile" for the profile's own permission set, else the permission set's name. */
function sources(grants: readonly PermissionGrant[], permission: string): string[] {
  return grants.filter((g) => g.enabled.includes(permission)).map((g) => (g.ownedByProfile ? 'the profile' : `permission set ${g.permissionSet}`));
}

export const userChecks: Array<Check<VerifyContext>> = [
  {
    id: 'user.exists',
    group: 'user',
    title: 'Integration user exists',
    async run(ctx) {
      const user = await ctx.user();
      if (!user.id) {
        return fail(`The org has no user ${ctx.username}.`, [
          `Run ${setupCommand(ctx)} to create it.`,
          'If the integration user has another username, pass it with --integration-user.',
        ]);
      }
      return pass(`${user.username} exists (${user.id}).`);
    },
  },
  {
    id: 'user.active',
    group: 'user',
    title: 'Integration user is active',
    async run(ctx) {
      const user = await existingUser(ctx);
      if (user.isActive) return pass(`${user.username} is active.`);
      return fail(`${user.username} is inactive: Salesforce refuses its logins ("inactive user").`, [
        `${userPath(ctx)} > Edit: select Active, then Save (it needs a free Salesforce Integration licence).`,
      ]);
    },
  },
  {
    id: 'user.licence',
    group: 'user',
    title: 'Salesforce Integration licence',
    async run(ctx) {
      const user = await existingUser(ctx);
      if (user.licence === INTEGRATION_USER_LICENSE) return pass(`${user.username} has the ${INTEGRATION_USER_LICENSE} licence.`);
      return fail(`${user.username} has the "${user.licence ?? 'unknown'}" licence, not "${INTEGRATION_USER_LICENSE}" (API-only, no Salesforce seat used).`, [
        `A user's licence comes from its profile and cannot be switched in place: run ${setupCommand(ctx)} --integration-user <new username> to create a proper integration user, and give the vendor that username.`,
      ]);
    },
  },
  {
    id: 'user.profile',
    group: 'user',
    title: 'Integration profile',
    async run(ctx) {
      const [user, app] = await Promise.all([existingUser(ctx), need(ctx.app, 'app.exists')]);
      const profile = app.bundle.names.profile;
      if (user.profileName === profile) return pass(`${user.username} has the profile "${profile}".`);
      const actions = [`${userPath(ctx)} > Edit > Profile: "${profile}", then Save.`, `Or run ${setupCommand(ctx)}.`];
      const message = `${user.username} has the profile "${user.profileName ?? 'unknown'}", not "${profile}"`;
      if (user.permissionSets.includes(app.bundle.names.permissionSet)) {
        return warn(`${message}; the login still works through the pre-authorized permission set ${app.bundle.names.permissionSet}.`, actions);
      }
      return fail(`${message}, and it lacks the permission set ${app.bundle.names.permissionSet}: the JWT login fails with "user is not admin approved".`, actions);
    },
  },
  {
    id: 'user.permissionSetLicence',
    group: 'user',
    title: 'Salesforce API Integration permission set licence',
    async run(ctx) {
      const [user, licences] = await Promise.all([existingUser(ctx), ctx.licences()]);
      if (!licences.apiIntegrationPsl) {
        return fail('The org has no "Salesforce API Integration" permission set licence.', [
          'It comes with the Salesforce Integration user licence; ask Salesforce support to provision it.',
        ]);
      }
      if (user.hasPsl) return pass(`${user.username} has the Salesforce API Integration permission set licence.`);
      return fail(`${user.username} lacks the Salesforce API Integration permission set licence, which the Event Monitoring permission set needs.`, [
        `${userPath(ctx)} > Permission Set License Assignments > Edit Assignments: select "Salesforce API Integration", then Save.`,
        `Or run ${setupCommand(ctx)}.`,
      ]);
    },
  },
  {
    id: 'user.permissionSet',
    group: 'user',
    title: 'Event Monitoring permission set assigned',
    async run(ctx) {
      const [user, app] = await Promise.all([existingUser(ctx), need(ctx.app, 'app.exists')]);
      const wanted = app.bundle.preAuthorized.permissionSets;
      const absent = wanted.filter((ps) => !user.permissionSets.includes(ps));
      if (absent.length === 0) return pass(`${user.username} has ${wanted.join(', ')}.`);
      return fail(`${user.username} lacks the permission set(s) ${absent.join(', ')}.`, [
        `${userPath(ctx)} > Permission Set Assignments > Edit Assignments: add ${absent.join(', ')}, then Save (after the permission set licence).`,
        `Or run ${setupCommand(ctx)}.`,
      ]);
    },
  },
  {
    id: 'user.eventLogAccess',
    group: 'user',
    title: 'Effective permissions read EventLogFile',
    async run(ctx) {
      const grants = await need(ctx.grants, 'user.exists');
      const api = sources(grants, 'ApiEnabled');
      const elf = sources(grants, 'ViewEventLogFiles');
      const all = sources(grants, 'ViewAllData');
      if (api.length > 0 && (elf.length > 0 || all.length > 0)) {
        return pass(`API Enabled (from ${api.join(', ')}) and ${elf.length > 0 ? `View Event Log Files (from ${elf.join(', ')})` : `View All Data (from ${all.join(', ')})`}.`);
      }
      const absent = [...(api.length === 0 ? ['API Enabled'] : []), ...(elf.length === 0 && all.length === 0 ? ['View Event Log Files'] : [])];
      return fail(`${ctx.username} lacks ${absent.join(' and ')}: EventLogFile is not readable ("sObject type 'EventLogFile' is not supported").`, [
        `Assign the ${ctx.names.permissionSet} permission set (Setup > Users > ${ctx.username} > Permission Set Assignments), which grants both.`,
        `Or run ${setupCommand(ctx)}.`,
      ]);
    },
  },
  {
    id: 'user.dangerousPermissions',
    group: 'user',
    title: 'No dangerous permissions',
    async run(ctx) {
      const grants = await need(ctx.grants, 'user.exists');
      const dangerous = DANGEROUS_PERMISSIONS.flatMap((p) => sources(grants, p).map((from) => `${p} (from ${from})`));
      const optIn = ctx.names.viewAllDataPermissionSet;
      const broad = grants.filter((g) => g.enabled.includes('ViewAllData') && g.permissionSet !== optIn);
      if (dangerous.length > 0) {
        return fail(`${ctx.username} has permissions a log reader must not have: ${dangerous.join(', ')}.`, [
          `${userPath(ctx)}: remove the permission sets that grant them (Permission Set Assignments), or change the profile back to "${ctx.names.profile}".`,
          'Or in Setup > Permission Sets > <that set> > System Permissions: clear them.',
        ]);
      }
      if (broad.length > 0) {
        return warn(`${ctx.username} has View All Data (from ${sources(broad, 'ViewAllData').join(', ')}): more than reading event logs needs.`, [
          `Remove it, or grant it only through the opt-in permission set ${optIn} (sf anzenna setup --view-all-data) so the choice is recorded.`,
        ]);
      }
      const viaOptIn = grants.some((g) => g.permissionSet === optIn && g.enabled.includes('ViewAllData'));
      return pass(`No dangerous permissions${viaOptIn ? `; View All Data comes from the opt-in ${optIn}` : ''}.`);
    },
  },
  {
    id: 'user.email',
    group: 'user',
    title: "Email matches the vendor's admin email",
    async run(ctx) {
      const user = await existingUser(ctx);
      const given = ctx.options.integrationUserEmail;
      // Without a given email, the one the integration was set up with is the user's own (setup sets it): nothing to compare.
      if (!given) {
        return pass(`${user.username}'s email is ${user.email ?? 'not set'}: the vendor's admin email must be this one (pass --integration-user-email to compare it with the vendor's).`);
      }
      if ((user.email ?? '').toLowerCase() === given.toLowerCase()) return pass(`${user.username}'s email is ${user.email}, the admin email given.`);
      return warn(`${user.username}'s email is ${user.email ?? 'not set'}; the admin email given is ${given}. The vendor's "admin email" must match (Anzenna: OAuth policy errors otherwise).`, [
        `${userPath(ctx)} > Edit > Email: ${given}, then Save (Salesforce sends a confirmation to the new address).`,
        `Or enter ${user.email ?? 'the user\'s email'} as the admin email in the vendor's form (Anzenna: Settings > Integrations > Salesforce).`,
      ]);
    },
  },
];
