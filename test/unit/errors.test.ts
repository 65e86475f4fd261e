/**
 * Narrow catches and wrapped errors: only a refusal for the type falls back to a retrieve, only a
 * feature-off answer counts as "setting off" (a 401 or a 5xx surfaces), a broken sfdx-project.json is an
 * error rather than "no project", and the metadata modules' plain errors reach users named, with actions.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SfError } from '@salesforce/core';
import { isReadRefused } from '../../plugin/src/org/metadata-read.js';
import { isFeatureUnavailable } from '../../plugin/src/org/state.js';
import { wrapMetadataError } from '../../plugin/src/project/metadata-errors.js';
import { findMetadataSource } from '../../plugin/src/project/source.js';
import { MetadataInputError, XmlFormatError } from '../../plugin/src/metadata/index.js';
import { tempDir } from '../helpers/cli.js';

const soapFault = (code: string, message: string): Error => Object.assign(new Error(`${code}: ${message}`), { name: code, errorCode: code });

describe('narrow catches', () => {
  it('a type refused by readMetadata falls back; an expired session or a server error does not', () => {
    assert.equal(isReadRefused(soapFault('INVALID_TYPE', 'readMetadata is not supported for the type X')), true);
    assert.equal(isReadRefused(soapFault('INVALID_SESSION_ID', 'Session expired or invalid')), false);
    assert.equal(isReadRefused(soapFault('UNKNOWN_EXCEPTION', 'An unexpected error occurred')), false);
  });

  it('only a feature-off answer means "setting off"; 401 and 5xx are errors', () => {
    assert.equal(isFeatureUnavailable(soapFault('FUNCTIONALITY_NOT_ENABLED', 'Event Monitoring is not enabled')), true);
    assert.equal(isFeatureUnavailable(soapFault('INVALID_SESSION_ID', 'Session expired or invalid')), false);
    assert.equal(isFeatureUnavailable(Object.assign(new Error('HTTP 503 Service Unavailable'), { name: 'ERROR_HTTP_503' })), false);
  });

  it('a directory outside any project is "no project"; a broken sfdx-project.json is an error', async () => {
    const outside = tempDir('no-project');
    assert.equal((await findMetadataSource(outside)).origin, 'bundled');
    const broken = tempDir('broken-project');
    writeFileSync(join(broken, 'sfdx-project.json'), '{ "packageDirectories": [ ');
    mkdirSync(join(broken, 'force-app'));
    await assert.rejects(findMetadataSource(broken), (e: Error) => e.name !== 'InvalidProjectWorkspaceError' && /json/i.test(`${e.name} ${e.message}`));
  });
});

describe('metadata errors reach users named, with actions', () => {
  it('MetadataInputError → MetadataSourceError, XmlFormatError → MetadataXmlError, naming the source directory', () => {
    const input = wrapMetadataError(new MetadataInputError('sourceDir', 'Template x has root <Y>'), '/p/force-app') as SfError;
    assert.equal(input.name, 'MetadataSourceError');
    assert.match(input.message, /Template x has root <Y>/);
    assert.match(input.actions?.join(' ') ?? '', /\/p\/force-app/);
    const xml = wrapMetadataError(new XmlFormatError('unclosed <label> in a.xml'), '/p/force-app') as SfError;
    assert.equal(xml.name, 'MetadataXmlError');
    assert.ok((xml.actions?.length ?? 0) > 0);
    const other = new Error('something else');
    assert.equal(wrapMetadataError(other, '/p'), other);
  });
});
