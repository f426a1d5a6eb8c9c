// A signed request can be replayed by whoever captured it, within Slack's five-minute signature
// window. Every Slack payload carries an id that is unique to one user action — event_id for
// events, trigger_id for commands, shortcuts, actions and view submissions — so a second request
// with the same id is acknowledged and dropped. (Slack's own event retries reuse event_id too:
// dropping them is the de-duplication Slack asks for.)
import type { Middleware, AnyMiddlewareArgs } from '@slack/bolt';

const WINDOW_MS = 10 * 60_000;
const MAX_IDS = 50_000;

export function requestId(body: unknown): string | null {
  const b = body as { event_id?: unknown; trigger_id?: unknown; payload?: unknown } | null;
  if (typeof b?.event_id === 'string') return `e:${b.event_id}`;
  if (typeof b?.trigger_id === 'string') return `t:${b.trigger_id}`;
  return null;
}

export function replayGuard(now: () => number = Date.now): Middleware<AnyMiddlewareArgs> {
  const seen = new Map<string, number>();
  return async (args) => {
    const id = requestId(args.body);
    if (id) {
      const t = now();
      if (seen.has(id)) {
        args.logger.debug(`dropped a repeated Slack request (${id.slice(0, 2)})`);
        if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
        return;
      }
      seen.set(id, t);
      // Map iteration is in insertion order: the oldest go first.
      for (const [k, at] of seen) {
        if (t - at < WINDOW_MS && seen.size <= MAX_IDS) break;
        seen.delete(k);
      }
    }
    await args.next();
  };
}
