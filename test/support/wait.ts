/** Polling helpers for tests: wait until a condition holds, with a timeout message that says what was awaited. */

export interface WaitOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Poll this often (default 20 ms). */
  intervalMs?: number;
  /** Said in the timeout error, e.g. "2 messages in #general"; a function is called at timeout time. */
  description?: string | (() => string);
}

/** Calls `fn` until it returns a value other than undefined/null/false (or stops throwing) and returns that value; rejects with a clear message on timeout. */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<Exclude<T, undefined | null | false>> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const intervalMs = opts.intervalMs ?? 20;
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() - started >= timeoutMs) {
      const what = typeof opts.description === 'function' ? opts.description() : (opts.description ?? fn.toString().slice(0, 200));
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`waitFor timed out after ${timeoutMs} ms waiting for: ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
