/**
 * Offline Salesforce org emulator: the slice of a real org that @salesforce/core, SDR and jsforce
 * use for the Anzenna setup (JWT bearer login, REST/SOQL, EventLogFile downloads, Metadata API).
 *
 *   const emu = await startEmulator({ edition: 'EnterpriseEventMonitoring' });
 *   await emu.writeAdminAuth(home, 'emu');   // then Org.create({ aliasOrUsername: 'emu' })
 *   …
 *   await emu.close();
 */
import { writeAuthFile, type WrittenAuth } from './auth-file.js';
import type { EventLogStore } from './event-logs.js';
import type { OrgBehaviour } from './behaviour.js';
import type { Faults } from './faults.js';
import type { OrgState, SRecord } from './org-state.js';
import { Scenario } from './scenario.js';
import { EmulatorServer, type EmulatorOptions, type RequestLogEntry } from './server.js';

export type { EditionName } from './editions.js';
export { EDITIONS, EDITION_NAMES } from './editions.js';
export type { EmulatorOptions, RequestLogEntry } from './server.js';
export { JWT_ERRORS, LOGIN_HISTORY_STATUS } from './oauth.js';
export { DEPLOY_ERRORS } from './validate.js';
export { DML_ERRORS } from './dml.js';
export { REST_ERRORS } from './rest.js';
export { USER_LICENCE_ALLOWS, PSL_ALLOWS, USER_PERMISSIONS } from './licences.js';
export { ANZENNA_EVENT_TYPES, EVENT_FIELDS } from './event-logs.js';
export type { Faults } from './faults.js';
export type { OrgBehaviour } from './behaviour.js';
export { BEHAVIOUR_FLAGS, DEFAULT_BEHAVIOUR } from './behaviour.js';
export { Scenario, type NewPermissionSet, type NewUser } from './scenario.js';
export { parseFaultSpec, applyFaultSpec, FAULT_SPEC_HELP, OPERATIONS, type FaultSpec } from './fault-spec.js';
export * as metadataTypes from './metadata-types.js';
export type { OrgState } from './org-state.js';

export interface EmulatorHandle {
  /** `http://127.0.0.1:<port>` (use as loginUrl and instanceUrl). */
  url: string;
  port: number;
  /** Named changes to the org for test scenarios (use these instead of editing `state`). */
  scenario: Scenario;
  /** Reported real-org behaviours currently switched on (change them with `scenario.setBehaviour`). */
  behaviour: Readonly<OrgBehaviour>;
  /** The org's internals, for reading; tests change the org through `scenario`. */
  state: OrgState;
  logs: EventLogStore;
  requestLog: RequestLogEntry[];
  faults: Faults;
  /** The seeded System Administrator's username. */
  adminUsername: string;
  /** Writes an auth file + alias for the System Administrator (or `username`) into `<home>/.sfdx`. */
  writeAdminAuth(home: string, alias?: string, username?: string): Promise<WrittenAuth>;
  /** Expires every session (REST answers 401 INVALID_SESSION_ID, SOAP the INVALID_SESSION_ID fault). */
  expireSessions(): void;
  /** Records that a user approved an app themselves (satisfies AllSelfAuthorized policies). */
  approveApp(username: string, ecaName: string): void;
  /** Adds an EventLogFile; give `sizeBytes` for a big file (streamed, never held in memory). */
  addLogFile(options: { eventType: string; logDate?: number; interval?: 'Daily' | 'Hourly'; rows?: number; sizeBytes?: number }): SRecord;
  /** Sets the query page size (records per page before nextRecordsUrl). */
  setQueryPageSize(size: number): void;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const server = new EmulatorServer(options);
  await server.listen();
  const url = server.origin();
  const scenario = new Scenario(server);
  return {
    url,
    port: server.port(),
    scenario,
    behaviour: server.behaviour,
    state: server.state,
    logs: server.logs,
    requestLog: server.requestLog,
    faults: server.faults,
    get adminUsername() {
      return server.state.adminUsername;
    },
    writeAdminAuth: (home, alias, username) => writeAuthFile({ state: server.state, url }, home, alias, username),
    expireSessions: () => scenario.expireSessions(),
    approveApp: (username, ecaName) => scenario.approveApp(username, ecaName),
    addLogFile: (o) => server.logs.add({ ...o, logDate: o.logDate ?? Date.now() - 86_400_000 - (Date.now() % 86_400_000) }),
    setQueryPageSize: (size) => {
      server.queryPageSize = size;
    },
    close: () => server.close(),
  };
}

/** Writes an admin auth for a running emulator (same as handle.writeAdminAuth). */
export async function writeAdminAuth(emu: Pick<EmulatorHandle, 'writeAdminAuth'>, home: string, alias?: string): Promise<WrittenAuth> {
  return emu.writeAdminAuth(home, alias);
}
