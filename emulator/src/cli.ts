/**
 * npm run emulator -- --port <n> [--home <dir> --alias <alias>] [--edition <edition>]
 *   [--latency-ms <n>] [--deploy-ms <n>] [--propagation-ms <n>] [--page-size <n>]
 *   [--admin-username <u>] [--large-log-mb <n>]
 * Prints `listening on http://127.0.0.1:<port>` when ready; serves until SIGTERM/SIGINT.
 */
import { EDITION_NAMES, isEditionName } from './editions.js';
import { startEmulator } from './index.js';

function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`missing value for ${a}`);
      out.set(a.slice(2), v);
      i++;
    }
  }
  return out;
}

const KNOWN = ['port', 'home', 'alias', 'edition', 'latency-ms', 'deploy-ms', 'propagation-ms', 'page-size', 'admin-username', 'large-log-mb'];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  for (const k of args.keys()) if (!KNOWN.includes(k)) throw new Error(`unknown option --${k} (known: ${KNOWN.map((x) => `--${x}`).join(' ')})`);
  const num = (k: string, dflt: number): number => {
    const v = args.get(k);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${k} must be a non-negative number`);
    return n;
  };
  const edition = args.get('edition') ?? 'Developer';
  if (!isEditionName(edition)) throw new Error(`--edition must be one of ${EDITION_NAMES.join(', ')}`);
  if (args.has('alias') && !args.has('home')) throw new Error('--alias needs --home');
  const emu = await startEmulator({
    port: num('port', 0),
    edition,
    latencyMs: num('latency-ms', 0),
    deployMs: num('deploy-ms', 0),
    propagationMs: num('propagation-ms', 0),
    queryPageSize: num('page-size', 2000) || 2000,
    adminUsername: args.get('admin-username'),
  });
  const largeMb = num('large-log-mb', 0);
  if (largeMb > 0) emu.addLogFile({ eventType: 'API', sizeBytes: Math.round(largeMb * 1024 * 1024) });
  const home = args.get('home');
  if (home) {
    const auth = await emu.writeAdminAuth(home, args.get('alias'));
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
