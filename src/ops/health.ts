// /healthz and /readyz. Health: 200 while Mailroom is serving (started, not stopping), 503
// otherwise, with a JSON body per inbox: the IMAP session and its last sync, the sign-in, the
// outbox and posting backlogs, the last error; and the Slack connection. Readiness: 200 only once
// every inbox has caught up and Slack is connected. Never a secret: errors are their messages.
import type { SignInStatus } from '../mail/auth/token-source.ts';
import type { Inboxes } from '../usecases/inboxes.ts';

export interface WatcherState {
  readonly connected: boolean;
  readonly caughtUp: boolean;
  readonly syncedAt: number | null;
  readonly lastError: string | null;
  /** Sessions failing in a row, and since when (null: healthy). */
  readonly health: { readonly failures: number; readonly failingSince: number | null };
}

export interface SlackState {
  mode: 'socket' | 'http';
  /** Socket Mode: the socket is open. HTTP mode: auth.test answered. */
  connected: boolean;
  lastEventAt: number | null;
}

export interface HealthSources {
  inboxes: Inboxes;
  /** Each inbox's watcher, in `inboxes.all` order. */
  watchers: readonly WatcherState[];
  signIns: ReadonlyMap<number, { status(): SignInStatus }>;
  slack: () => SlackState;
  outboxDepth(inboxId: number): Record<string, number>;
  queueDepth(channelId: string): number;
  /** Started and not stopping. */
  serving: () => boolean;
  /** Whether this process holds the database's writer lease, or stands by. */
  role: () => string;
}

export interface HealthAnswer {
  status: 200 | 503;
  body: Record<string, unknown>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function createHealth(o: HealthSources) {
  function inboxes() {
    return Object.fromEntries(
      o.inboxes.all.map((i, n) => {
        const w = o.watchers[n]!;
        const signIn = o.signIns.get(i.inbox.id)?.status();
        return [
          i.inbox.key,
          {
            imap: { connected: w.connected, caughtUp: w.caughtUp, lastSyncAt: iso(w.syncedAt) },
            signIn: signIn ? { kind: 'oauth', state: signIn.state, ...(signIn.failure ? { reason: signIn.failure.reason } : {}) } : { kind: i.config.signIn },
            outbox: o.outboxDepth(i.inbox.id),
            postingBacklog: o.queueDepth(i.inbox.channelId),
            lastError: w.lastError,
          },
        ];
      }),
    );
  }
  const slackBody = () => {
    const s = o.slack();
    return { mode: s.mode, connected: s.connected, lastEventAt: iso(s.lastEventAt) };
  };
  return {
    health(): HealthAnswer {
      // A standby is healthy: waiting to take over is its job (it is not ready).
      const role = o.role();
      const serving = o.serving() || role === 'standby';
      // `imap` sums up each inbox's session (connected or not), for a quick look and old probes.
      const imap = Object.fromEntries(o.inboxes.all.map((i, n) => [i.inbox.key, o.watchers[n]!.connected]));
      // Inboxes whose IMAP sessions keep failing: how many in a row, since when.
      const imapFailing = Object.fromEntries(
        o.inboxes.all.flatMap((i, n) => {
          const h = o.watchers[n]!.health;
          return h.failingSince === null ? [] : [[i.inbox.key, { failures: h.failures, since: iso(h.failingSince) }]];
        }),
      );
      const slack = slackBody();
      // `slack` says whether Slack is connected; `slackConnection` how and when it last spoke.
      return { status: serving ? 200 : 503, body: { ok: serving, role, imap, imapFailing, slack: slack.connected, slackConnection: slack, inboxes: inboxes() } };
    },
    ready(): HealthAnswer {
      const waiting = o.inboxes.all.filter((_, n) => !o.watchers[n]!.caughtUp).map((i) => i.inbox.key);
      const slack = slackBody();
      const ready = o.serving() && waiting.length === 0 && slack.connected;
      return { status: ready ? 200 : 503, body: { ready, role: o.role(), slack, inboxesNotCaughtUp: waiting } };
    },
  };
}
export type Health = ReturnType<typeof createHealth>;
