// After a crash between posting to Slack and recording the post, start-up looks for the post by
// the metadata every Mailroom message carries, and adopts it instead of posting twice.
import type { WebClient } from '@slack/web-api';
import { readMetadata, type ReadMetadata } from '../ui/blocks/metadata.ts';

type Match = (m: ReadMetadata) => boolean;
const MAX_PAGES = 10;

/** A top-level message of the channel since `oldestMs` whose metadata matches. */
export async function findChannelPost(web: WebClient, channel: string, oldestMs: number, match: Match): Promise<string | null> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await web.conversations.history({
      channel,
      oldest: String(Math.floor(oldestMs / 1000) - 60),
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const m of res.messages ?? []) {
      const meta = readMetadata(m.metadata);
      if (meta && match(meta) && m.ts) return m.ts;
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}

/** A reply in the thread of `threadTs` whose metadata matches. */
export async function findThreadPost(web: WebClient, channel: string, threadTs: string, match: Match): Promise<string | null> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await web.conversations.replies({
      channel,
      ts: threadTs,
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const m of res.messages ?? []) {
      if (m.ts === threadTs) continue;
      const meta = readMetadata(m.metadata);
      if (meta && match(meta) && m.ts) return m.ts;
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}

/**
 * Names of the files shared in the thread of `threadTs` after `afterTs`, by whoever posted
 * `afterTs` (our bot): the attachments of that email already uploaded. A teammate's files are
 * not counted.
 */
export async function findThreadFiles(web: WebClient, channel: string, threadTs: string, afterTs: string): Promise<string[]> {
  const names: string[] = [];
  let poster: string | undefined;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await web.conversations.replies({ channel, ts: threadTs, oldest: afterTs, inclusive: true, limit: 200, ...(cursor ? { cursor } : {}) });
    for (const m of res.messages ?? []) {
      if (m.ts === afterTs) poster = m.user;
      else if (poster && m.user === poster && m.ts && Number(m.ts) > Number(afterTs)) for (const f of m.files ?? []) if (f.name) names.push(f.name);
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return names;
}
