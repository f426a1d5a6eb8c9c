// Posting stored emails to Slack: the parent message of a new conversation, the email in its
// thread (under the sender's name), then its attachments and, when it had to be cut, the full
// message as a file. Each step is recorded as it completes, so a job that fails or a process that
// dies resumes at the step it reached; after a restart, posts made but not recorded are found by
// their metadata instead of being posted twice.
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Conversation, StoredMessage } from '../../core/types.ts';
import type { Readable } from 'node:stream';
import type { InboundEmail, ParseEmail } from '../../mail/types.ts';
import type { RawEmail, WithRaw } from '../../mail/raw.ts';
import { escapeMrkdwn } from '../../core/slack-text.ts';
import { noTelemetry, type Telemetry } from '../../core/telemetry.ts';
import { conversationParent } from '../ui/blocks/conversation-parent.ts';
import { emailMessage, type EmailMessage } from '../ui/blocks/email-message.ts';
import { conversationMetadata, emailMetadata, noteMetadata } from '../ui/blocks/metadata.ts';
import { noteMessage } from '../ui/blocks/note-message.ts';
import { bounceNote } from '../ui/blocks/bounce-note.ts';
import { findChannelPost, findThreadFiles, findThreadPost } from './find-posts.ts';
import type { Lane, PostQueue, Priority } from './post-queue.ts';
import { uploadToThread } from './upload.ts';
import { laneCall, slackErrorCode } from './web.ts';
import type { Store } from '../../store/index.ts';
import { bounceNoteVM } from '../../usecases/bounce-view.ts';
import { parentViewModel, type ParentViewDeps } from '../../usecases/parent-view.ts';

/** Emails over this size are cut in Slack, with the full message attached (PRODUCT "Inbound" 6). */
export const OVERSIZE_BYTES = 100 * 1024;
/** Inline parts smaller than this (logos, spacers, signature icons) are not uploaded. */
const INLINE_UPLOAD_MIN = 20 * 1024;
/** Attachments Slack would refuse, or that make no sense to upload, are listed but not uploaded. */
const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
/** Reading a big email again from its mailbox, to stream an attachment out of it. */
const READ_AGAIN_TIMEOUT_MS = 5 * 60_000;

interface FileUpload {
  filename: string;
  title: string;
  size: number;
  /** In memory; null for an attachment too big to keep, streamed out of the raw email. */
  bytes: Buffer | null;
  /** Its place among the email's attachments. */
  index: number;
}

export interface EmailPosterDeps extends ParentViewDeps {
  store: Store;
  web: WebClient;
  queue: PostQueue;
  parse: ParseEmail;
  /** A received email's raw bytes, read again: after a restart, and for attachments too big to keep. */
  withRaw?: WithRaw;
  telemetry?: Telemetry;
  /** The `index`th attachment streamed out of a raw email (parse/mime.ts). */
  openAttachment?: (raw: RawEmail, index: number) => Promise<Readable | null>;
  logger: Logger;
}

export interface PostRequest {
  messageRowId: number;
  priority: Priority;
  /** The parsed email, when the caller has it (saves parsing the spooled copy again). */
  email?: InboundEmail;
  /** The conversation's status changed with this email: refresh the parent. */
  statusChanged?: boolean;
  reopened?: boolean;
  /** It was snoozed and this email woke it: "back from snooze", mentioning its assignee. */
  woke?: { assigneeUserId: string | null } | null;
  /** After a restart: look for posts that happened but were not recorded. */
  reconcile?: boolean;
}

const noUnfurl = { unfurl_links: false, unfurl_media: false } as const;

/** Slack errors about the content itself: the same message would be refused forever. */
const REFUSED_CONTENT = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'invalid_attachments', 'too_many_attachments']);

export function createEmailPoster(deps: EmailPosterDeps) {
  const { store, web, logger } = deps;
  const telemetry = deps.telemetry ?? noTelemetry;
  const installId = store.settings.installId();

  /**
   * Post, and if Slack refuses the content itself (blocks it won't render, a message too long —
   * an email we rendered badly), post the plain fallback instead of retrying forever and holding
   * up the channel.
   */
  async function postOrPlain(lane: Lane, args: ChatPostMessageArguments, plain: ChatPostMessageArguments): Promise<{ ts: string; plain: boolean }> {
    try {
      return { ts: (await laneCall(lane, () => web.chat.postMessage(args))).ts!, plain: false };
    } catch (err) {
      const code = slackErrorCode(err);
      if (!code || !REFUSED_CONTENT.has(code)) throw err;
      logger.warn({ channel: args.channel, code }, 'Slack refused a message; posting its plain version');
      return { ts: (await laneCall(lane, () => web.chat.postMessage(plain))).ts!, plain: true };
    }
  }

  async function ensureParent(lane: Lane, c: Conversation, reconcile: boolean): Promise<string> {
    if (c.slackTs) return c.slackTs;
    let ts = reconcile
      ? await laneCall(lane, () => findChannelPost(web, c.channelId, c.createdAt, (m) => m.eventType === 'mailroom_conversation' && m.conversationId === c.id && m.installId === installId), false)
      : null;
    if (!ts) {
      const parent = conversationParent(parentViewModel(deps, c.id)!);
      const metadata = conversationMetadata({ conversationId: c.id, inboxId: c.inboxId, installId });
      ts = (await postOrPlain(lane, { channel: c.channelId, ...parent, metadata, ...noUnfurl }, { channel: c.channelId, text: parent.text, metadata, ...noUnfurl })).ts;
    }
    store.conversations.setParentTs(c.id, ts);
    return ts;
  }

  function render(c: Conversation, row: StoredMessage, email: InboundEmail | null): EmailMessage {
    // A bounce is told as a note in plain words (and may offer "Send again"), not shown as an email.
    if (row.kind === 'bounce') return { ...bounceNote(bounceNoteVM(store, row, email)), truncated: false };
    const body = email ? (email.replyMrkdwn.trim() ? email.replyMrkdwn : email.textMrkdwn) : '_(the original message could no longer be read)_';
    return emailMessage({
      direction: 'in',
      kind: row.kind,
      from: row.from,
      to: row.to,
      cc: row.cc,
      subject: row.subject,
      conversationSubject: c.subject,
      date: email?.date?.getTime() ?? row.receivedAt,
      bodyMrkdwn: body,
      quotedHidden: !!email && email.replyMrkdwn.trim() !== '' && email.reply.trim() !== email.text.trim(),
      oversize: (email?.size ?? 0) > OVERSIZE_BYTES,
      attachments: email?.attachments.map((a) => ({ filename: a.filename, size: a.size, inline: a.inline })) ?? [],
    });
  }

  /** The email's thread message; `plain` when Slack refused the rendering (the full message is then attached). */
  async function postThreadMessage(lane: Lane, c: Conversation, parentTs: string, row: StoredMessage, msg: EmailMessage, reconcile: boolean): Promise<{ ts: string; plain: boolean }> {
    const found = reconcile
      ? await laneCall(lane, () => findThreadPost(web, c.channelId, parentTs, (m) => m.eventType === 'mailroom_email' && m.messageRowId === row.id && m.installId === installId), false)
      : null;
    if (found) return { ts: found, plain: false };
    const common = {
      channel: c.channelId,
      thread_ts: parentTs,
      metadata: emailMetadata({ conversationId: c.id, messageRowId: row.id, installId }),
      ...(msg.username ? { username: msg.username, icon_emoji: ':envelope_with_arrow:' } : {}),
      ...noUnfurl,
    };
    return postOrPlain(lane, { ...common, text: msg.text, blocks: msg.blocks }, { ...common, text: `${msg.text}\n_(This email could not be shown here in full: it is attached as a file.)_` });
  }

  async function uploadFiles(lane: Lane, c: Conversation, parentTs: string, row: StoredMessage, email: InboundEmail | null, fullText: boolean, done: string[]): Promise<void> {
    const uploads: FileUpload[] = [];
    // A bounce's parts are the report's machinery (delivery status, the returned message): not files anyone sent.
    const attachments = row.kind === 'bounce' ? [] : (email?.attachments ?? []);
    attachments.forEach((a, index) => {
      if (a.size === 0 || a.size > MAX_UPLOAD_BYTES) return;
      if (a.inline && a.size < INLINE_UPLOAD_MIN) return;
      const name = a.filename || 'attachment';
      uploads.push({ filename: name, title: name, size: a.size, bytes: a.content, index });
    });
    if (fullText && email) {
      const bytes = Buffer.from(fullMessageText(email), 'utf8');
      uploads.push({ filename: 'full-message.txt', title: 'Full message', size: bytes.length, bytes, index: -1 });
    }
    // One upload per file: a failure is retried alone and Slack's per-call limits are not an issue.
    const already = [...done];
    for (const u of uploads) {
      // Shared before an interrupted attempt: not again.
      const i = already.indexOf(u.filename);
      if (i >= 0) {
        already.splice(i, 1);
        continue;
      }
      const sent = await laneCall(lane, () => uploadOne(c, parentTs, row, u), false);
      if (!sent) {
        logger.warn({ conversation: c.id, message: row.id, size: u.size }, 'an attachment could not be read again from the mailbox');
        await laneCall(lane, () =>
          web.chat.postMessage({
            channel: c.channelId,
            thread_ts: parentTs,
            text: `:warning: The attachment ${escapeMrkdwn(u.filename)} could not be read again from the mailbox, so it is not attached here.`,
            ...noUnfurl,
          }),
        );
      }
    }
  }

  /** False when a big attachment's email can no longer be read from the mailbox. */
  async function uploadOne(c: Conversation, parentTs: string, row: StoredMessage, u: FileUpload): Promise<boolean> {
    const send = (body: Buffer | Readable) => uploadToThread(web, { channel: c.channelId, threadTs: parentTs, filename: u.filename, title: u.title, size: u.size, body });
    if (u.bytes) {
      await send(u.bytes);
      return true;
    }
    const { withRaw, openAttachment } = deps;
    if (!withRaw || !openAttachment) return false;
    const sent = await withRaw(
      row,
      async (raw) => {
        const stream = await openAttachment(raw, u.index);
        if (!stream) return false;
        await send(stream);
        return true;
      },
      { timeoutMs: READ_AGAIN_TIMEOUT_MS },
    );
    return sent === true;
  }

  async function run(lane: Lane, req: PostRequest): Promise<void> {
    const row = store.messages.byId(req.messageRowId);
    if (!row || row.postState === 'posted' || row.postState === 'skipped') return;
    const c = store.conversations.byId(row.conversationId);
    if (!c) return;
    const email = req.email ?? (await reread(row));
    const reconcile = !!req.reconcile;

    const parentTs = await ensureParent(lane, c, reconcile);
    const msg = render(c, row, email);
    let state: StoredMessage['postState'] = row.postState;
    let slackTs = row.slackTs;
    let fullText = msg.truncated;
    if (state === 'pending') {
      if (req.reopened) {
        await laneCall(lane, () =>
          web.chat.postMessage({ channel: c.channelId, thread_ts: parentTs, ...noteMessage({ kind: 'reopened', reason: 'customer-wrote' }), metadata: noteMetadata({ conversationId: c.id }), ...noUnfurl }),
        );
        // Notes carry no per-email tag to be found by: a retry of this job must not repeat it.
        req.reopened = false;
      }
      if (req.woke) {
        const note = noteMessage({ kind: 'woke', reason: 'customer-wrote', assigneeUserId: req.woke.assigneeUserId });
        await laneCall(lane, () => web.chat.postMessage({ channel: c.channelId, thread_ts: parentTs, ...note, metadata: noteMetadata({ conversationId: c.id }), ...noUnfurl }));
        req.woke = null;
      }
      const posted = await postThreadMessage(lane, c, parentTs, row, msg, reconcile);
      fullText ||= posted.plain;
      const hasFiles = fullText || (row.kind !== 'bounce' && (email?.attachments.length ?? 0) > 0);
      state = hasFiles ? 'files' : 'posted';
      store.messages.setPostState(row.id, state, posted.ts);
      telemetry.emailPosted(c.inboxId, Math.max(0, Date.now() - row.receivedAt) / 1000);
      slackTs = posted.ts;
    }
    if (state === 'files') {
      const done = reconcile && slackTs ? await laneCall(lane, () => findThreadFiles(web, c.channelId, parentTs, slackTs), false) : [];
      await uploadFiles(lane, c, parentTs, row, email, fullText, done);
      store.messages.setPostState(row.id, 'posted');
    }
    store.messages.spool.drop(row.id);
    if (req.statusChanged && c.slackTs) await refreshParentNow(lane, c.id);
    logger.debug({ conversation: c.id, message: row.id }, 'email posted to Slack');
  }

  /** After a restart: the email again, from the spool (small ones) or from the mailbox. */
  async function reread(row: StoredMessage): Promise<InboundEmail | null> {
    return (await deps.withRaw?.(row, (raw) => deps.parse(raw))) ?? null;
  }

  async function refreshParentNow(lane: Lane, conversationId: number): Promise<void> {
    const vm = parentViewModel(deps, conversationId);
    const c = store.conversations.byId(conversationId);
    if (!vm || !c?.slackTs) return;
    const ts = c.slackTs;
    await laneCall(lane, () => web.chat.update({ channel: c.channelId, ts, ...conversationParent(vm) }), false);
  }

  return {
    /** Queue a stored email for Slack. */
    enqueue(req: PostRequest): void {
      const row = store.messages.byId(req.messageRowId);
      const c = row && store.conversations.byId(row.conversationId);
      if (!c) return;
      // A failed attempt may have failed after Slack stored the post (a dropped connection, a
      // timeout, a 5xx after the write): every retry looks for its posts before posting again.
      let attempt = 0;
      const job = { ...req };
      deps.queue.enqueue(
        c.channelId,
        {
          key: `email:${req.messageRowId}`,
          run: (lane) => run(lane, attempt++ === 0 ? job : Object.assign(job, { reconcile: true })),
        },
        req.priority,
      );
    },
    /** Re-render a conversation's parent message (status, assignee, ticket, collision changed). */
    refreshParent(conversationId: number): void {
      const c = store.conversations.byId(conversationId);
      if (!c?.slackTs) return;
      deps.queue.enqueue(c.channelId, { key: `parent:${conversationId}`, run: (lane) => refreshParentNow(lane, conversationId) }, 'live');
    },
    /**
     * Post the parent message of a conversation that has none yet (one a teammate started with
     * compose), through the channel's queue like every post; resolves with its ts. A retry after a
     * failed attempt first looks for the post by its metadata, as emails' parents do.
     */
    postParent(conversationId: number): Promise<string> {
      const c = store.conversations.byId(conversationId);
      if (!c) return Promise.reject(new Error(`conversation ${conversationId} does not exist`));
      return new Promise((resolve) => {
        let attempt = 0;
        deps.queue.enqueue(
          c.channelId,
          { key: `parent-post:${conversationId}`, run: async (lane) => resolve(await ensureParent(lane, store.conversations.byId(conversationId) ?? c, attempt++ > 0)) },
          'live',
        );
      });
    },
    /** At start-up: everything stored but not yet fully in Slack goes back in the queue. */
    resumeUnposted(): number {
      const rows = store.messages.unposted();
      for (const r of rows) {
        const live = store.messages.spool.isLive(r.id);
        this.enqueue({ messageRowId: r.id, priority: live ? 'live' : 'backlog', reconcile: true });
      }
      return rows.length;
    },
  };
}
export type EmailPoster = ReturnType<typeof createEmailPoster>;

/** The whole message as a text file: the headers people care about, then the full text. */
export function fullMessageText(email: InboundEmail): string {
  const addr = (a: { name: string; address: string }) => (a.name ? `${a.name} <${a.address}>` : a.address);
  const lines = [
    `From: ${email.from ? addr(email.from) : '(unknown)'}`,
    `To: ${email.to.map(addr).join(', ')}`,
    ...(email.cc.length ? [`Cc: ${email.cc.map(addr).join(', ')}`] : []),
    `Subject: ${email.subject}`,
    `Date: ${email.date?.toISOString() ?? '(unknown)'}`,
    '',
    email.text,
  ];
  return lines.join('\n');
}
