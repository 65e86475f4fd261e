/**
 * The metadata modules are pure and throw plain errors (MetadataInputError: a bad option or template;
 * XmlFormatError: XML that does not parse). Before they reach a user they become named SfErrors with what
 * to do, naming where the metadata came from (the project's force-app or the copy in the plugin).
 */
import { Messages, SfError } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@sf-anzenna/plugin-anzenna', 'anzenna.inputs');

export function wrapMetadataError(error: unknown, sourceDir: string): unknown {
  const e = error as Error;
  if (e?.name === 'MetadataInputError') return new SfError(messages.getMessage('error.MetadataSource', [e.message]), 'MetadataSourceError', messages.getMessages('error.MetadataSource.actions', [sourceDir]), 1, e);
  if (e?.name === 'XmlFormatError') return new SfError(messages.getMessage('error.MetadataXml', [e.message]), 'MetadataXmlError', messages.getMessages('error.MetadataXml.actions', [sourceDir]), 1, e);
  return error;
}

/** Runs `work`, turning a metadata error into its named, actionable form. */
export async function withMetadataErrors<T>(sourceDir: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw wrapMetadataError(error, sourceDir);
  }
}
