// When the watcher reconnects, and how an inbox's IMAP health is told. Pure: the watcher feeds it
// session ends and healthy sessions, and does what it says.
//
// Any session that ends is a failure, whether the login failed or the server ended the session a
// moment after it (some do, for a locked or over-quota account): the wait before the next login
// grows with each one, and only a session that stayed up a while (HEALTHY_AFTER_MS) resets it. So
// a server that ends every session at once sees about six logins in the first minute, then one or
// two a minute. A permanent OAuth2 sign-in failure waits on its own pace and is not backed off.

/** A session up this long is healthy: the next failure starts the backoff from the beginning. */
export const HEALTHY_AFTER_MS = 60_000;
/** Failing this long is said in the inbox's channel (once; and again when it works). */
export const FAILING_NOTE_AFTER_MS = 10 * 60_000;

/**
 * The wait before reconnecting after `step` backed-off failures in a row (0 for the first):
 * 0.5–1 s, then doubling up to 30–60 s, with jitter so that many inboxes don't reconnect together.
 */
export function reconnectDelayMs(step: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.min(Math.max(0, step), 6));
  return base / 2 + random() * (base / 2);
}

export interface ImapHealth {
  /** Sessions that ended (or could not start) in a row since the last healthy one. */
  failures: number;
  /** Of those, the ones backed off (a permanent sign-in failure waits instead). */
  backoffStep: number;
  /** When the first of them ended (ms); null while healthy. */
  failingSince: number | null;
  lastError: string | null;
  /** The channel was told this inbox keeps failing (so it is told again when it works). */
  noted: boolean;
}

export const HEALTHY: ImapHealth = { failures: 0, backoffStep: 0, failingSince: null, lastError: null, noted: false };

/** A session ended or could not start. `backoff: false` for a wait that has its own pace. */
export function sessionEnded(h: ImapHealth, e: { at: number; error: string; backoff: boolean }): { health: ImapHealth; delayStep: number | null } {
  const health: ImapHealth = {
    failures: h.failures + 1,
    backoffStep: h.backoffStep + (e.backoff ? 1 : 0),
    failingSince: h.failingSince ?? e.at,
    lastError: e.error,
    noted: h.noted,
  };
  return { health, delayStep: e.backoff ? h.backoffStep : null };
}

/** Whether to say now that the inbox keeps failing: failing for `afterMs` and not said yet. */
export function shouldNoteFailing(h: ImapHealth, at: number, afterMs: number = FAILING_NOTE_AFTER_MS): boolean {
  return !h.noted && h.failingSince !== null && at - h.failingSince >= afterMs;
}

/** A session stayed up HEALTHY_AFTER_MS: back to healthy, and whether a "works again" note is due. */
export function sessionHealthy(h: ImapHealth): { health: ImapHealth; recovered: boolean } {
  return { health: HEALTHY, recovered: h.noted };
}
