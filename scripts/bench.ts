/**
 * `npm run bench`: the product's speed and memory figures, printed in one run. Not a test: nothing here
 * fails the build; the README records the figures. `npm run bench -- cert|setup|logs` runs one.
 */
import { benchCertificate, reportCertificate } from './bench/cert.js';
import { benchLogCheck, benchSetup, reportLogCheck, reportSetup } from './bench/setup.js';

const only = process.argv[2];

// The setup figures compare with the pinned real `sf`: install it first (a no-op when it is there), so the
// benchmark works on a fresh clone without a prior `npm test`.
if (!only || only === 'setup') await import('./ensure-sf-cli.js');

if (!only || only === 'cert') console.log(reportCertificate(await benchCertificate()), '\n');
if (!only || only === 'setup') console.log(reportSetup(await benchSetup()), '\n');
if (!only || only === 'logs') console.log(reportLogCheck(await benchLogCheck()));
