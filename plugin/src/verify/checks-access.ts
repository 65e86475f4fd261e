/**
 * Where the vendor may log in from, and what a refreshed sandbox leaves behind: the integration profile's
 * login IP ranges (the JWT bearer flow always enforces them, whatever the app's IP relaxation says) and an
 * email that Salesforce made undeliverable (`.invalid`) on refresh.
 */
import { Messages } from '@salesforce/core';
import { formatIpRange, loginIpRangesOf, sameIpRanges } from '../metadata/index.js';
import { setupCommand } from './checks-org.js';
import type { VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify.checks');

const list = (ranges: ReturnType<typeof loginIpRangesOf>): string => ranges.map(formatIpRange).join(', ');

export const accessChecks: Array<Check<VerifyContext>> = [
  {
    id: 'user.loginIpRanges',
    group: 'user',
    title: messages.getMessage('user.loginIpRanges.title'),
    async run(ctx) {
      const app = await need(ctx.app, 'app.exists');
      const { profile: name } = ctx.names;
      const profile = app.doc('profile');
      if (!profile) throw new SkipCheck(messages.getMessage('user.loginIpRanges.skip.noProfile', [name]));
      const found = loginIpRangesOf(profile);
      const wanted = ctx.options.allowedIpRanges;
      if (wanted.length > 0 && !sameIpRanges(wanted, found)) {
        return fail(
          found.length > 0
            ? messages.getMessage('user.loginIpRanges.fail', [name, list(found), list(wanted)])
            : messages.getMessage('user.loginIpRanges.fail.anywhere', [name, list(wanted)]),
          messages.getMessages('user.loginIpRanges.fail.actions', [setupCommand(ctx), name])
        );
      }
      if (found.length === 0) {
        return warn(messages.getMessage('user.loginIpRanges.warn', [name]), messages.getMessages('user.loginIpRanges.warn.actions', [setupCommand(ctx)]));
      }
      return pass(messages.getMessage(wanted.length > 0 ? 'user.loginIpRanges.pass.configured' : 'user.loginIpRanges.pass', [list(found)]));
    },
  },
  {
    id: 'user.emailDeliverable',
    group: 'user',
    title: messages.getMessage('user.emailDeliverable.title'),
    async run(ctx) {
      const user = await need(ctx.user, 'user.exists');
      if (!user.id) throw new SkipCheck(messages.getMessage('skip.noUser', [ctx.username]));
      const email = user.email ?? '';
      if (!email.toLowerCase().endsWith('.invalid')) return pass(messages.getMessage('user.emailDeliverable.pass', [user.username, email]));
      return warn(
        messages.getMessage('user.emailDeliverable.warn', [user.username, email]),
        messages.getMessages('user.emailDeliverable.warn.actions', [user.username, email.replace(/\.invalid$/i, '')])
      );
    },
  },
];
