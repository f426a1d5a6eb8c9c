// The one scheduler: a single timer loop over the store's timers (core/timers.ts has its rules).
// Nothing is a setTimeout per conversation: every due time is a row, so a restart forgets none.
// Each tick fires what is due, oldest first and at most `maxPerTick` (a long stop or a clock jump
// drains at a pace, not all at once), then sleeps until the next due time — never longer than
// `maxSleepMs`, so a wall clock set forward or back is noticed soon. A jump is told from time
// passing by a monotonic clock, logged and counted.
import type { Logger } from 'pino';
import { clockJump, pickDue, sleepFor, type ClockSample } from '../core/timers.ts';
import { noTelemetry, type Telemetry } from '../core/telemetry.ts';
import { describeError, errorCode } from '../errors.ts';
import type { Store } from '../store/index.ts';
import type { TimerRow } from '../store/timers.ts';

export interface SchedulerClock {
  /** Wall clock, ms since the epoch. */
  now(): number;
  /** Monotonic ms (performance.now): it never jumps. */
  monotonic(): number;
}

export const systemClock: SchedulerClock = { now: () => Date.now(), monotonic: () => performance.now() };

/** What firing a timer means; implemented in timer-firing.ts. */
export interface TimerHandlers {
  /** Claim and fire a due timer. Resolves once its change is stored; what it says in Slack may follow. */
  fire(t: TimerRow, at: number): Promise<void>;
  /** Finish a timer found `firing` at start (claimed when the process stopped). */
  resume(t: TimerRow): Promise<void>;
  /** Resolves when nothing is being said in Slack (tests, stop). */
  settled(): Promise<void>;
}

export interface SchedulerOptions {
  store: Store;
  handlers: TimerHandlers;
  logger: Logger;
  telemetry?: Telemetry;
  clock?: SchedulerClock;
  /** Timers fired per tick (default 10). */
  maxPerTick?: number;
  /** Between ticks while a backlog drains (default 1 s). */
  paceMs?: number;
  /** The longest sleep (default 30 s). */
  maxSleepMs?: number;
  /** A wall clock that moved this much more (or less) than real time jumped (default 60 s). */
  jumpToleranceMs?: number;
  /** false: no timer loop; tests call tick() themselves. */
  autoRun?: boolean;
}

const FETCH = 200;

export function createScheduler(o: SchedulerOptions) {
  const { store, logger } = o;
  const clock = o.clock ?? systemClock;
  const telemetry = o.telemetry ?? noTelemetry;
  const maxPerTick = o.maxPerTick ?? 10;
  const paceMs = o.paceMs ?? 1_000;
  const maxSleepMs = o.maxSleepMs ?? 30_000;
  const tolerance = o.jumpToleranceMs ?? 60_000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let last: ClockSample | null = null;
  let backlog = false;
  let failing = false;

  const sample = (): ClockSample => ({ wall: clock.now(), mono: clock.monotonic() });

  async function tick(): Promise<{ fired: number; superseded: number; backlog: boolean }> {
    const s = sample();
    if (last) {
      const jump = clockJump(last, s);
      if (Math.abs(jump) > tolerance) {
        telemetry.clockJumped();
        logger.warn({ jumpMs: Math.round(jump) }, 'the wall clock jumped: timers now due fire at the scheduler\'s pace');
      }
    }
    last = s;
    const due = store.timers.due(s.wall, FETCH);
    const picked = pickDue(due, maxPerTick);
    for (const t of picked.superseded) store.timers.done(t.id);
    failing = false;
    for (const t of picked.fire) {
      try {
        await o.handlers.fire(t as TimerRow, s.wall);
      } catch (err) {
        // Another process holds the writer lease now: it fires what is due; this one stops.
        if (errorCode(err) === 'lease.lost') break;
        // Not claimed (the store was busy) or failed half-way: it is tried again, a little later.
        failing = true;
        logger.error({ timer: t.id, kind: t.kind, err: describeError(err) }, 'timer not fired');
      }
    }
    backlog = due.length > picked.fire.length + picked.superseded.length;
    return { fired: picked.fire.length, superseded: picked.superseded.length, backlog };
  }

  function arm(delayMs?: number): void {
    if (stopped || o.autoRun === false) return;
    if (timer) clearTimeout(timer);
    const wait = delayMs ?? sleepFor({ now: clock.now(), nextDueAt: store.timers.nextDueAt(), backlog, paceMs, maxSleepMs });
    timer = setTimeout(run, failing ? Math.max(wait, 5_000) : wait);
    timer.unref?.();
  }

  function run(): void {
    timer = null;
    if (stopped || running) return;
    running = tick()
      .then(() => undefined)
      .catch((err: unknown) => {
        failing = true;
        logger.error({ err: describeError(err) }, 'the scheduler could not read its timers; trying again');
      })
      .finally(() => {
        running = null;
        arm();
      });
  }

  return {
    /** Finish what a stop interrupted, then run the loop. */
    async start(): Promise<void> {
      stopped = false;
      for (const t of store.timers.firing()) {
        try {
          await o.handlers.resume(t);
        } catch (err) {
          logger.error({ timer: t.id, kind: t.kind, err: describeError(err) }, 'could not finish a timer after a restart');
        }
      }
      last = sample();
      arm(0);
    },
    /** A timer was set or moved: look at the next due time again. */
    kick(): void {
      if (!running) arm();
    },
    /** One pass (tests drive the scheduler with an injected clock). */
    tick,
    /** Stop the loop; what is still being said in Slack gets `graceMs`, else it is finished at the next start. */
    async stop(graceMs = 5_000): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await Promise.race([o.handlers.settled(), new Promise((r) => setTimeout(r, graceMs).unref())]);
    },
    /** Tests: resolves when no tick runs and nothing is being said. */
    async idle(): Promise<void> {
      await running;
      await o.handlers.settled();
    },
  };
}
export type Scheduler = ReturnType<typeof createScheduler>;
