/** What every endpoint module gets: the org, its logs, faults and server facts. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OrgBehaviour } from './behaviour.js';
import type { EventLogStore } from './event-logs.js';
import type { Faults } from './faults.js';
import type { OrgState } from './org-state.js';

export interface EmulatorContext {
  state: OrgState;
  logs: EventLogStore;
  faults: Faults;
  /** Reported real-org behaviours switched on or off (see behaviour.ts). */
  behaviour: OrgBehaviour;
  /** `http://127.0.0.1:<port>` */
  origin(): string;
  port(): number;
  /** Query page size (records per page before nextRecordsUrl). */
  queryPageSize: number;
  /** Names the operation of a request in the request log (e.g. the SOAP call `deploy`). */
  annotate(req: IncomingMessage, operation: string): void;
  /**
   * Names the operation and applies an operation fault (rate limit, server error) if one is armed for it:
   * then the fault answer is sent and `true` returned (the caller stops).
   */
  operation(req: IncomingMessage, res: ServerResponse, operation: string): boolean;
}
