/**
 * `npm run bench`: the product's speed and memory figures, printed in one run. Not a test: nothing here
 * fails the build; the README records the figures.
 */
import { benchCertificate, reportCertificate } from './bench/cert.js';

const only = process.argv[2];

if (!only || only === 'cert') {
  console.log(reportCertificate(await benchCertificate()));
}
