// Who the bot is (auth.test). Slack being unreachable at start-up must not wedge the app, so
// this is learnt in the background with retries, and asked for again on first need.
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { describeError } from '../../errors.ts';

export interface BotIdentity {
  botUserId: string;
  botId: string;
  teamId: string;
  /** Workspace URL, e.g. https://acme.slack.com/ (for permalinks). */
  url: string;
}

export interface IdentityOptions {
  web: WebClient;
  logger: Logger;
  retryMs?: (attempt: number) => number;
}

export function createIdentity({ web, logger, retryMs = (n: number) => Math.min(60_000, 1000 * 2 ** n) }: IdentityOptions) {
  let known: BotIdentity | null = null;
  let pending: Promise<BotIdentity> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  async function fetchOnce(): Promise<BotIdentity> {
    const r = await web.auth.test();
    known = { botUserId: r.user_id ?? '', botId: r.bot_id ?? '', teamId: r.team_id ?? '', url: r.url ?? '' };
    return known;
  }

  return {
    get: (): BotIdentity | null => known,
    /** The identity now, calling auth.test once if not known yet (throws if Slack is unreachable). */
    async require(): Promise<BotIdentity> {
      if (known) return known;
      pending ??= fetchOnce().finally(() => (pending = null));
      return pending;
    },
    /** Keep trying auth.test in the background until it answers. */
    learn(): void {
      let attempt = 0;
      const tryNow = async () => {
        if (stopped || known) return;
        try {
          const me = await this.require();
          logger.info({ team: me.teamId, botUserId: me.botUserId }, 'Slack identity known');
        } catch (err) {
          const delay = retryMs(attempt++);
          logger.warn({ err: describeError(err), delayMs: delay }, 'Slack auth.test failed; retrying');
          timer = setTimeout(tryNow, delay);
          timer.unref?.();
        }
      };
      void tryNow();
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
export type Identity = ReturnType<typeof createIdentity>;
