// SQLite answers SQLITE_BUSY when another process holds the write lock longer than the busy
// timeout. Callers that must not lose what they were about to store (an acknowledged Slack event)
// try again for a while instead of giving up at once.
import { errorCode } from '../errors.ts';

export function isBusy(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT';
}

/** Run `fn`, retrying while the database is busy, for up to `totalMs`. */
export async function whileBusy<T>(fn: () => T | Promise<T>, totalMs = 60_000, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<T> {
  const until = Date.now() + totalMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusy(err) || Date.now() >= until) throw err;
      await sleep(Math.min(2_000, 100 * 2 ** attempt));
    }
  }
}
