/**
 * Login IP ranges without an org: parsing and its named error, the profile's XML, the set comparison the
 * plan and verify's drift use, and the input table (flag and `plugins.anzenna.allowedIpRanges`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insideIpRanges, loadTemplates, loginIpRangesOf, parseIpRange, parseMetadataXml, renderDocuments, setLoginIpRanges, type IpRange, type RenderedDocument } from '../../plugin/src/metadata/index.js';
import { componentChanges } from '../../plugin/src/plan/plan.js';
import { parseProjectSettings, resolveSetupInputs, resolveVerifyInputs } from '../../plugin/src/project/inputs.js';
import { forceAppDir, testCertificatePem } from '../metadata/helpers.js';

async function profileXml(ranges?: IpRange[]): Promise<RenderedDocument> {
  const bundle = renderDocuments(await loadTemplates(forceAppDir), {
    appName: 'Anzenna',
    contactEmail: 'support@anzenna.ai',
    ipRelaxation: 'Bypass',
    viewAllData: false,
    setupAudit: false,
    loginIpRanges: ranges,
    oauth: { certificatePem: testCertificatePem(), callbackUrl: 'https://acme.my.salesforce.com', consumerKey: '3MVG9' + 'A'.repeat(80) },
  });
  const doc = bundle.documents.find((d) => d.key === 'profile');
  assert.ok(doc);
  return doc;
}

describe('login IP ranges', () => {
  it('parses <start>-<end> and a single address, and says what is wrong with a bad one', () => {
    assert.deepEqual(parseIpRange('203.0.113.10-203.0.113.20'), { range: { start: '203.0.113.10', end: '203.0.113.20' } });
    assert.deepEqual(parseIpRange(' 198.51.100.7 '), { range: { start: '198.51.100.7', end: '198.51.100.7' } });
    assert.match((parseIpRange('10.0.0.9-10.0.0.1') as { problem: string }).problem, /start 10\.0\.0\.9 comes after the end 10\.0\.0\.1/);
    assert.match((parseIpRange('10.0.0.256-10.0.1.0') as { problem: string }).problem, /10\.0\.0\.256 is not an IPv4 address/);
    assert.match((parseIpRange('2001:db8::1-2001:db8::2') as { problem: string }).problem, /not an IPv4 address/);
    assert.match((parseIpRange('1.2.3.4-') as { problem: string }).problem, /expected <start>-<end>/);
    // Numeric, not text, order: 9 < 10.
    assert.ok('range' in parseIpRange('10.0.0.9-10.0.0.10'));
    assert.equal(insideIpRanges('10.0.0.10', [{ start: '10.0.0.9', end: '10.0.0.10' }]), true);
    assert.equal(insideIpRanges('10.0.0.11', [{ start: '10.0.0.9', end: '10.0.0.10' }]), false);
  });

  it('renders the ranges into the profile only when given, and reads them back', async () => {
    assert.doesNotMatch((await profileXml()).xml, /loginIpRanges/);
    const doc = await profileXml([{ start: '10.0.0.1', end: '10.0.0.9' }, { start: '192.0.2.1', end: '192.0.2.1' }]);
    assert.match(doc.xml, /<loginIpRanges>\s*<endAddress>10\.0\.0\.9<\/endAddress>\s*<startAddress>10\.0\.0\.1<\/startAddress>\s*<\/loginIpRanges>/);
    // Where a retrieve puts them: after description, before userLicense.
    assert.ok(doc.xml.indexOf('<description>') < doc.xml.indexOf('<loginIpRanges>') && doc.xml.indexOf('<loginIpRanges>') < doc.xml.indexOf('<userLicense>'));
    assert.deepEqual(loginIpRangesOf(parseMetadataXml(doc.xml)), [{ start: '10.0.0.1', end: '10.0.0.9' }, { start: '192.0.2.1', end: '192.0.2.1' }]);
    const replaced = parseMetadataXml(doc.xml);
    setLoginIpRanges(replaced, [{ start: '10.1.1.1', end: '10.1.1.2' }]);
    assert.deepEqual(loginIpRangesOf(replaced), [{ start: '10.1.1.1', end: '10.1.1.2' }]);
  });

  it('plans the ranges as a set: order and descriptions do not count, an extra range in the org does', async () => {
    const wanted = await profileXml([{ start: '10.0.0.1', end: '10.0.0.9' }, { start: '192.0.2.1', end: '192.0.2.1' }]);
    const reordered = (await profileXml([{ start: '192.0.2.1', end: '192.0.2.1' }, { start: '10.0.0.1', end: '10.0.0.9' }])).xml.replace(
      '<endAddress>10.0.0.9</endAddress>',
      '<description>office</description><endAddress>10.0.0.9</endAddress>'
    );
    assert.deepEqual(componentChanges(wanted, reordered), []);
    const extra = (await profileXml([{ start: '10.0.0.1', end: '10.0.0.9' }, { start: '192.0.2.1', end: '192.0.2.1' }, { start: '0.0.0.0', end: '255.255.255.255' }])).xml;
    assert.deepEqual(componentChanges(wanted, extra), [
      { field: 'Profile Anzenna Integration: loginIpRanges', from: '10.0.0.1-10.0.0.9, 192.0.2.1-192.0.2.1, 0.0.0.0-255.255.255.255', to: '10.0.0.1-10.0.0.9, 192.0.2.1-192.0.2.1' },
    ]);
    assert.deepEqual(componentChanges(wanted, (await profileXml()).xml), [
      { field: 'Profile Anzenna Integration: loginIpRanges', from: '(none)', to: '10.0.0.1-10.0.0.9, 192.0.2.1-192.0.2.1' },
    ]);
    // No ranges wanted: whatever the org has is left alone.
    assert.deepEqual(componentChanges(await profileXml(), extra), []);
  });

  it('reads the ranges from the flag or plugins.anzenna.allowedIpRanges, checked, for setup and verify alike', () => {
    assert.deepEqual(resolveSetupInputs({ 'allowed-ip-range': ['10.0.0.1-10.0.0.2'] }, { allowedIpRanges: ['192.0.2.1'] }).allowedIpRanges, [{ start: '10.0.0.1', end: '10.0.0.2' }]);
    const project = parseProjectSettings({ allowedIpRanges: ['192.0.2.1-192.0.2.5'] }, 'sfdx-project.json');
    assert.deepEqual(resolveVerifyInputs({}, project).allowedIpRanges, [{ start: '192.0.2.1', end: '192.0.2.5' }]);
    assert.deepEqual(resolveSetupInputs({}, {}).allowedIpRanges, []);
    assert.throws(() => parseProjectSettings({ allowedIpRanges: '10.0.0.1-10.0.0.2' }, 'sfdx-project.json'), /allowedIpRanges.*an array of strings/);
    assert.throws(
      () => resolveSetupInputs({}, { allowedIpRanges: ['10.0.0.2-10.0.0.1'] }),
      (e: Error & { actions?: string[] }) => e.name === 'InvalidIpRangeError' && (e.actions?.length ?? 0) > 0
    );
  });

  it('refuses a certificate file and a URL together, from the project too', () => {
    assert.throws(() => resolveSetupInputs({ 'certificate-url': 'https://vendor.example/cert.pem' }, { certificateFile: './cert.pem' }), { name: 'CertificateSourceConflictError' });
    assert.equal(resolveSetupInputs({}, { certificateUrl: 'https://vendor.example/cert.pem' }).certificateUrl, 'https://vendor.example/cert.pem');
  });
});
