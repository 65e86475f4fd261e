/**
 * Command-line options of `npm run emulator`, parsed into startEmulator options plus the faults to arm.
 * Every bad option throws an Error with a plain message (the CLI prints it and exits 2).
 */
import { BEHAVIOUR_FLAGS, type OrgBehaviour } from './behaviour.js';
import { EDITION_NAMES, isEditionName } from './editions.js';
import { parseFaultSpec, type FaultSpec } from './fault-spec.js';
import type { EmulatorOptions } from './server.js';

export interface CliConfig {
  options: EmulatorOptions;
  faults: FaultSpec[];
  home?: string;
  alias?: string;
  largeLogMb: number;
}

const VALUED = ['port', 'home', 'alias', 'edition', 'latency-ms', 'deploy-ms', 'propagation-ms', 'page-size', 'admin-username', 'large-log-mb', 'fault'];
const SWITCHES = Object.values(BEHAVIOUR_FLAGS);

/** Splits argv into valued options (`--x v` or `--x=v`; `--fault` repeatable) and switches. */
function split(argv: string[]): { values: Map<string, string>; faults: string[]; switches: Set<string> } {
  const values = new Map<string, string>();
  const faults: string[] = [];
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (SWITCHES.includes(name) && eq < 0) {
      switches.add(name);
      continue;
    }
    if (!VALUED.includes(name)) throw new Error(`unknown option --${name} (known: ${[...VALUED, ...SWITCHES].map((x) => `--${x}`).join(' ')})`);
    let v: string | undefined = eq > 0 ? a.slice(eq + 1) : argv[i + 1];
    if (eq < 0) {
      if (v === undefined || v.startsWith('--')) throw new Error(`missing value for ${a}`);
      i++;
    }
    v ??= '';
    if (name === 'fault') faults.push(v);
    else values.set(name, v);
  }
  return { values, faults, switches };
}

export function parseCliArgs(argv: string[]): CliConfig {
  const { values, faults, switches } = split(argv);
  const num = (k: string, dflt: number): number => {
    const v = values.get(k);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (v === '' || !Number.isFinite(n) || n < 0) throw new Error(`--${k} must be a non-negative number`);
    return n;
  };
  const edition = values.get('edition') ?? 'Developer';
  if (!isEditionName(edition)) throw new Error(`--edition must be one of ${EDITION_NAMES.join(', ')}`);
  if (values.has('alias') && !values.has('home')) throw new Error('--alias needs --home');
  const behaviour: Partial<OrgBehaviour> = {};
  for (const [key, flag] of Object.entries(BEHAVIOUR_FLAGS) as [keyof OrgBehaviour, string][]) if (switches.has(flag)) behaviour[key] = true;
  return {
    options: {
      port: num('port', 0),
      edition,
      latencyMs: num('latency-ms', 0),
      deployMs: num('deploy-ms', 0),
      propagationMs: num('propagation-ms', 0),
      queryPageSize: num('page-size', 2000) || 2000,
      adminUsername: values.get('admin-username'),
      ...behaviour,
    },
    faults: faults.map(parseFaultSpec),
    home: values.get('home'),
    alias: values.get('alias'),
    largeLogMb: num('large-log-mb', 0),
  };
}
