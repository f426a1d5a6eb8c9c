/** Failure injection for the fake Slack API: queued failures, per-channel rate limits, latency. */

export interface InjectedFailure {
  /** HTTP status: 429 (with Retry-After) or 500-ish. Default 200 with `error`. */
  status?: 429 | 500 | 502 | 503;
  /** Seconds in the Retry-After header of a 429 (default 1). */
  retryAfter?: number;
  /** The `error` of an `{ ok: false }` answer (default 'ratelimited' for 429, 'internal_error' otherwise). */
  error?: string;
}

export interface RateLimit {
  perSecond: number;
  burst: number;
  /** Which method is limited (default chat.postMessage). */
  method?: string;
}

/** What the server should answer instead of running a method. */
export interface FaultAnswer {
  status: number;
  body: { ok: false; error: string };
  headers: Record<string, string>;
}

/** Keeps the queued failures, rate-limit buckets and latency settings of one fake. */
export class Faults {
  private queued: { method: string; failure: InjectedFailure; remaining: number }[] = [];
  private limit: RateLimit | undefined;
  private buckets = new Map<string, { tokens: number; at: number }>();
  private latencyByMethod = new Map<string, number>();
  /** Number of 429s the rate limiter answered. */
  rateLimited = 0;

  /** Queues a failure for the next `times` calls of `method`. */
  failNext(method: string, failure: InjectedFailure, times: number): void {
    this.queued.push({ method, failure, remaining: times });
  }

  /** Sets (or with undefined lifts) the per-channel token bucket, emptying all buckets. */
  rateLimit(limit: RateLimit | undefined): void {
    this.limit = limit;
    this.buckets.clear();
  }

  /** Sets the delay before answering a method ('*': every method). */
  setLatency(ms: number, method = '*'): void {
    this.latencyByMethod.set(method, ms);
  }

  /** The delay for a method. */
  latency(method: string): number {
    return this.latencyByMethod.get(method) ?? this.latencyByMethod.get('*') ?? 0;
  }

  /** An injected failure due for this call, if any ('*' matches every method). */
  take(method: string): FaultAnswer | undefined {
    const entry = this.queued.find((q) => q.method === method || q.method === '*');
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queued.splice(this.queued.indexOf(entry), 1);
    const { status = 200, retryAfter = 1 } = entry.failure;
    const error = entry.failure.error ?? (status === 429 ? 'ratelimited' : status === 200 ? 'internal_error' : 'fatal_error');
    const headers: Record<string, string> = status === 429 ? { 'retry-after': String(retryAfter) } : {};
    return { status, body: { ok: false, error }, headers };
  }

  /** A 429 if this call exceeds the token bucket of its channel. */
  throttle(method: string, channel: string | undefined): FaultAnswer | undefined {
    const limit = this.limit;
    if (!limit || method !== (limit.method ?? 'chat.postMessage')) return undefined;
    const key = channel ?? '';
    const now = Date.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    this.rateLimited += 1;
    const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
    return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(wait) } };
  }
}
