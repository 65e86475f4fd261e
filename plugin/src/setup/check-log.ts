/** The record of setup's checks as they run (one check-result model, checks/model.ts); warnings also reach the UI. */
import type { CheckOutcome } from '../checks/model.js';
import type { SetupUi } from './options.js';

export class CheckLog {
  public readonly checks: CheckOutcome[] = [];

  public constructor(private readonly ui: Pick<SetupUi, 'warn'>) {}

  public pass(id: string, message: string): void {
    this.checks.push({ id, status: 'pass', message });
  }

  public warn(id: string, message: string): void {
    this.checks.push({ id, status: 'warn', message });
    this.ui.warn(message);
  }

  public skip(id: string, message: string): void {
    this.checks.push({ id, status: 'skip', message });
  }
}
