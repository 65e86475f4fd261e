// Child process of the log-check benchmark: runs setup's EventLogFile check from the built plugin (the real
// jsforce stack) against the emulator, and prints how long the check took and this process's peak memory.
import { Connection } from '@jsforce/jsforce-node';
import { checkEventLogs } from '../../plugin/lib/logs/event-log-check.js';

const [url, accessToken] = process.argv.slice(2);
const conn = new Connection({ instanceUrl: url, accessToken, version: '66.0' });
const start = performance.now();
const report = await checkEventLogs(conn, 'the admin');
const checkMs = performance.now() - start;
process.stdout.write(JSON.stringify({ checkMs, maxRssKb: process.resourceUsage().maxRSS, sampleId: report.sample?.id }));
