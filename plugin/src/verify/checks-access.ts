/**
 * Where the vendor may log in from, and what a refreshed sandbox leaves behind: the integration profile's
 * login IP ranges (the JWT bearer flow always enforces them, whatever the app's IP relaxation says) and an
 * email that Salesforce made undeliverable (`.invalid`) on refresh.
 */
import { formatIpRange, loginIpRangesOf, sameIpRanges } from '../metadata/index.js';
import { setupCommand } from './checks-org.js';
import type { VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn } from './types.js';

const list = (ranges: ReturnType<typeof loginIpRangesOf>): string => ranges.map(formatIpRange).join(', ');

export const accessChecks: Array<Check<VerifyContext>> = [
  {
    id: 'user.loginIpRanges',
    group: 'user',
    title: 'Login IP ranges of the integration profile',
    async run(ctx) {
      const app = await need(ctx.app, 'app.exists');
      const profile = app.doc('profile');
      if (!profile) throw new SkipCheck(`The org has no profile ${ctx.names.profile} (see user.profile).`);
      const found = loginIpRangesOf(profile);
      const wanted = ctx.options.allowedIpRanges;
      const path = `Setup > Profiles > ${ctx.names.profile} > Login IP Ranges`;
      if (wanted.length > 0 && !sameIpRanges(wanted, found)) {
        return fail(`The profile ${ctx.names.profile} allows logins from ${found.length > 0 ? list(found) : 'anywhere (no ranges)'}; configured: ${list(wanted)}.`, [
          `Run ${setupCommand(ctx)} to deploy the configured ranges, or set them in ${path}.`,
          'If the org\'s ranges are intended, change "allowedIpRanges" under "plugins.anzenna" in sfdx-project.json (or --allowed-ip-range).',
        ]);
      }
      if (found.length === 0) {
        return warn(`The profile ${ctx.names.profile} has no login IP ranges: the vendor's key works from any address. The JWT bearer flow always enforces a profile's ranges, whatever the app's IP relaxation says.`, [
          `Ask the vendor for the addresses it logs in from and run ${setupCommand(ctx)} --allowed-ip-range <start>-<end> (repeat for each range).`,
        ]);
      }
      return pass(`The vendor may log in only from ${list(found)}${wanted.length > 0 ? ', as configured' : ''}.`);
    },
  },
  {
    id: 'user.emailDeliverable',
    group: 'user',
    title: 'Integration user email is deliverable',
    async run(ctx) {
      const user = await need(ctx.user, 'user.exists');
      if (!user.id) throw new SkipCheck(`The integration user ${ctx.username} does not exist (see user.exists).`);
      const email = user.email ?? '';
      if (!email.toLowerCase().endsWith('.invalid')) return pass(`${user.username}'s email ${email} is not a refreshed sandbox's .invalid address.`);
      return warn(`${user.username}'s email is ${email}: Salesforce adds .invalid to every email when a sandbox is refreshed, so nothing reaches it and the vendor's admin email no longer matches.`, [
        `Setup > Users > ${user.username} > Edit > Email: the real address (${email.replace(/\.invalid$/i, '')} if unchanged), then Save.`,
        'Then give the vendor that address as the admin email.',
      ]);
    },
  },
];
