// Every Slack listener, registered in one place. Each file handles one surface and calls one
// use case; `deps` carries what they need.
import type { ParseEmail } from '../../../mail/types.ts';
import type { WithRaw } from '../../../mail/raw.ts';
import type { Logger } from 'pino';
import type { Config, InboxConfig } from '../../../config/load.ts';
import type { Conversation, Inbox } from '../../../core/types.ts';
import type { Store } from '../../../store/index.ts';
import type { CollisionTracker } from '../../../usecases/collision.ts';
import type { ThreadReplyDeps } from '../../../usecases/queue-reply.ts';
import type { Timekeeper } from '../../../usecases/time-keeping.ts';
import type { ConfiguredInbox, Inboxes } from '../../../usecases/inboxes.ts';
import type { NoteVM } from '../../ui/blocks/note-message.ts';
import type { BoltApp } from '../bolt-app.ts';
import type { Directory } from '../../outbound/directory.ts';
import { registerConversationActions } from './register-conversation-actions.ts';
import { registerThreadMessages } from './events/thread-messages.event.ts';
import { registerMailroomCommand } from './commands/mailroom.command.ts';
import { registerTemplateActions } from './actions/templates.action.ts';
import { registerTemplateEditSubmission } from './views/template-edit.submission.ts';
import { registerAppHome } from './events/app-home.event.ts';
import { registerComposeCommand } from './commands/compose.command.ts';
import { registerComposeSubmission } from './views/compose.submission.ts';
import { registerTemplateInsertion } from './actions/insert-template.action.ts';
import { registerReplyOpeners } from './actions/reply.action.ts';
import { registerReplySubmission } from './views/reply.submission.ts';
import { registerSendAgain } from './actions/send-again.action.ts';
import { registerSearchMore } from './commands/mailroom-search.ts';
import { registerSignatureSubmission } from './commands/mailroom-signature.ts';

/** One configured inbox as listeners see it. */
export type InboxRuntime = ConfiguredInbox;

export interface ListenerDeps {
  store: Store;
  logger: Logger;
  /** Reads an email (loaded with the first one). */
  parse: ParseEmail;
  /** A received email's raw bytes, read again. */
  withRaw: WithRaw;
  config: Config;
  inboxes: Inboxes;
  directory: Directory;
  replies: ThreadReplyDeps;
  kickOutbox: () => void;
  /** Re-render a conversation's parent message. */
  refreshParent: (conversationId: number) => void;
  /** Post the parent message of a conversation started in Slack (compose); resolves with its ts. */
  postParent: (conversationId: number) => Promise<string>;
  /** Post a system note in a conversation's thread (queued, paced). */
  postNote: (conversation: Conversation, note: NoteVM) => void;
  /** Workspace URL for permalinks, once known. */
  teamUrl: () => string | null;
  /** "… is replying" on parents: the Reply modal calls markReplying / clearReplying. */
  collision?: CollisionTracker;
  /** SLA clocks and timers: snoozes, waits, reminders and scheduled sends change them. */
  timekeeper: Timekeeper;
  /** A scheduled email's thread message loses its Cancel button (it went, or was cancelled). */
  scheduledSettled: (outboxId: number, how: { sent: true } | { cancelledBy: string | null }) => Promise<void>;
}

export function registerListeners(app: BoltApp, deps: ListenerDeps): void {
  registerThreadMessages(app, deps);
  registerConversationActions(app, deps);
  registerMailroomCommand(app, deps);
  registerTemplateActions(app, deps);
  registerTemplateEditSubmission(app, deps);
  registerAppHome(app, deps);
  registerComposeCommand(app, deps);
  registerComposeSubmission(app, deps);
  registerTemplateInsertion(app, deps);
  registerReplyOpeners(app, deps);
  registerReplySubmission(app, deps);
  registerSendAgain(app, deps);
  registerSearchMore(app, deps);
  registerSignatureSubmission(app, deps);
}
