// Acting on conversations from Slack: assign, close, reopen, tags, tickets, move, forward, show
// the full message, snooze or wait, cancel a scheduled email; from the parent's buttons, message
// shortcuts, `/assign` and `/close`.
import type { BoltApp } from '../bolt-app.ts';
import { registerConversationButtons } from './actions/conversation-buttons.action.ts';
import { registerAssignCloseCommands } from './commands/assign-close.command.ts';
import { createConversationKit } from './conversation-kit.ts';
import { createConversationModals } from './conversation-modals.ts';
import type { ListenerDeps } from './register-listeners.ts';
import { registerConversationPicker } from './options/conversation-picker.options.ts';
import { registerConversationShortcuts } from './shortcuts/conversation-shortcuts.shortcut.ts';
import { registerAssignCloseSubmissions } from './views/assign-close-submissions.submission.ts';
import { registerTicketMoveForwardSubmissions } from './views/ticket-move-forward-submissions.submission.ts';
import { registerSnoozeSubmission } from './views/snooze.submission.ts';
import { registerScheduledSendActions } from './actions/scheduled-send.action.ts';
import { registerTagsSubmission } from './views/tags.submission.ts';

export function registerConversationActions(app: BoltApp, deps: ListenerDeps): void {
  const kit = createConversationKit(deps);
  const modals = createConversationModals({ kit, read: deps });
  registerConversationButtons(app, kit, modals);
  registerConversationShortcuts(app, kit, modals);
  registerAssignCloseCommands(app, kit, modals, deps.config.slack.commands);
  registerConversationPicker(app, kit);
  registerAssignCloseSubmissions(app, kit);
  registerTicketMoveForwardSubmissions(app, kit);
  registerSnoozeSubmission(app, kit);
  registerScheduledSendActions(app, kit);
  registerTagsSubmission(app, kit);
}
