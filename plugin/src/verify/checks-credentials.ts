/**
 * Certificate and consumer key checks: the deployed certificate parses, is strong enough and not about to
 * expire, and matches the local key and/or the vendor's file (SHA-256); the consumer key is well formed and
 * is the one the vendor has.
 */
import type { X509Certificate } from 'node:crypto';
import { Messages } from '@salesforce/core';
import { daysUntil, describeCertificate, EXPIRY_WARNING_DAYS, parseCertificatePem, type CertificateInfo } from '../cert/index.js';
import { checkConsumerKey } from '../metadata/index.js';
import { DEFAULT_APP_NAME } from '../defaults.js';
import { keyFilePaths } from '../project/inputs.js';
import { asPem } from './app-facts.js';
import { setupCommand } from './checks-org.js';
import type { VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.verify.checks');

/** The deployed certificate, parsed; SkipCheck when there is none (app.jwtEnabled reports that). */
async function deployedCertificate(ctx: VerifyContext): Promise<{ cert: X509Certificate; info: CertificateInfo }> {
  const global = await need(ctx.globalSettings, 'app.jwtEnabled');
  if (!global.certificate?.trim()) throw new SkipCheck(messages.getMessage('skip.noCertificate'));
  let cert: X509Certificate;
  try {
    cert = parseCertificatePem(asPem(global.certificate), messages.getMessage('certificate.deployed'));
  } catch {
    throw new SkipCheck(messages.getMessage('certificate.skip.unparsable'));
  }
  return { cert, info: describeCertificate(cert) };
}

const mask = (key: string): string => (key.length > 12 ? `${key.slice(0, 6)}…${key.slice(-4)}` : '…');

function rotationActions(ctx: VerifyContext): string[] {
  // cert generate names its files after --app-name by the same rule setup and verify use (keyFilePaths).
  const next = keyFilePaths('./anzenna-jwt-next', ctx.options.appName);
  const appFlag = ctx.options.appName === DEFAULT_APP_NAME ? '' : ` --app-name ${ctx.options.appName}`;
  return messages.getMessages('certificate.rotate.actions', [setupCommand(ctx), appFlag, setupCommand(ctx), next.certificate, next.key]);
}

export const credentialChecks: Array<Check<VerifyContext>> = [
  {
    id: 'certificate.valid',
    group: 'certificate',
    title: messages.getMessage('certificate.valid.title'),
    async run(ctx) {
      const global = await need(ctx.globalSettings, 'app.jwtEnabled');
      if (!global.certificate?.trim()) throw new SkipCheck(messages.getMessage('skip.noCertificate'));
      let info: CertificateInfo;
      try {
        info = describeCertificate(parseCertificatePem(asPem(global.certificate), messages.getMessage('certificate.deployed')));
      } catch (error) {
        return fail(
          messages.getMessage('certificate.valid.fail.unparsable', [(error as Error).message.replace(/\.$/, '')]),
          messages.getMessages('certificate.valid.fail.unparsable.actions', [setupCommand(ctx)])
        );
      }
      if (info.keyType !== 'rsa' || info.keyBits < 2048) {
        return fail(messages.getMessage('certificate.valid.fail.weak', [info.keyBits, info.keyType]), rotationActions(ctx));
      }
      return pass(messages.getMessage('certificate.valid.pass', [info.subject, info.keyBits, info.sha256Fingerprint]));
    },
  },
  {
    id: 'certificate.expiry',
    group: 'certificate',
    title: messages.getMessage('certificate.expiry.title', [EXPIRY_WARNING_DAYS]),
    async run(ctx) {
      const { info } = await deployedCertificate(ctx);
      const days = daysUntil(info.notAfter);
      if (new Date(info.notAfter).getTime() <= Date.now()) {
        return fail(messages.getMessage('certificate.expiry.fail.expired', [info.notAfter]), rotationActions(ctx));
      }
      if (new Date(info.notBefore).getTime() > Date.now()) {
        return fail(messages.getMessage('certificate.expiry.fail.notYetValid', [info.notBefore]), messages.getMessages('certificate.expiry.fail.notYetValid.actions'));
      }
      if (days < EXPIRY_WARNING_DAYS) return warn(messages.getMessage('certificate.expiry.warn', [days, info.notAfter]), rotationActions(ctx));
      return pass(messages.getMessage('certificate.expiry.pass', [info.notAfter, days]));
    },
  },
  {
    id: 'certificate.matchesKey',
    group: 'certificate',
    title: messages.getMessage('certificate.matchesKey.title'),
    async run(ctx) {
      const local = await ctx.local();
      if (local.privateKeyError) return fail(local.privateKeyError, messages.getMessages('certificate.matchesKey.fail.unusable.actions'));
      if (!local.privateKey) {
        throw new SkipCheck(messages.getMessage('certificate.matchesKey.skip.noKey', [keyFilePaths(ctx.options.outputDir, ctx.options.appName).key]));
      }
      const { cert, info } = await deployedCertificate(ctx);
      const found = [local.privateKeyPath, info.sha256Fingerprint];
      if (cert.checkPrivateKey(local.privateKey)) return pass(messages.getMessage('certificate.matchesKey.pass', found));
      return fail(messages.getMessage('certificate.matchesKey.fail', found), messages.getMessages('certificate.matchesKey.fail.actions', [setupCommand(ctx), local.privateKeyPath]));
    },
  },
  {
    id: 'certificate.matchesFile',
    group: 'certificate',
    title: messages.getMessage('certificate.matchesFile.title'),
    async run(ctx) {
      const local = await ctx.local();
      if (!local.certificatePath) throw new SkipCheck(messages.getMessage('certificate.matchesFile.skip.noFile'));
      if (!local.certificatePem) {
        return fail(
          local.certificateError ?? messages.getMessage('certificate.matchesFile.fail.unreadable', [local.certificatePath]),
          messages.getMessages('certificate.matchesFile.fail.unreadable.actions')
        );
      }
      let mine: CertificateInfo;
      try {
        mine = describeCertificate(parseCertificatePem(local.certificatePem, local.certificatePath));
      } catch (error) {
        return fail((error as Error).message, messages.getMessages('certificate.matchesFile.fail.corrupt.actions'));
      }
      const { info } = await deployedCertificate(ctx);
      if (mine.sha256Fingerprint === info.sha256Fingerprint) return pass(messages.getMessage('certificate.matchesFile.pass', [local.certificatePath, info.sha256Fingerprint]));
      return fail(
        messages.getMessage('certificate.matchesFile.fail', [local.certificatePath, mine.sha256Fingerprint, info.sha256Fingerprint]),
        messages.getMessages('certificate.matchesFile.fail.actions', [setupCommand(ctx), local.certificatePath, ctx.options.appName])
      );
    },
  },
  {
    id: 'consumerKey.wellFormed',
    group: 'consumerKey',
    title: messages.getMessage('consumerKey.wellFormed.title'),
    async run(ctx) {
      const global = await need(ctx.globalSettings, 'app.jwtEnabled');
      if (!global.xml) throw new SkipCheck(messages.getMessage('consumerKey.wellFormed.skip.noOauth'));
      const key = global.consumerKey;
      if (key === undefined) {
        return warn(messages.getMessage('consumerKey.wellFormed.warn.unread'), messages.getMessages('consumerKey.wellFormed.warn.unread.actions', [ctx.options.appName]));
      }
      const problem = checkConsumerKey(key);
      if (problem) return fail(messages.getMessage('consumerKey.wellFormed.fail', [problem]), messages.getMessages('consumerKey.wellFormed.fail.actions', [setupCommand(ctx)]));
      return pass(messages.getMessage('consumerKey.wellFormed.pass', [mask(key), key.length]));
    },
  },
  {
    id: 'consumerKey.matches',
    group: 'consumerKey',
    title: messages.getMessage('consumerKey.matches.title'),
    async run(ctx) {
      const given = ctx.options.consumerKey;
      if (given === undefined) throw new SkipCheck(messages.getMessage('consumerKey.matches.skip.notGiven'));
      const global = await need(ctx.globalSettings, 'app.jwtEnabled');
      const orgKey = global.consumerKey?.trim();
      const copyAgain = messages.getMessages('consumerKey.matches.actions', [ctx.options.appName]);
      const problem = checkConsumerKey(given);
      if (problem) {
        const trimmedMatches = orgKey !== undefined && given.trim() === orgKey;
        const message = trimmedMatches
          ? messages.getMessage('consumerKey.matches.fail.whitespace')
          : messages.getMessage('consumerKey.matches.fail.malformed', [problem.replace(/\.$/, '')]);
        return fail(message, copyAgain);
      }
      if (orgKey === undefined) return warn(messages.getMessage('consumerKey.matches.warn.unread', [mask(given)]), copyAgain);
      if (given === orgKey) return pass(messages.getMessage('consumerKey.matches.pass', [mask(orgKey)]));
      return fail(messages.getMessage('consumerKey.matches.fail', [mask(given), given.length, mask(orgKey), orgKey.length]), copyAgain);
    },
  },
];
