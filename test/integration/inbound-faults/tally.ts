// Counting what reached the fake Slack, per email: the inbound fault tests assert that every
// email is in Slack exactly once (one parent message, one message in its thread), however the
// app was interrupted on the way.
import Database from 'better-sqlite3';
import type { ImapFlow } from 'imapflow';
import { CHANNEL, MEMBER, email } from '../../helpers/mailroom.ts';
import type { FakeSlack } from '../../support/fake-slack.ts';
import { waitFor } from '../../support/wait.ts';

export interface Tally {
  /** Parent messages whose blocks name the email's subject marker. */
  parents: number;
  /** Thread messages (in any thread) whose blocks carry the email's body marker. */
  messages: number;
}

const has = (m: unknown, marker: string) => JSON.stringify(m).includes(marker);

/** Markers are unique words: `subject-<tag>` in the subject, `body-<tag>` in the body. */
export function tally(slack: FakeSlack, tags: string[], channel = CHANNEL): Map<string, Tally> {
  const out = new Map<string, Tally>(tags.map((t) => [t, { parents: 0, messages: 0 }]));
  const parents = slack.messagesIn(channel).filter((m) => m.metadata?.event_type === 'mailroom_conversation');
  for (const p of parents) {
    const replies = slack.threadOf(channel, p.ts).slice(1);
    for (const [tag, t] of out) {
      if (has(p.blocks, `subject-${tag}`)) t.parents++;
      t.messages += replies.filter((r) => r.metadata?.event_type === 'mailroom_email' && has(r.blocks, `body-${tag}`)).length;
    }
  }
  return out;
}

/** Tags whose count is not exactly one parent and one thread message, with their counts. */
export function notExactlyOnce(slack: FakeSlack, tags: string[], channel = CHANNEL): string[] {
  return [...tally(slack, tags, channel)].filter(([, t]) => t.parents !== 1 || t.messages !== 1).map(([tag, t]) => `${tag}: ${t.parents} parents, ${t.messages} messages`);
}

/** A test email from its own sender with its own subject, so each one opens a conversation. */
export function taggedEmail(tag: string, o: { messageId?: string | null } = {}): string {
  const raw = email({
    from: `Customer ${tag} <c-${tag}@customer.example>`,
    subject: `Question subject-${tag}`,
    body: `Hello, this is body-${tag}.`,
    ...(o.messageId ? { messageId: o.messageId } : {}),
  });
  // `null`: no Message-ID header at all (de-duplicated by a hash of the bytes).
  return o.messageId === null ? raw.replace(/^Message-ID: .*\r\n/m, '') : raw;
}

/** APPENDs many messages over one connection (a burst, as a busy mailbox sees them). */
export async function appendAll(client: ImapFlow, raws: (string | Buffer)[]): Promise<void> {
  for (const raw of raws) {
    const res = await client.append('INBOX', raw);
    if (!res) throw new Error('APPEND failed');
  }
}

/** Waits until every tag is in Slack at least once, then until Slack has been quiet for `quietMs`. */
export async function waitAllPosted(slack: FakeSlack, tags: string[], timeoutMs: number, channel = CHANNEL, quietMs = 600): Promise<void> {
  await waitFor(() => [...tally(slack, tags, channel).values()].every((t) => t.parents >= 1 && t.messages >= 1), {
    timeoutMs,
    intervalMs: 100,
    description: () => `every email posted; missing: ${[...tally(slack, tags, channel)].filter(([, t]) => !t.parents || !t.messages).map(([k]) => k).join(' ')}`,
  });
  await quiet(slack, quietMs);
}

/** Resolves once no call reached the fake Slack for `ms`. */
export async function quiet(slack: FakeSlack, ms: number): Promise<void> {
  await waitFor(() => {
    const last = slack.calls().at(-1)?.at ?? 0;
    return Date.now() - last >= ms;
  }, { timeoutMs: 30_000, intervalMs: 50 });
}

/** chat.postMessage calls Slack accepted. */
export function acceptedPosts(slack: FakeSlack): number {
  return slack.calls('chat.postMessage').filter((c) => c.status === 200 && (c.response as { ok?: boolean }).ok).length;
}

/**
 * A channel of its own for one app's database. Reconciling after a crash matches posts by the
 * conversation and message ids in their metadata, which restart at 1 in every new database, so
 * two databases posting into one channel could adopt each other's posts.
 */
export function ownChannel(slack: FakeSlack, name: string): { channel: string; env: { MAILROOM_CHANNEL: string } } {
  const id = `C${name.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 9).padEnd(9, '0')}`;
  slack.addChannel({ id, name, members: [MEMBER] });
  return { channel: id, env: { MAILROOM_CHANNEL: id } };
}

export const tags = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

/** Rows of a (possibly other process's) database not yet fully in Slack. */
export function unpostedIn(databasePath: string): number {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("select count(*) as n from messages where post_state in ('pending', 'files')").get() as { n: number }).n;
  } finally {
    db.close();
  }
}
