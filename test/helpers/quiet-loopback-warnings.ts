/**
 * Preloaded into every test process by scripts/run-tests.ts (never into the plugin a user runs):
 * @salesforce/core's SfdcUrl warns `Using insecure protocol: http: on url: http://127.0.0.1:<port>` for the
 * emulator's plain-HTTP loopback URL. That is expected in tests only, so exactly that warning, for loopback
 * origins only, is dropped; every other warning (and this one for any other host) still prints.
 */
const LOOPBACK_HTTP = /^Using insecure protocol: http: on url: http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

const original = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((warning: string | Error, ...rest: unknown[]): void => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (LOOPBACK_HTTP.test(text)) return;
  original(warning, ...rest);
}) as typeof process.emitWarning;

export const loopbackWarningPattern = LOOPBACK_HTTP;
