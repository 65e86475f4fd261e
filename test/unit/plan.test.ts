/**
 * The plan without an org: (desired state, org state) → ordered actions with field changes. A fresh org,
 * a configured org, each kind of drift, the opt-ins switched on and off, and the user plan.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTemplates, renderDocuments, type RenderedBundle, type Templates } from '../../plugin/src/metadata/index.js';
import { componentChanges, formatChange, formatPlan, planChanges, userActions, type DesiredState, type OrgSnapshot, type UserSnapshot } from '../../plugin/src/plan/plan.js';
import { forceAppDir, testCertificatePem } from '../metadata/helpers.js';

const CONSUMER_KEY = '3MVG9' + 'A'.repeat(80);
let templates: Templates | undefined;

async function bundle(over: { viewAllData?: boolean; setupAudit?: boolean; label?: string; contactEmail?: string; ipRelaxation?: 'Bypass' | 'Enforce' } = {}): Promise<RenderedBundle> {
  templates ??= await loadTemplates(forceAppDir);
  return renderDocuments(templates, {
    appName: 'Anzenna',
    label: over.label,
    contactEmail: over.contactEmail ?? 'support@anzenna.ai',
    ipRelaxation: over.ipRelaxation ?? 'Bypass',
    viewAllData: over.viewAllData ?? false,
    setupAudit: over.setupAudit ?? false,
    oauth: { certificatePem: testCertificatePem(), callbackUrl: 'https://acme.my.salesforce.com', consumerKey: CONSUMER_KEY },
  });
}

const noUser: UserSnapshot = { username: 'anzenna-integration@acme.com', hasPsl: false, permissionSets: [] };
const fullUser = (sets: string[]): UserSnapshot => ({ id: '005000000000001', username: 'anzenna-integration@acme.com', profileName: 'Anzenna Integration', hasPsl: true, permissionSets: sets });

function desired(b: RenderedBundle, over: Partial<DesiredState> = {}): DesiredState {
  return {
    bundle: b,
    realTimeEvents: false,
    user: {
      username: 'anzenna-integration@acme.com',
      email: 'secops@acme.com',
      profileName: b.names.profile,
      permissionSets: [...b.preAuthorized.permissionSets],
      revokePermissionSets: [b.names.viewAllDataPermissionSet, b.names.setupAuditPermissionSet].filter((n) => !b.preAuthorized.permissionSets.includes(n)),
    },
    ...over,
  };
}

/** The org as setup left it: every document of `b` in place. */
function configured(b: RenderedBundle, user = fullUser([...b.preAuthorized.permissionSets])): OrgSnapshot {
  return { components: new Map(b.documents.map((d) => [`${d.type}:${d.fullName}`, d.xml])), user };
}

const kinds = (plan: ReturnType<typeof planChanges>): string[] => plan.map((a) => `${a.kind} ${a.target}`);

describe('the plan', () => {
  it('on a fresh org: key pair, profile and permission sets, the app, event log generation, then the user, in that order', async () => {
    const b = await bundle();
    const plan = planChanges(desired(b, { keyPair: { privateKeyPath: '/k/anzenna.key', certificatePath: '/k/anzenna.crt' } }), { components: new Map(), user: noUser });
    assert.deepEqual(kinds(plan), [
      'write-key-pair /k/anzenna.key',
      'deploy integration profile and permission sets',
      'deploy External Client App',
      'switch-setting-on event log generation',
      'create-user anzenna-integration@acme.com',
      'assign-licence anzenna-integration@acme.com',
      'assign-permission-set Event_Monitoring_Access',
    ]);
    const stage1 = plan[1];
    assert.equal(stage1.reason, 'not in the org yet');
    assert.deepEqual(stage1.changes.map((c) => c.field), ['Profile Anzenna Integration', 'PermissionSet Event_Monitoring_Access']);
    assert.ok(stage1.changes.every((c) => c.from === '(missing)'));
    assert.equal(plan.find((a) => a.kind === 'create-user')?.changes.find((c) => c.field === 'email')?.to, 'secops@acme.com');
  });

  it('on a configured org: nothing to do, and the plan says so', async () => {
    const b = await bundle();
    const plan = planChanges(desired(b), configured(b));
    assert.deepEqual(plan, []);
    assert.deepEqual(formatPlan(plan), ['No changes: the org already matches.']);
  });

  it('a field changed behind setup\'s back: one deploy of that stage, the field from → to', async () => {
    const b = await bundle();
    const org = configured(b);
    const eca = b.documents.find((d) => d.key === 'eca')!;
    const policy = b.documents.find((d) => d.key === 'oauthPolicy')!;
    const components = new Map(org.components);
    components.set(`${eca.type}:${eca.fullName}`, eca.xml.replace('support@anzenna.ai', 'someone@else.example'));
    components.set(`${policy.type}:${policy.fullName}`, policy.xml.replace('<ipRelaxationPolicyType>Bypass<', '<ipRelaxationPolicyType>Enforce<'));
    const plan = planChanges(desired(b), { ...org, components });
    assert.deepEqual(kinds(plan), ['deploy External Client App']);
    assert.equal(plan[0].reason, 'the org differs from the source');
    assert.deepEqual(plan[0].changes, [
      { field: 'ExternalClientApplication Anzenna: contactEmail', from: 'someone@else.example', to: 'support@anzenna.ai' },
      { field: 'ExtlClntAppOauthConfigurablePolicies Anzenna_oauth_defaultPolicy: ipRelaxationPolicyType', from: 'Enforce', to: 'Bypass' },
    ]);
    assert.match(formatPlan(plan).join('\n'), /ipRelaxationPolicyType: Enforce → Bypass/);
  });

  it('every kind of drift: a missing component, a permission switched on, a list changed, a certificate replaced, a setting off', async () => {
    const b = await bundle();
    const org = configured(b);
    const doc = (key: string): (typeof b.documents)[number] => b.documents.find((d) => d.key === key)!;
    const components = new Map(org.components);
    const key = (k: string): string => `${doc(k).type}:${doc(k).fullName}`;
    components.delete(key('appPolicy'));
    components.set(key('profile'), doc('profile').xml.replace(/<name>ViewAllData<\/name>\s*<enabled>false<\/enabled>|<enabled>false<\/enabled>\s*<name>ViewAllData<\/name>/, '<enabled>true</enabled><name>ViewAllData</name>'));
    components.set(key('oauthSettings'), doc('oauthSettings').xml.replace(/<commaSeparatedOauthScopes>[^<]*</, '<commaSeparatedOauthScopes>Api<'));
    components.set(key('globalSettings'), doc('globalSettings').xml.replace(/<certificate>[^<]*</, '<certificate>MIIBother<'));
    components.set(key('eventSettings'), doc('eventSettings').xml.replace('<enableEventLogGeneration>true<', '<enableEventLogGeneration>false<'));
    const plan = planChanges(desired(b), { ...org, components });
    assert.deepEqual(kinds(plan), ['deploy integration profile and permission sets', 'deploy External Client App', 'switch-setting-on event log generation']);
    const lines = plan.flatMap((a) => a.changes.map(formatChange));
    assert.ok(lines.includes('Profile Anzenna Integration: userPermissions[ViewAllData]: enabled → disabled'), lines.join('\n'));
    assert.ok(lines.includes('ExtlClntAppConfigurablePolicies Anzenna_defaultPolicy: new'), lines.join('\n'));
    assert.ok(lines.some((l) => /commaSeparatedOauthScopes: Api → /.test(l)), lines.join('\n'));
    assert.ok(lines.includes('ExtlClntAppGlobalOauthSettings Anzenna_glbloauth: certificate: a different certificate → our certificate'), lines.join('\n'));
    assert.ok(lines.includes('Settings Event: enableEventLogGeneration: false → true'), lines.join('\n'));
  });

  it('switching the opt-ins on adds their permission sets to the profile stage, the policy and the user', async () => {
    const before = await bundle();
    const after = await bundle({ viewAllData: true, setupAudit: true });
    const plan = planChanges(desired(after), configured(before));
    assert.deepEqual(kinds(plan), [
      'deploy integration profile and permission sets',
      'deploy External Client App',
      'assign-permission-set Anzenna_View_All_Data',
      'assign-permission-set Anzenna_Setup_Audit',
    ]);
    assert.ok(plan[1].changes.some((c) => c.field.endsWith('commaSeparatedPermissionSet') && c.to === 'Event_Monitoring_Access,Anzenna_View_All_Data,Anzenna_Setup_Audit'));
  });

  it('switching the opt-ins off takes their assignments back (least privilege)', async () => {
    const on = await bundle({ viewAllData: true, setupAudit: true });
    const off = await bundle();
    const org = configured(on, fullUser(['Event_Monitoring_Access', 'Anzenna_View_All_Data', 'Anzenna_Setup_Audit']));
    const plan = planChanges(desired(off), org);
    assert.deepEqual(
      plan.filter((a) => a.kind === 'revoke-permission-set').map((a) => [a.target, a.reason]),
      [['Anzenna_View_All_Data', 'its opt-in is off'], ['Anzenna_Setup_Audit', 'its opt-in is off']]
    );
    assert.ok(plan.some((a) => a.kind === 'deploy' && a.target === 'External Client App'), 'the policy stops pre-authorizing them');
  });

  it('real-time events only when opted in', async () => {
    const b = await bundle();
    const org = configured(b);
    const components = new Map(org.components);
    components.delete('Settings:RealTimeEvent');
    assert.deepEqual(planChanges(desired(b), { ...org, components }), []);
    assert.deepEqual(kinds(planChanges(desired(b, { realTimeEvents: true }), { ...org, components })), ['switch-setting-on Event Manager storage of ReportEvent and LoginEvent']);
  });
});

describe('the user plan', () => {
  const want = { username: 'u@acme.com', email: 'e@acme.com', profileName: 'Anzenna Integration', permissionSets: ['Event_Monitoring_Access'], revokePermissionSets: ['Anzenna_View_All_Data'] };

  it('a user on another profile gets its profile set; only what is missing is assigned', () => {
    const actions = userActions({ id: '005x', username: 'u@acme.com', profileName: 'Old', hasPsl: true, permissionSets: ['Event_Monitoring_Access'] }, want);
    assert.deepEqual(actions.map((a) => [a.kind, a.changes.map(formatChange).join('; ')]), [['set-profile', 'profile: Old → Anzenna Integration']]);
  });

  it('a complete user needs nothing; a user without the licence gets the licence before the set', () => {
    assert.deepEqual(userActions({ id: '005x', username: 'u@acme.com', profileName: 'Anzenna Integration', hasPsl: true, permissionSets: ['Event_Monitoring_Access'] }, want), []);
    const actions = userActions({ id: '005x', username: 'u@acme.com', profileName: 'Anzenna Integration', hasPsl: false, permissionSets: ['Anzenna_View_All_Data'] }, want);
    assert.deepEqual(actions.map((a) => a.kind), ['assign-licence', 'assign-permission-set', 'revoke-permission-set']);
  });
});

describe('component changes', () => {
  it('ignores what the org adds and the org-specific identity fields; booleans and lists compare by value', async () => {
    const b = await bundle();
    const eca = b.documents.find((d) => d.key === 'eca')!;
    const withExtras = eca.xml.replace('</ExternalClientApplication>', '<orgScopedExternalApp>00D000000000001:Anzenna</orgScopedExternalApp><extra>x</extra></ExternalClientApplication>');
    assert.deepEqual(componentChanges(eca, withExtras), []);
    const oauth = b.documents.find((d) => d.key === 'oauthSettings')!;
    const reordered = oauth.xml.replace(/<commaSeparatedOauthScopes>([^<]*)</, (_m, list: string) => `<commaSeparatedOauthScopes>${list.split(',').reverse().join(', ')}<`);
    assert.deepEqual(componentChanges(oauth, reordered), []);
  });

  it('a label with & and < reads back equal (escaped once in the file, once by the org)', async () => {
    const b = await bundle({ label: 'Acme & Co <SIEM>' });
    const eca = b.documents.find((d) => d.key === 'eca')!;
    assert.match(eca.xml, /<label>Acme &amp; Co &lt;SIEM&gt;<\/label>/);
    assert.deepEqual(componentChanges(eca, eca.xml), []);
  });
});
