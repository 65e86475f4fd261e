/** The synchronous file operations a signal handler may use (nothing asynchronous runs after process.exit). */
import { rmSync } from 'node:fs';

export function removeSync(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
