/**
 * An emulated org on 127.0.0.1 with an admin auth under a throw-away HOME, and the plugin run against it
 * in a child process (the real @salesforce/core, SDR and jsforce, over HTTP).
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../emulator/src/index.js';
import { runCli, tempDir, type CliResult } from './cli.js';

export type EmulatedOrg = {
  emu: EmulatorHandle;
  home: string;
  /** Working directory for the runs (outside any SFDX project unless a test makes one). */
  cwd: string;
  run<T = unknown>(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult<T>>;
  /** The org's state as JSON: records, metadata and settings (not sessions), for before/after comparisons. */
  snapshot(): string;
  close(): Promise<void>;
};

export async function emulatedOrg(options: EmulatorOptions = {}): Promise<EmulatedOrg> {
  const emu = await startEmulator(options);
  const home = tempDir('org-home');
  const cwd = tempDir('org-cwd');
  await emu.writeAdminAuth(home, 'emu');
  return {
    emu,
    home,
    cwd,
    run: (args, env) => runCli(args, { home, cwd, env }),
    snapshot: () => emu.scenario.snapshot(),
    close: () => emu.close(),
  };
}

/** SOAP deploy calls in the request log (the Metadata API `deploy`, not its status polls). */
export function soapCalls(emu: EmulatorHandle): number {
  return emu.requestLog.filter((r) => r.method === 'POST' && r.path.startsWith('/services/Soap/m/')).length;
}
