// One writer per database, and a hot standby. A process takes the lease (a row in the store),
// renews it every 5 s and holds it 15 s; a second process waits as a standby until the lease is
// released (a clean stop hands over at once) or expires (the holder died or froze), then takes it
// with a new epoch. The holder renews, and when a renewal finds the lease gone (it was paused past
// the expiry, its disk stalled) it says so and stops: the fenced writes already refuse it.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { describeError } from '../errors.ts';
import type { LeaseToken } from '../store/lease.ts';
import type { Store } from '../store/index.ts';

export const LEASE_TTL_MS = 15_000;
export const HEARTBEAT_MS = 5_000;

export interface Closable {
  port?: number | null;
  close(): Promise<void>;
}

export type LeaseRole = 'starting' | 'standby' | 'holder' | 'lost';

export interface WriterLeaseOptions {
  store: Store;
  logger: Logger;
  ttlMs?: number;
  heartbeatMs?: number;
  /** How often a standby looks whether the lease is free (default 250 ms: one indexed read). */
  pollMs?: number;
  /** A standby says so in the log when work waits this long (default 10 s). */
  waitingNoteMs?: number;
  now?: () => number;
}

/**
 * A holder that is certainly gone: a process of this machine that no longer runs, or an earlier
 * life of this very process id (a container restarted in place). A frozen process still runs: its
 * lease is waited out.
 */
export function holderGone(holder: string, me = { host: hostname(), pid: process.pid }): boolean {
  const m = /^(.*):(\d+):[0-9a-f]+$/.exec(holder);
  if (!m || m[1] !== me.host) return false;
  const pid = Number(m[2]);
  if (pid === me.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function createWriterLease(o: WriterLeaseOptions) {
  const now = o.now ?? Date.now;
  const ttl = o.ttlMs ?? LEASE_TTL_MS;
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const lost: (() => void)[] = [];
  let role: LeaseRole = 'starting';
  let token: LeaseToken | null = null;
  let heartbeat: NodeJS.Timeout | undefined;
  let stopping = false;
  let wake: (() => void) | null = null;
  // What a standby serves while it waits (/healthz, /readyz), closed once it holds the lease.
  let standbyServer: Closable | null = null;
  const closeStandby = async () => {
    const server = standbyServer;
    standbyServer = null;
    await server?.close();
  };

  const sleep = (ms: number) => new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    wake = () => {
      clearTimeout(t);
      r();
    };
  });

  /** Emails not in Slack yet and replies due: what a standby's wait holds up. */
  function waitingWork(): { unposted: number; dueReplies: number } {
    return { unposted: o.store.messages.unposted().length, dueReplies: o.store.outbox.due(now()).length };
  }

  function renew(): void {
    if (!token) return;
    let ok = false;
    try {
      ok = o.store.lease.renew(token, now(), ttl);
    } catch (err) {
      // A locked or slow disk: try again at the next beat; the lease may still be ours.
      o.logger.warn({ err: describeError(err) }, 'could not renew the database lease');
      return;
    }
    if (ok) return;
    role = 'lost';
    clearInterval(heartbeat);
    o.logger.error({ epoch: token.epoch }, 'lost the database lease: another Mailroom writes now; this one stops writing');
    for (const l of lost) l();
  }

  return {
    holder,
    role: () => role,
    /** Waits (as a standby) until the lease is ours; null when stopped first. */
    async acquire(o2: { whileStandby?: () => Promise<Closable> } = {}): Promise<LeaseToken | null> {
      let waitingSince: number | null = null;
      let noted = false;
      while (!stopping) {
        let got: LeaseToken | null = null;
        try {
          got = o.store.lease.acquire(holder, now(), ttl, (h) => holderGone(h));
        } catch (err) {
          o.logger.warn({ err: describeError(err) }, 'could not read the database lease');
        }
        if (got) {
          token = got;
          role = 'holder';
          o.store.holdLease(got);
          heartbeat = setInterval(renew, o.heartbeatMs ?? HEARTBEAT_MS);
          heartbeat.unref();
          if (waitingSince !== null) o.logger.info({ epoch: got.epoch, waitedMs: now() - waitingSince }, 'took over the database lease');
          await closeStandby();
          return got;
        }
        if (waitingSince === null) {
          waitingSince = now();
          role = 'standby';
          const h = o.store.lease.current();
          o.logger.info({ holder: h?.holder, expiresInMs: h ? h.expiresAt - now() : null }, 'standing by: another Mailroom holds the database');
          if (o2.whileStandby) {
            standbyServer = await o2.whileStandby();
            o.logger.info({ port: standbyServer.port }, 'standby answering /healthz and /readyz');
          }
        } else if (!noted && now() - waitingSince >= (o.waitingNoteMs ?? 10_000)) {
          const work = waitingWork();
          if (work.unposted || work.dueReplies) {
            noted = true;
            o.logger.warn({ ...work, holder: o.store.lease.current()?.holder }, 'standing by while work waits: the holder is not keeping up (or is stuck)');
          }
        }
        await sleep(o.pollMs ?? 250);
      }
      await closeStandby();
      return null;
    },
    /** Called when a renewal finds the lease gone. */
    onLost(listener: () => void): void {
      lost.push(listener);
    },
    /** A clean stop: give the lease up at once, so a standby takes over in about a second. */
    async release(): Promise<void> {
      stopping = true;
      wake?.();
      clearInterval(heartbeat);
      if (token && role === 'holder') {
        try {
          o.store.lease.release(token);
        } catch (err) {
          o.logger.warn({ err: describeError(err) }, 'could not release the database lease; it expires by itself');
        }
      }
      await closeStandby();
    },
  };
}
export type WriterLease = ReturnType<typeof createWriterLease>;
