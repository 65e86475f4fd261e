/**
 * The plan: a pure function (desired state, org state) → ordered actions, each one data: what (`kind`),
 * which `target`, the field `changes` (`field`, `from`, `to`) and `reason`. Setup shows it (`--dry-run`,
 * the production confirmation, `result.plan`) and carries it out; verify's drift check reads the same
 * component changes. No org, no file, no clock: unit-tested as it is.
 */
import type { RenderedBundle, RenderedDocument, StageName } from '../metadata/index.js';
import { compareXml } from './drift.js';

export type FieldChange = { field: string; from: string; to: string };

export type ActionKind =
  | 'write-key-pair'
  | 'deploy'
  | 'switch-setting-on'
  | 'create-user'
  | 'set-profile'
  | 'assign-licence'
  | 'assign-permission-set'
  | 'revoke-permission-set';

export type Action = {
  kind: ActionKind;
  target: string;
  changes: FieldChange[];
  reason: string;
  /** For deploy and switch-setting-on: the rendered stage carried out. */
  stage?: StageName;
};

/** The integration user as the org has it (the part the plan needs). */
export type UserSnapshot = {
  id?: string;
  username: string;
  profileName?: string;
  hasPsl: boolean;
  permissionSets: readonly string[];
};

export type DesiredUser = {
  username: string;
  email: string;
  profileName: string;
  permissionSets: readonly string[];
  /** Opt-in permission sets that are switched off: an assignment of one is removed (least privilege). */
  revokePermissionSets: readonly string[];
};

export type DesiredState = {
  /** The bundle as it should be in the org, rendered in memory. */
  bundle: RenderedBundle;
  /** Turn on Event Manager storage (the opt-in). */
  realTimeEvents: boolean;
  /** A key pair to write before anything is deployed (a generated one), with where. */
  keyPair?: { privateKeyPath: string; certificatePath: string };
  user: DesiredUser;
};

export type OrgSnapshot = {
  /** Our components' source XML as the org holds them, by `<type>:<fullName>`. */
  components: ReadonlyMap<string, string>;
  user: UserSnapshot;
};

export const STAGE_TITLES: Record<StageName, string> = {
  stage1: 'integration profile and permission sets',
  stage2: 'External Client App',
  'event-log-generation': 'event log generation',
  'real-time-events': 'Event Manager storage of ReportEvent and LoginEvent',
};

const MISSING = '(missing)';

/** Field by field, what the org's copy of one component lacks (a missing component is one change). */
export function componentChanges(doc: Pick<RenderedDocument, 'type' | 'fullName' | 'path' | 'xml'>, orgXml: string | undefined): FieldChange[] {
  const component = `${doc.type} ${doc.fullName}`;
  return compareXml(doc.xml, orgXml, doc.path).map((d) =>
    d.field === '(component)' ? { field: component, from: MISSING, to: 'created' } : { field: `${component}: ${d.field}`, from: d.actual, to: d.expected }
  );
}

/** One change as a reviewer reads it. */
export function formatChange(change: FieldChange): string {
  return change.from === MISSING ? `${change.field}: new` : `${change.field}: ${change.from} → ${change.to}`;
}

function stageChanges(desired: DesiredState, org: OrgSnapshot, stage: StageName): FieldChange[] {
  return desired.bundle.documents
    .filter((d) => d.stage === stage)
    .flatMap((d) => componentChanges(d, org.components.get(`${d.type}:${d.fullName}`)));
}

function deployActions(desired: DesiredState, org: OrgSnapshot): Action[] {
  const actions: Action[] = [];
  for (const stage of ['stage1', 'stage2'] as const) {
    const changes = stageChanges(desired, org, stage);
    if (changes.length === 0) continue;
    const allNew = changes.every((c) => c.from === MISSING);
    actions.push({ kind: 'deploy', target: STAGE_TITLES[stage], stage, changes, reason: allNew ? 'not in the org yet' : 'the org differs from the source' });
  }
  const settings: StageName[] = ['event-log-generation', ...(desired.realTimeEvents ? (['real-time-events'] as const) : [])];
  for (const stage of settings) {
    const changes = stageChanges(desired, org, stage);
    if (changes.length > 0) actions.push({ kind: 'switch-setting-on', target: STAGE_TITLES[stage], stage, changes, reason: 'off in the org (best effort)' });
  }
  return actions;
}

/** What the integration user lacks, in the order Salesforce accepts it (licence before a licensed permission set). */
export function userActions(user: UserSnapshot, desired: DesiredUser): Action[] {
  const actions: Action[] = [];
  if (!user.id) {
    actions.push({
      kind: 'create-user',
      target: desired.username,
      changes: [{ field: 'profile', from: MISSING, to: desired.profileName }, { field: 'email', from: MISSING, to: desired.email }],
      reason: 'no user of that name',
    });
  } else if (user.profileName !== desired.profileName) {
    actions.push({ kind: 'set-profile', target: desired.username, changes: [{ field: 'profile', from: user.profileName ?? '?', to: desired.profileName }], reason: 'another profile' });
  }
  if (!user.hasPsl) {
    actions.push({ kind: 'assign-licence', target: desired.username, changes: [{ field: 'permission set licence', from: 'none', to: 'Salesforce API Integration' }], reason: 'not assigned' });
  }
  for (const ps of desired.permissionSets.filter((p) => !user.permissionSets.includes(p))) {
    actions.push({ kind: 'assign-permission-set', target: ps, changes: [{ field: 'assigned', from: 'no', to: 'yes' }], reason: `not assigned to ${desired.username}` });
  }
  for (const ps of desired.revokePermissionSets.filter((p) => user.permissionSets.includes(p))) {
    actions.push({ kind: 'revoke-permission-set', target: ps, changes: [{ field: 'assigned', from: 'yes', to: 'no' }], reason: 'its opt-in is off' });
  }
  return actions;
}

/** The ordered plan: key pair, profile and permission sets, the app, the settings, the user. */
export function planChanges(desired: DesiredState, org: OrgSnapshot): Action[] {
  const keyPair: Action[] = desired.keyPair
    ? [{ kind: 'write-key-pair', target: desired.keyPair.privateKeyPath, changes: [{ field: 'files', from: 'none', to: `${desired.keyPair.privateKeyPath} (0600), ${desired.keyPair.certificatePath}` }], reason: 'no key pair found' }]
    : [];
  return [...keyPair, ...deployActions(desired, org), ...userActions(org.user, desired.user)];
}

const VERBS: Record<ActionKind, string> = {
  'write-key-pair': 'write a new key pair',
  deploy: 'deploy the',
  'switch-setting-on': 'switch on',
  'create-user': 'create user',
  'set-profile': 'set the profile of',
  'assign-licence': 'assign the API Integration permission set licence to',
  'assign-permission-set': 'assign permission set',
  'revoke-permission-set': 'remove permission set',
};

/** One change of an action: a new component is "new"; a new user's fields show the value they get ("profile: Anzenna Integration"). */
export function formatActionChange(action: Pick<Action, 'kind'>, change: FieldChange): string {
  return action.kind !== 'deploy' && change.from === MISSING ? `${change.field}: ${change.to}` : formatChange(change);
}

/** One line per action, then one indented line per field change: the way a reviewer reads `terraform plan`. */
export function formatPlan(plan: readonly Action[]): string[] {
  if (plan.length === 0) return ['No changes: the org already matches.'];
  return plan.flatMap((a) => [`${a.kind === 'deploy' || a.kind === 'switch-setting-on' ? '~' : '+'} ${VERBS[a.kind]} ${a.target} (${a.reason})`, ...a.changes.map((c) => `    ${formatActionChange(a, c)}`)]);
}
