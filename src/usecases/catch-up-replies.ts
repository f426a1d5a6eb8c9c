// Replies typed while Mailroom was not running. Slack delivers each event once (HTTP mode retries a
// few times over minutes; Socket Mode not at all), so a reply typed during a restart, an outage or
// the moment of a crash would otherwise stay in Slack unsent. At start, the threads of the
// conversations in use are read back from when the app was last known alive, and every message in
// them is handled as if its event had just arrived: the outbox is keyed by the Slack message, so
// one handled before is not queued again.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { SharedFile } from '../core/types.ts';
import type { Store } from '../store/index.ts';
import type { ReplyPayload } from './outbox-emails.ts';
import { deleteReply, editReply, type ThreadMessage } from './queue-reply.ts';
import { whileBusy } from '../store/busy.ts';
import { describeError } from '../errors.ts';

/** A message of a thread as it is in Slack now. */
export interface ThreadMessageNow {
  ts: string;
  text: string;
  /** The files it carries now; null when Slack says nothing about files. */
  files: SharedFile[] | null;
  /** Posted by a bot (a reply written in the Reply modal is shown by the bot). */
  byBot: boolean;
}

/** Reading threads back (implemented by the Slack side). */
export interface ThreadReader {
  /** People's messages in a thread from `sinceMs` on, oldest first, all pages. */
  replies(channel: string, threadTs: string, sinceMs: number, signal?: AbortSignal): AsyncIterable<ThreadMessage>;
  /** One message of a thread now, or null when it is gone. Throws when the thread can't be read. */
  message(channel: string, threadTs: string, ts: string): Promise<ThreadMessageNow | null>;
}

export interface CatchUpDeps {
  store: Store;
  threads: ThreadReader;
  /** What a live reply in the thread gets (the reply use case), told nobody. */
  handle: (message: ThreadMessage) => Promise<void>;
  logger: Logger;
  now?: () => number;
  /** Between two conversations.replies calls: Slack allows about 50 a minute. */
  pauseMs?: number;
  /** Stops it early (the app is stopping). */
  signal?: AbortSignal;
}

/** How far back a restart looks, at most. */
export const CATCH_UP_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** Events in flight when the app was last alive are read again too. */
export const CATCH_UP_MARGIN_MS = 5 * 60 * 1000;
/** Threads read back, newest conversations first. */
const MAX_THREADS = 300;
/** Closed conversations changed this recently are read back too. */
const CLOSED_RECENTLY_MS = 30 * 24 * 60 * 60 * 1000;

/** How often the app notes that it is alive: where the next start reads back from. */
const ALIVE_EVERY_MS = 30_000;
const ALIVE_KEY = 'alive_until';
/** How long start waits for Slack to say whether replies left waiting still exist. */
const RECHECK_WAIT_MS = 5000;

/** The window to read back, from the last time the app was known alive; null on a first start. */
export function catchUpSince(lastAlive: number | null, now: number): number | null {
  if (lastAlive === null || !Number.isFinite(lastAlive)) return null;
  return Math.max(lastAlive - CATCH_UP_MARGIN_MS, now - CATCH_UP_MAX_MS);
}

export async function catchUpReplies(deps: CatchUpDeps, since: number): Promise<{ threads: number; messages: number }> {
  const now = deps.now ?? Date.now;
  const pauseMs = deps.pauseMs ?? 1200;
  const threads = deps.store.conversations.threadsInUse(now() - CLOSED_RECENTLY_MS, MAX_THREADS);
  let messages = 0;
  let read = 0;
  for (const c of threads) {
    if (deps.signal?.aborted) break;
    if (read > 0 && pauseMs > 0 && !(await pause(pauseMs, deps.signal))) break;
    read++;
    try {
      for await (const m of deps.threads.replies(c.channelId, c.slackTs!, since, deps.signal)) {
        messages++;
        await deps.handle(m);
      }
    } catch (err) {
      // One thread that can't be read (deleted, no access) must not stop the others.
      deps.logger.warn({ conversation: c.id, err: err instanceof Error ? err.message : String(err) }, 'could not read a thread back');
    }
  }
  return { threads: read, messages };
}

/**
 * Replies still waiting to go when the app stopped: edited or deleted in Slack since? Run before
 * the outbox starts, so nothing deleted meanwhile is sent. Returns how many were taken back. A
 * reply whose thread can't be read (Slack down) goes as it was.
 */
export async function recheckPendingReplies(deps: Pick<CatchUpDeps, 'store' | 'threads' | 'logger'>): Promise<number> {
  let cancelled = 0;
  for (const p of deps.store.pendingReplies.messages()) {
    const threadTs = deps.store.conversations.byId(p.conversationId)?.slackTs;
    if (!threadTs) continue;
    try {
      const now = await deps.threads.message(p.channel, threadTs, p.ts);
      if (!now) {
        if (deleteReply(deps.store, p.channel, p.ts) === 'cancelled') cancelled++;
        continue;
      }
      // A reply written in the Reply modal is shown by the bot: nobody edits that message.
      if (now.byBot) continue;
      const stored = deps.store.outbox.bySlackMessage(p.channel, p.ts)?.payload as ReplyPayload | undefined;
      if (stored && now.text !== stored.text) {
        if (editReply(deps.store, p.channel, p.ts, now.text, now.files ?? stored.files) === 'cancelled') cancelled++;
      }
    } catch (err) {
      deps.logger.warn({ conversation: p.conversationId, err: err instanceof Error ? err.message : String(err) }, 'could not check a waiting reply in Slack');
    }
  }
  return cancelled;
}

/**
 * The whole of it for one app: `beforeSending` (before the outbox starts) checks the replies left
 * waiting; `start` notes the app alive from then on and reads back, in the background, what was
 * typed while it was stopped; `stop` ends both.
 */
export function createReplyCatchUp(deps: Omit<CatchUpDeps, 'signal'>) {
  const now = deps.now ?? Date.now;
  const stopping = new AbortController();
  let heartbeat: NodeJS.Timeout | undefined;
  let reading: Promise<void> = Promise.resolve();
  const markAlive = (totalMs?: number) => whileBusy(() => deps.store.settings.set(ALIVE_KEY, String(now())), totalMs).catch(() => undefined);
  return {
    /** Bounded: a Slack that does not answer holds the outbox up RECHECK_WAIT_MS at most. */
    async beforeSending(): Promise<void> {
      const check = recheckPendingReplies(deps);
      const cancelled = await Promise.race([check, new Promise<null>((r) => setTimeout(r, RECHECK_WAIT_MS, null).unref())]);
      if (cancelled) deps.logger.info({ cancelled }, 'replies deleted in Slack while stopped: not sent');
    },
    start(): void {
      const lastAlive = Number(deps.store.settings.get(ALIVE_KEY));
      const since = catchUpSince(Number.isFinite(lastAlive) && lastAlive > 0 ? lastAlive : null, now());
      void markAlive();
      heartbeat = setInterval(() => void markAlive(), ALIVE_EVERY_MS);
      heartbeat.unref();
      if (since === null) return;
      const handle = (m: ThreadMessage) => whileBusy(() => deps.handle(m));
      reading = catchUpReplies({ ...deps, handle, signal: stopping.signal }, since).then(
        (r) => deps.logger.info({ ...r, since: new Date(since).toISOString() }, 'read back thread replies from while stopped'),
        (err: unknown) => deps.logger.error({ err: describeError(err) }, 'could not read back thread replies'),
      );
    },
    async stop(): Promise<void> {
      stopping.abort();
      const wasStarted = heartbeat !== undefined;
      clearInterval(heartbeat);
      await reading;
      if (wasStarted) await markAlive(2000);
    },
  };
}

/** False when aborted while waiting. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
}

