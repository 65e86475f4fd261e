/**
 * Certificate and consumer key checks: the deployed certificate parses, is strong enough and not about to
 * expire, and matches the local key and/or the vendor's file (SHA-256); the consumer key is well formed and
 * is the one the vendor has.
 */
import type { X509Certificate } from 'node:crypto';
import { daysUntil, describeCertificate, EXPIRY_WARNING_DAYS, parseCertificatePem, type CertificateInfo } from '../cert/index.js';
import { checkConsumerKey } from '../metadata/index.js';
import { DEFAULT_APP_NAME } from '../defaults.js';
import { keyFilePaths } from '../project/inputs.js';
import { asPem } from './app-facts.js';
import { setupCommand } from './checks-org.js';
import type { VerifyContext } from './context.js';
import { need, type Check } from './runner.js';
import { fail, pass, SkipCheck, warn } from './types.js';

/** The deployed certificate, parsed; SkipCheck when there is none (app.jwtEnabled reports that). */
async function deployedCertificate(ctx: VerifyContext): Promise<{ cert: X509Certificate; info: CertificateInfo }> {
  const global = await need(ctx.globalSettings, 'app.jwtEnabled');
  if (!global.certificate?.trim()) throw new SkipCheck('The app has no certificate (see app.exists and app.jwtEnabled).');
  let cert: X509Certificate;
  try {
    cert = parseCertificatePem(asPem(global.certificate), 'The deployed certificate');
  } catch {
    throw new SkipCheck('The deployed certificate does not parse (see certificate.valid).');
  }
  return { cert, info: describeCertificate(cert) };
}

const mask = (key: string): string => (key.length > 12 ? `${key.slice(0, 6)}…${key.slice(-4)}` : '…');

function rotationActions(ctx: VerifyContext): string[] {
  // cert generate names its files after --app-name by the same rule setup and verify use (keyFilePaths).
  const next = keyFilePaths('./anzenna-jwt-next', ctx.options.appName);
  const appFlag = ctx.options.appName === DEFAULT_APP_NAME ? '' : ` --app-name ${ctx.options.appName}`;
  return [
    `Vendor key (Anzenna): download a new cert.pem from the vendor, then run ${setupCommand(ctx)} --certificate-file cert.pem.`,
    `Your own key: run sf anzenna cert generate --output-dir ./anzenna-jwt-next${appFlag}, then ${setupCommand(ctx)} --certificate-file ${next.certificate} --private-key-file ${next.key}, and give the collector the new key.`,
  ];
}

export const credentialChecks: Array<Check<VerifyContext>> = [
  {
    id: 'certificate.valid',
    group: 'certificate',
    title: 'Deployed certificate parses (RSA, 2048+ bits)',
    async run(ctx) {
      const global = await need(ctx.globalSettings, 'app.jwtEnabled');
      if (!global.certificate?.trim()) throw new SkipCheck('The app has no certificate (see app.exists and app.jwtEnabled).');
      let info: CertificateInfo;
      try {
        info = describeCertificate(parseCertificatePem(asPem(global.certificate), 'The deployed certificate'));
      } catch (error) {
        return fail(`${(error as Error).message.replace(/\.$/, '')}: Salesforce cannot verify any JWT against it.`, [
          'Download the certificate again (Anzenna: Settings > Integrations > Salesforce) and check it opens: openssl x509 -in cert.pem -noout -subject.',
          `Upload it again: ${setupCommand(ctx)} --certificate-file cert.pem.`,
        ]);
      }
      if (info.keyType !== 'rsa' || info.keyBits < 2048) {
        return fail(`The deployed certificate has a ${info.keyBits}-bit ${info.keyType} key; the JWT bearer flow (RS256) needs RSA with at least 2048 bits.`, rotationActions(ctx));
      }
      return pass(`${info.subject}, RSA ${info.keyBits}, SHA-256 ${info.sha256Fingerprint}.`);
    },
  },
  {
    id: 'certificate.expiry',
    group: 'certificate',
    title: `Certificate not expired (warns ${EXPIRY_WARNING_DAYS} days ahead)`,
    async run(ctx) {
      const { info } = await deployedCertificate(ctx);
      const days = daysUntil(info.notAfter);
      if (new Date(info.notAfter).getTime() <= Date.now()) {
        return fail(`The deployed certificate expired on ${info.notAfter}: every JWT login fails.`, rotationActions(ctx));
      }
      if (new Date(info.notBefore).getTime() > Date.now()) {
        return fail(`The deployed certificate is not valid before ${info.notBefore}.`, ["Check this machine's clock and the certificate's start date; upload a certificate that is valid now."]);
      }
      if (days < EXPIRY_WARNING_DAYS) return warn(`The deployed certificate expires in ${days} day(s), on ${info.notAfter}. Rotate it now.`, rotationActions(ctx));
      return pass(`Valid until ${info.notAfter} (${days} days).`);
    },
  },
  {
    id: 'certificate.matchesKey',
    group: 'certificate',
    title: 'Certificate matches the local private key',
    async run(ctx) {
      const local = await ctx.local();
      if (local.privateKeyError) {
        return fail(local.privateKeyError, ['Give an unencrypted RSA private key in PEM form with --private-key-file (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY).']);
      }
      if (!local.privateKey) throw new SkipCheck(`No private key here (--private-key-file, or ${keyFilePaths(ctx.options.outputDir, ctx.options.appName).key} from setup): the vendor holds it.`);
      const { cert, info } = await deployedCertificate(ctx);
      if (cert.checkPrivateKey(local.privateKey)) return pass(`${local.privateKeyPath} belongs to the deployed certificate (SHA-256 ${info.sha256Fingerprint}).`);
      return fail(`${local.privateKeyPath} does not belong to the deployed certificate (SHA-256 ${info.sha256Fingerprint}): JWT logins signed with it fail with "invalid assertion".`, [
        'Sign with the private key that was generated together with the deployed certificate.',
        `Or deploy this key's certificate: ${setupCommand(ctx)} --certificate-file <its .crt> --private-key-file ${local.privateKeyPath}.`,
      ]);
    },
  },
  {
    id: 'certificate.matchesFile',
    group: 'certificate',
    title: "Certificate matches the vendor's file (SHA-256)",
    async run(ctx) {
      const local = await ctx.local();
      if (!local.certificatePath) throw new SkipCheck('No certificate file to compare (--certificate-file, the vendor\'s cert.pem).');
      if (!local.certificatePem) return fail(local.certificateError ?? `Cannot read ${local.certificatePath}.`, ['Check the path and the file\'s permissions.']);
      let mine: CertificateInfo;
      try {
        mine = describeCertificate(parseCertificatePem(local.certificatePem, local.certificatePath));
      } catch (error) {
        return fail((error as Error).message, ['Download the certificate again from the vendor; the file looks corrupted.']);
      }
      const { info } = await deployedCertificate(ctx);
      if (mine.sha256Fingerprint === info.sha256Fingerprint) return pass(`${local.certificatePath} is the deployed certificate (SHA-256 ${info.sha256Fingerprint}).`);
      return fail(
        `${local.certificatePath} (SHA-256 ${mine.sha256Fingerprint}) is not the deployed certificate (SHA-256 ${info.sha256Fingerprint}): the vendor signs with a key the org does not trust.`,
        [
          `Upload the vendor's certificate: ${setupCommand(ctx)} --certificate-file ${local.certificatePath}.`,
          `Or in ${'Setup > External Client App Manager'} > ${ctx.options.appName} > Settings > Edit > OAuth Settings: upload it under "Enable JWT Bearer Flow", then Save.`,
        ]
      );
    },
  },
  {
    id: 'consumerKey.wellFormed',
    group: 'consumerKey',
    title: 'Consumer key well formed',
    async run(ctx) {
      const global = await need(ctx.globalSettings, 'app.jwtEnabled');
      if (!global.xml) throw new SkipCheck('The app has no OAuth settings (see app.exists and app.jwtEnabled).');
      const key = global.consumerKey;
      if (key === undefined) {
        return warn('The org did not return the consumer key (Metadata API access to consumer secrets may be off), so it cannot be checked here.', [
          `Copy it from Setup > External Client App Manager > ${ctx.options.appName} > Settings > OAuth Settings > Consumer Key and Secret, and pass it with --consumer-key.`,
        ]);
      }
      const problem = checkConsumerKey(key);
      if (problem) {
        return fail(`The org's consumer key is unusable: ${problem}`, [`Run ${setupCommand(ctx)} to deploy a clean key, then give the new one to the vendor.`]);
      }
      return pass(`The org's consumer key ${mask(key)} (${key.length} characters) is well formed.`);
    },
  },
  {
    id: 'consumerKey.matches',
    group: 'consumerKey',
    title: 'Consumer key matches the one given',
    async run(ctx) {
      const given = ctx.options.consumerKey;
      if (given === undefined) throw new SkipCheck('No --consumer-key given: pass the key the vendor has to compare it with the org\'s.');
      const global = await need(ctx.globalSettings, 'app.jwtEnabled');
      const orgKey = global.consumerKey?.trim();
      const copyAgain = `Copy the key again from Setup > External Client App Manager > ${ctx.options.appName} > Settings > OAuth Settings > Consumer Key and Secret (the Copy button), and paste it into the vendor's form (Anzenna: Settings > Integrations > Salesforce).`;
      const problem = checkConsumerKey(given);
      if (problem) {
        const trimmedMatches = orgKey !== undefined && given.trim() === orgKey;
        const what = trimmedMatches ? 'The key given is the org\'s key with whitespace or a line break around it' : problem.replace(/\.$/, '');
        return fail(`${what}: Salesforce answers "invalid_client_id".`, [copyAgain]);
      }
      if (orgKey === undefined) return warn(`The key given (${mask(given)}) is well formed, but the org's could not be read to compare.`, [copyAgain]);
      if (given === orgKey) return pass(`The key given is the org's consumer key (${mask(orgKey)}).`);
      return fail(`The key given (${mask(given)}, ${given.length} characters) is not the org's consumer key (${mask(orgKey)}, ${orgKey.length} characters): Salesforce answers "invalid_client_id".`, [copyAgain]);
    },
  },
];
