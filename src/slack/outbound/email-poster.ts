// Posting stored emails to Slack: the parent message of a new conversation, the email in its
// thread (under the sender's name), then its attachments and, when it had to be cut, the full
// message as a file. Each step is recorded as it completes, so a job that fails or a process that
// dies resumes at the step it reached; after a restart, posts made but not recorded are found by
// their metadata instead of being posted twice.
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Conversation, StoredMessage } from '../../core/types.ts';
import type { InboundEmail, ParseEmail } from '../../mail/types.ts';
import type { WithRaw } from '../../mail/raw.ts';
import { noTelemetry, type Telemetry } from '../../core/telemetry.ts';
import { conversationParent } from '../ui/blocks/conversation-parent.ts';
import { conversationMetadata, noteMetadata } from '../ui/blocks/metadata.ts';
import { noteMessage } from '../ui/blocks/note-message.ts';
import { findChannelPost, findThreadFiles } from './find-posts.ts';
import type { Lane, PostQueue, Priority } from './post-queue.ts';
import { uploadEmailFiles, type EmailFilesDeps } from './email-files.ts';
import { postOrPlain, postThreadMessage, renderEmail } from './email-thread-message.ts';
import { laneCall, noUnfurl } from './web.ts';
import type { Store } from '../../store/index.ts';
import { parentViewModel, type ParentViewDeps } from '../../usecases/parent-view.ts';

export interface EmailPosterDeps extends ParentViewDeps {
  store: Store;
  web: WebClient;
  queue: PostQueue;
  parse: ParseEmail;
  /** A received email's raw bytes, read again: after a restart, and for attachments too big to keep. */
  withRaw?: WithRaw;
  telemetry?: Telemetry;
  openAttachment?: EmailFilesDeps['openAttachment'];
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

export function createEmailPoster(deps: EmailPosterDeps) {
  const { store, web, logger } = deps;
  const telemetry = deps.telemetry ?? noTelemetry;
  const installId = store.settings.installId();

  async function ensureParent(lane: Lane, c: Conversation, reconcile: boolean): Promise<string> {
    if (c.slackTs) return c.slackTs;
    let ts = reconcile
      ? await laneCall(lane, () => findChannelPost(web, c.channelId, c.createdAt, (m) => m.eventType === 'mailroom_conversation' && m.conversationId === c.id && m.installId === installId), false)
      : null;
    if (!ts) {
      const parent = conversationParent(parentViewModel(deps, c.id)!);
      const metadata = conversationMetadata({ conversationId: c.id, inboxId: c.inboxId, installId });
      ts = (await postOrPlain(deps, lane, { channel: c.channelId, ...parent, metadata, ...noUnfurl }, { channel: c.channelId, text: parent.text, metadata, ...noUnfurl })).ts;
    }
    store.conversations.setParentTs(c.id, ts);
    return ts;
  }

  async function run(lane: Lane, req: PostRequest): Promise<void> {
    const row = store.messages.byId(req.messageRowId);
    if (!row || row.postState === 'posted' || row.postState === 'skipped') return;
    const c = store.conversations.byId(row.conversationId);
    if (!c) return;
    const email = req.email ?? (await reread(row));
    const reconcile = !!req.reconcile;

    const parentTs = await ensureParent(lane, c, reconcile);
    const msg = renderEmail(store, c, row, email);
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
      const posted = await postThreadMessage({ web, logger, installId }, lane, { c, parentTs, row, msg, reconcile });
      fullText ||= posted.plain;
      const hasFiles = fullText || (row.kind !== 'bounce' && (email?.attachments.length ?? 0) > 0);
      state = hasFiles ? 'files' : 'posted';
      store.messages.setPostState(row.id, state, posted.ts);
      telemetry.emailPosted(c.inboxId, Math.max(0, Date.now() - row.receivedAt) / 1000);
      slackTs = posted.ts;
    }
    if (state === 'files') {
      const done = reconcile && slackTs ? await laneCall(lane, () => findThreadFiles(web, c.channelId, parentTs, slackTs), false) : [];
      await uploadEmailFiles(deps, lane, c, parentTs, row, email, fullText, done);
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

