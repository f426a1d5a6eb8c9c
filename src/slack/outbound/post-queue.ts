// Posting to Slack, one queue per channel. Slack allows about one chat.postMessage per second per
// channel and answers 429 + Retry-After beyond that; @slack/web-api would then pause the whole
// client, so one inbox's backlog would stall every other inbox. Instead each channel paces its
// own posts at a configured rate, backs off alone on a 429, and serves live emails before the
// backlog. Jobs of one channel run one at a time, in order, so a thread is built in order.
import type { Logger } from 'pino';
import { describeError } from '../../errors.ts';

export type Priority = 'live' | 'backlog';

/** What a job gets: `slot()` waits for this channel's next posting slot. */
export interface Lane {
  channel: string;
  slot(): Promise<void>;
  /** Slack said 429: no posts in this channel for `seconds`. */
  pause(seconds: number): void;
}

export interface Job {
  /** Same key queued twice runs once. */
  key: string;
  run(lane: Lane): Promise<void>;
}

export interface PostQueueOptions {
  postsPerSecond: number;
  /** Posts allowed back to back before the pace applies (Slack tolerates short bursts). */
  burst?: number;
  logger: Logger;
  /** Delay before a failed job runs again (attempt starts at 1). */
  retryDelayMs?: (attempt: number) => number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Slack said 429 to one of this queue's calls (counted for /metrics). */
  onRateLimited?: () => void;
  /** Runs before every post; throws to forbid it (a process that lost the writer lease posts nothing). */
  beforePost?: () => void;
}

/**
 * Tokens the lane never spends: its bucket runs this many ms of posting behind Slack's, so a post
 * that reaches Slack a little sooner after the previous one than its slot said (event-loop or
 * network jitter) still finds a token there. The steady rate is unchanged.
 */
const JITTER_ALLOWANCE_MS = 100;
const defaultRetry = (attempt: number) => Math.min(60_000, 500 * 2 ** (attempt - 1));
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class ChannelLane implements Lane {
  private readonly queues: Record<Priority, Job[]> = { live: [], backlog: [] };
  private readonly keys = new Set<string>();
  private tokens: number;
  private readonly reserve: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private running = false;
  private attempts = 0;
  private idle: Array<() => void> = [];
  stopped = false;

  constructor(
    readonly channel: string,
    private readonly o: Required<Omit<PostQueueOptions, 'logger'>> & { logger: Logger },
  ) {
    this.tokens = o.burst;
    this.reserve = Math.min(o.burst - 1, (o.postsPerSecond * JITTER_ALLOWANCE_MS) / 1000);
    this.refilledAt = o.now();
  }

  get size(): number {
    return this.queues.live.length + this.queues.backlog.length;
  }

  push(job: Job, priority: Priority): void {
    if (this.keys.has(job.key)) {
      // Already waiting: a live copy moves it ahead of the backlog.
      if (priority === 'live') {
        const i = this.queues.backlog.findIndex((j) => j.key === job.key);
        if (i >= 0) this.queues.live.push(...this.queues.backlog.splice(i, 1));
      }
      return;
    }
    this.keys.add(job.key);
    this.queues[priority].push(job);
    if (!this.running) void this.drain();
  }

  /** A token bucket: `burst` posts at once, refilled at `postsPerSecond`. */
  async slot(): Promise<void> {
    await this.waitForToken(true);
    this.o.beforePost();
  }

  private async waitForToken(take: boolean): Promise<void> {
    const perMs = this.o.postsPerSecond / 1000;
    for (;;) {
      const now = this.o.now();
      this.tokens = Math.min(this.o.burst, this.tokens + (now - this.refilledAt) * perMs);
      this.refilledAt = now;
      if (now >= this.pausedUntil && this.tokens >= 1 + this.reserve) {
        if (take) this.tokens -= 1;
        return;
      }
      const wait = Math.max(this.pausedUntil - now, (1 + this.reserve - this.tokens) / perMs);
      await this.o.sleep(Math.max(1, Math.ceil(wait)));
    }
  }

  pause(seconds: number): void {
    this.o.onRateLimited();
    this.pausedUntil = Math.max(this.pausedUntil, this.o.now() + seconds * 1000);
    this.tokens = 0;
  }

  whenIdle(): Promise<void> {
    return this.running || this.size ? new Promise((r) => this.idle.push(r)) : Promise.resolve();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped && this.size) {
        // Choose the job only once a slot is free: a live email that arrives meanwhile goes first.
        await this.waitForToken(false);
        const job = this.queues.live[0] ?? this.queues.backlog[0];
        if (!job) break;
        try {
          await job.run(this);
          this.attempts = 0;
          this.remove(job);
        } catch (err) {
          this.attempts++;
          const delay = this.o.retryDelayMs(this.attempts);
          this.o.logger.warn({ channel: this.channel, job: job.key, attempt: this.attempts, delayMs: delay, err: describeError(err) }, 'Slack post failed; will retry');
          await this.o.sleep(delay);
        }
      }
    } finally {
      this.running = false;
      if (!this.size || this.stopped) for (const r of this.idle.splice(0)) r();
    }
  }

  private remove(job: Job): void {
    for (const q of Object.values(this.queues)) {
      const i = q.indexOf(job);
      if (i >= 0) q.splice(i, 1);
    }
    this.keys.delete(job.key);
  }
}

export function createPostQueue(options: PostQueueOptions) {
  const o = {
    burst: 3,
    retryDelayMs: defaultRetry,
    now: Date.now,
    sleep: realSleep,
    beforePost: () => undefined,
    ...options,
    onRateLimited: () => {
      options.onRateLimited?.();
      for (const l of rateLimitListeners) l();
    },
  };
  const rateLimitListeners: (() => void)[] = [];
  const lanes = new Map<string, ChannelLane>();
  const lane = (channel: string) => {
    let l = lanes.get(channel);
    if (!l) lanes.set(channel, (l = new ChannelLane(channel, o)));
    return l;
  };
  return {
    /** Hears every 429 Slack answers to this queue's calls. */
    onRateLimited(listener: () => void): void {
      rateLimitListeners.push(listener);
    },
    enqueue(channel: string, job: Job, priority: Priority = 'live'): void {
      lane(channel).push(job, priority);
    },
    /** Jobs waiting or running, per channel. */
    depth(channel: string): number {
      return lanes.get(channel)?.size ?? 0;
    },
    /** Resolves when every channel has nothing left to do. */
    async drained(): Promise<void> {
      await Promise.all([...lanes.values()].map((l) => l.whenIdle()));
    },
    /**
     * Stop taking jobs: a running one finishes (waited for up to `graceMs`); queued ones stay in
     * the store and are resumed at the next start.
     */
    async stop(graceMs = 5000): Promise<void> {
      for (const l of lanes.values()) l.stopped = true;
      await Promise.race([Promise.all([...lanes.values()].map((l) => l.whenIdle())), new Promise((r) => setTimeout(r, graceMs).unref())]);
    },
  };
}
export type PostQueue = ReturnType<typeof createPostQueue>;
