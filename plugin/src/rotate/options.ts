/** What the rotation is given: resolved inputs, the run's switches and its UI (the command builds them). */
import type { KeyFormat } from '../cert/index.js';
import type { RotationAction } from '../plan/rotation.js';

export type RotateOptions = {
  appName: string;
  outputDir: string;
  certificateFile?: string;
  /** The vendor's new certificate by URL (https; downloaded and checked before any request to the org). */
  certificateUrl?: string;
  privateKeyFile?: string;
  integrationUser?: string;
  keySize: number;
  keyFormat: KeyFormat;
  validityDays: number;
  waitMinutes: number;
  dryRun: boolean;
  parallelApp: boolean;
  finish: boolean;
  deleteApp: boolean;
  force: boolean;
  /** The force-app directory the parallel app is rendered from. */
  sourceDir: string;
  /** The target org's alias or username, for the commands we tell the admin to run. */
  orgName: string;
  /** Injectable for tests: the JWT login's pause between retries. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
};

export type RotateUi = {
  step(title: string): void;
  status(message: string): void;
  done(summary?: string): void;
  warn(message: string): void;
  /** Asked before a production org is changed; false stops the run. */
  confirm(plan: readonly RotationAction[]): Promise<boolean>;
};
