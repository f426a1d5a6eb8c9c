// IMAP logins of every inbox go through one limiter: at most `concurrency` at once, and each
// started at least `spacingMs` after the one before. So a process with 100 inboxes does not hit
// its provider with 100 logins in the same second at start-up (providers throttle or refuse
// bursts of logins from one address), nor when every inbox reconnects after an outage. A login
// holds its slot from connecting until its mailbox is open; one that hangs gives it up after
// `maxHoldMs`, so a stuck server cannot hold up the other inboxes for long.

export interface LoginLimiterOptions {
  /** Logins in flight at once (default 10). */
  concurrency?: number;
  /** Between the starts of two logins (default 50 ms: at most 20 a second). */
  spacingMs?: number;
  /** A slot held longer than this is given back (default 30 s). */
  maxHoldMs?: number;
  now?: () => number;
}

/** Gives the slot back; calling it again does nothing. */
export type Release = () => void;

export interface LoginLimiter {
  /** Waits for a slot. Rejects (with the signal's reason) if `signal` aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<Release>;
  /** Logins holding a slot now, and waiting for one. */
  readonly held: number;
  readonly waiting: number;
}

interface Waiter {
  grant(release: Release): void;
}

export function createLoginLimiter(o: LoginLimiterOptions = {}): LoginLimiter {
  const concurrency = Math.max(1, o.concurrency ?? 10);
  const spacingMs = Math.max(0, o.spacingMs ?? 50);
  const maxHoldMs = o.maxHoldMs ?? 30_000;
  const now = o.now ?? Date.now;
  const queue: Waiter[] = [];
  let held = 0;
  let lastStart = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;

  function pump(): void {
    while (!timer && queue.length > 0 && held < concurrency) {
      const wait = lastStart + spacingMs - now();
      if (wait > 0) {
        timer = setTimeout(() => {
          timer = null;
          pump();
        }, wait);
        return;
      }
      const waiter = queue.shift()!;
      held++;
      lastStart = now();
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        clearTimeout(hold);
        held--;
        pump();
      };
      const hold = setTimeout(release, maxHoldMs);
      hold.unref();
      waiter.grant(release);
    }
  }

  return {
    acquire(signal?: AbortSignal): Promise<Release> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<Release>((resolve, reject) => {
        const onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal!.reason);
        };
        const waiter: Waiter = {
          grant: (release) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(release);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
        pump();
      });
    },
    get held() {
      return held;
    },
    get waiting() {
      return queue.length;
    },
  };
}
