/** What every endpoint module gets: the org, its logs, faults and server facts. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventLogStore } from './event-logs.js';
import type { Faults } from './faults.js';
import type { OrgState } from './org-state.js';

export interface EmulatorContext {
  state: OrgState;
  logs: EventLogStore;
  faults: Faults;
  /** `http://127.0.0.1:<port>` */
  origin(): string;
  port(): number;
  /** Query page size (records per page before nextRecordsUrl). */
  queryPageSize: number;
  /** Names the operation of a request in the request log (e.g. the SOAP call `deploy`). */
  annotate(req: IncomingMessage, operation: string, res?: ServerResponse): void;
}
