// Finding what Mailroom posted in the fake Slack: the parent message of a conversation and the
// thread message of one email, told apart by the metadata Mailroom tags every post with.
import type { FakeSlack, RecordedCall } from '../test/support/fake-slack.ts';

export interface Post {
  at: number;
  ts: string;
  threadTs: string | undefined;
  kind: string | undefined;
  call: RecordedCall;
}

function asPost(call: RecordedCall): Post | null {
  const response = call.response as { ok?: boolean; ts?: string } | undefined;
  if (call.status !== 200 || !response?.ok || !response.ts) return null;
  const metadata = call.args.metadata as { event_type?: string } | undefined;
  return { at: call.at, ts: response.ts, threadTs: typeof call.args.thread_ts === 'string' ? call.args.thread_ts : undefined, kind: metadata?.event_type, call };
}

/** Successful chat.postMessage calls, read incrementally (calls are only ever appended). */
export function postReader(slack: FakeSlack) {
  const posts: Post[] = [];
  let seen = 0;
  return {
    read(): Post[] {
      const calls = slack.calls('chat.postMessage');
      for (const call of calls.slice(seen)) {
        const p = asPost(call);
        if (p) posts.push(p);
      }
      seen = calls.length;
      return posts;
    },
  };
}

/** Whether a post's text or blocks carry the marker. */
export function mentions(post: Post, marker: string): boolean {
  const { text, blocks } = post.call.args;
  return (typeof text === 'string' && text.includes(marker)) || JSON.stringify(blocks ?? '').includes(marker);
}

export const EMAIL_POST = 'mailroom_email';
export const PARENT_POST = 'mailroom_conversation';
