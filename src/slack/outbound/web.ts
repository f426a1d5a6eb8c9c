// The Slack Web API client Mailroom posts with, and the one rule for calling it from a channel
// lane: wait for the lane's slot (chat.postMessage only), and on a 429 pause that lane alone.
import { LogLevel, WebClient, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Lane } from './post-queue.ts';

/** @slack/logger interface over pino. Slack's libraries are kept to warnings and errors. */
export function slackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const write = (fn: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    const text = msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
    logger[fn](text.slice(0, 500));
  };
  return {
    debug: () => {},
    info: () => {},
    warn: write('warn'),
    error: write('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export function createWebClient(o: { token: string; apiUrl: string; logger: Logger; timeoutMs?: number }): WebClient {
  return new WebClient(o.token, {
    slackApiUrl: o.apiUrl,
    logger: slackLogger(o.logger),
    // Our lanes retry and pace; the client must not stall every channel on one 429.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: o.timeoutMs ?? 15_000,
  });
}

const RATE_LIMITED = 'slack_webapi_rate_limited_error';
const MAX_429 = 20;

/** Run one Slack call for a lane; `paced` calls (posts) wait for the lane's slot first. */
export async function laneCall<T>(lane: Lane, fn: () => Promise<T>, paced = true): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (paced) await lane.slot();
    try {
      return await fn();
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number };
      if (e.code !== RATE_LIMITED || attempt >= MAX_429) throw err;
      lane.pause(e.retryAfter ?? 1);
      if (!paced) await lane.slot();
    }
  }
}

/** The Slack error code of a platform error (`channel_not_found`…), if that is what it was. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** Our posts never unfurl the links of an email (a customer's link is not ours to preview). */
export const noUnfurl = { unfurl_links: false, unfurl_media: false } as const;
