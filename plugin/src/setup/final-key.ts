/**
 * The consumer key the hand-off shows is what the org holds at the end of this run: it is read back as the
 * last org read, after the proof. A run beside this one (another machine, another output directory: the lock
 * cannot see it) may have replaced the app's key meanwhile; then the org's key is shown, with a warning.
 */
import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { readComponentXml } from '../org/metadata-read.js';
import type { CheckLog } from './check-log.js';
import { consumerKeyOf } from './desired.js';
import type { Proof } from './prove.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.faults');

export async function withFinalConsumerKey(ctx: { conn: Connection; log: CheckLog; dryRun: boolean }, globalSettingsName: string, proof: Proof): Promise<Proof> {
  if (ctx.dryRun || !proof.consumerKey) return proof;
  // A failed read must not undo a finished setup: the key shown is then the one this run used.
  const orgKey = consumerKeyOf(await readComponentXml(ctx.conn, 'ExtlClntAppGlobalOauthSettings', globalSettingsName).catch(() => undefined));
  if (!orgKey || orgKey === proof.consumerKey) return proof;
  ctx.log.warn('consumerKey.final', messages.getMessage('warning.ConsumerKeyChangedMeanwhile'));
  return { ...proof, consumerKey: orgKey };
}
