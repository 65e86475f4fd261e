/**
 * The second writer of the rendered bundle (beside the deploy staging of render.ts): where each document
 * goes in an SFDX project's package directory, in the layout of this repository's force-app (`main/default`
 * for the app and who may use it, `optional/<part>` for the opt-ins), plus the scratch org definition and
 * the ignore entries a project holding the integration needs. Pure: paths and texts, nothing written.
 * Never the global OAuth settings: they carry the certificate and consumer key and are rendered at deploy time.
 */
import { posix } from 'node:path';
import { METADATA_TYPES, SOURCE_LAYOUT, TEMPLATE_LOCATION } from './names.js';
import type { RenderedBundle } from './render.js';

/** One file of a project: posix path relative to its base (the package directory or the project root) and its text. */
export type ProjectFile = { readonly path: string; readonly text: string };

/**
 * The bundle's documents as package-directory files. The opt-in permission sets are in the bundle only when
 * chosen; event log generation is always written, real-time event storage only when `realTimeEvents`.
 */
export function packageFiles(bundle: RenderedBundle, options: { realTimeEvents: boolean }): ProjectFile[] {
  return bundle.documents
    .filter((doc) => doc.key !== 'globalSettings' && (doc.key !== 'realTimeEventSettings' || options.realTimeEvents))
    .map((doc) => ({ path: posix.join(SOURCE_LAYOUT[TEMPLATE_LOCATION[doc.key as Exclude<typeof doc.key, 'globalSettings'>]], doc.path), text: doc.xml }));
}

/** Path of the scratch org definition, relative to the project root. */
export const SCRATCH_DEF_PATH = 'config/project-scratch-def.json';

/**
 * What the integration needs of a scratch org (this repository's config/project-scratch-def.json, which a
 * test keeps equal): the EventLogFile feature, event log generation, and consumer-secret access through the
 * Metadata API. A project's own definition keeps everything else; these entries are added to it.
 */
export const SCRATCH_DEF = {
  orgName: 'sf-anzenna development',
  edition: 'Enterprise',
  hasSampleData: false,
  features: ['EventLogFile'],
  settings: {
    eventSettings: { enableEventLogGeneration: true },
    externalClientAppSettings: { enableConsumerSecretApiAccess: true },
  },
} as const;

/** Entries a project's own scratch definition must hold (the rest of SCRATCH_DEF is only a starting point). */
export const SCRATCH_DEF_REQUIRED = { features: SCRATCH_DEF.features, settings: SCRATCH_DEF.settings } as const;

/** The folder of the global OAuth settings, wherever it appears. */
export const GLOBAL_SETTINGS_IGNORE = `**/${METADATA_TYPES.ExtlClntAppGlobalOauthSettings.directoryName}/`;

/** The comment written above entries the generator appends to an ignore file. */
export const IGNORE_COMMENT = '# sf-anzenna: rendered at deploy time (certificate, consumer key), and the JWT key pair';

/**
 * Entries `.forceignore` and `.gitignore` must both hold: the global OAuth settings folder (never deployed from
 * source, never committed) and the key folder (posix, relative to the project root; undefined when outside it).
 */
export function ignoreEntries(keyFolder: string | undefined): string[] {
  return [GLOBAL_SETTINGS_IGNORE, ...(keyFolder === undefined ? [] : [`${keyFolder.replace(/\/+$/, '')}/`])];
}
