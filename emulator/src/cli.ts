/**
 * npm run emulator -- --port <n> [--home <dir> --alias <alias>] [--edition <edition>]
 *   [--latency-ms <n>] [--deploy-ms <n>] [--propagation-ms <n>] [--page-size <n>]
 *   [--admin-username <u>] [--large-log-mb <n>] [--fault <spec>]… [--legacy-login-audience]
 *   [--certificate-unreadable] [--pkce-always-on] [--reject-licensed-permission-set] [--revocation-keeps-access-tokens]
 * Prints `listening on http://127.0.0.1:<port>` when ready; serves until SIGTERM/SIGINT. Bad options: exit 2.
 */
import { parseCliArgs } from './cli-args.js';
import { applyFaultSpec } from './fault-spec.js';
import { startEmulator } from './index.js';

async function main(): Promise<void> {
  const config = parseCliArgs(process.argv.slice(2));
  const emu = await startEmulator(config.options);
  for (const f of config.faults) applyFaultSpec(emu.faults, f);
  if (config.largeLogMb > 0) emu.addLogFile({ eventType: 'API', sizeBytes: Math.round(config.largeLogMb * 1024 * 1024) });
  if (config.home) {
    const auth = await emu.writeAdminAuth(config.home, config.alias);
    console.error(`auth for ${auth.username} written to ${auth.authFile}`);
  }
  console.log(`listening on ${emu.url}`);
  const stop = (): void => {
    void emu.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(`emulator: ${(err as Error).message}`);
  process.exit(2);
});
