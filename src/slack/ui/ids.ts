// Every identifier Mailroom gives Slack, in one place: the builders set them, the listeners match
// on them. Changing a value breaks buttons on messages already posted, so values are stable.
// Prefix `mr_` keeps them apart from any other app's ids in payload logs.

/** `action_id`s of interactive elements on messages and in the App Home. */
export const Actions = {
  /** Parent message buttons; `value` is the conversation number. */
  reply: 'mr_reply',
  close: 'mr_close',
  reopen: 'mr_reopen',
  /** users_select on the parent; `selected_user` is the new assignee. */
  assignSelect: 'mr_assign_select',
  /** Overflow on the parent; the option `value` is `overflowValue(choice, number)`. */
  overflow: 'mr_more',
  /** Links to earlier conversations and to where a conversation moved (url buttons still send an action). */
  openLink: 'mr_open_link',
  /** App Home. */
  homeOpenConversation: 'mr_home_open',
  homeRefresh: 'mr_home_refresh',
  homeStatsWindow: 'mr_home_window',
  /** Templates list modal. */
  templateAdd: 'mr_tpl_add',
  /** Edit button of a template in the list; `value` is the template id. */
  templateEdit: 'mr_tpl_edit',
  /** Inbox switcher of the templates list; the selected option's value is the inbox id. */
  templateInbox: 'mr_tpl_inbox',
  /** "Send again" on a bounce note; `value` is the bounce's message row id. */
  sendAgain: 'mr_send_again',
  /** Cancel under a scheduled email; `value` is its outbox id. */
  cancelScheduled: 'mr_cancel_scheduled',
  /** "More results" under a search; `value` is JSON `{ q, below }` (see search.view.ts). */
  searchMore: 'mr_search_more',
  /** "Show full message" on an email in the thread whose quoted history is hidden. */
  showFullEmail: 'mr_show_full',
} as const;

/** What the parent's overflow menu offers. */
export const OverflowChoices = {
  createTicket: 'ticket',
  move: 'move',
  forward: 'forward',
  showFull: 'full',
  snooze: 'snooze',
  unsnooze: 'unsnooze',
  tags: 'tags',
  customer: 'customer',
} as const;
export type OverflowChoice = (typeof OverflowChoices)[keyof typeof OverflowChoices];

/** Overflow option values carry the choice and the conversation number: `ticket:42`. */
export function overflowValue(choice: OverflowChoice, conversationNumber: number): string {
  return `${choice}:${conversationNumber}`;
}

export function parseOverflowValue(value: string): { choice: OverflowChoice; conversationNumber: number } | null {
  const m = /^([a-z]+):(\d+)$/.exec(value);
  if (!m) return null;
  const choice = Object.values(OverflowChoices).find((c) => c === m[1]);
  const conversationNumber = Number(m[2]);
  if (!choice || !Number.isSafeInteger(conversationNumber)) return null;
  return { choice, conversationNumber };
}

/** Button values are the bare conversation number; null when it isn't one. */
export function parseConversationNumber(value: string | undefined): number | null {
  if (!value || !/^\d{1,15}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}

/** `callback_id`s of shortcuts (declared in the manifests with these ids): message shortcuts, and compose. */
export const Shortcuts = {
  reply: 'mr_sc_reply',
  assign: 'mr_sc_assign',
  close: 'mr_sc_close',
  reopen: 'mr_sc_reopen',
  createTicket: 'mr_sc_ticket',
  move: 'mr_sc_move',
  forward: 'mr_sc_forward',
  showFull: 'mr_sc_full',
  snooze: 'mr_sc_snooze',
  tags: 'mr_sc_tags',
  /** The one global shortcut (from the shortcuts menu, not on a message): write a new email. */
  compose: 'mr_gs_compose',
} as const;

/** `callback_id`s of modals. */
export const Views = {
  compose: 'mr_compose',
  reply: 'mr_reply_modal',
  assign: 'mr_assign_modal',
  close: 'mr_close_modal',
  ticket: 'mr_ticket_modal',
  move: 'mr_move_modal',
  forward: 'mr_forward_modal',
  templatesList: 'mr_templates',
  templateEdit: 'mr_template_edit',
  fullMessage: 'mr_full_message',
  snooze: 'mr_snooze_modal',
  tags: 'mr_tags_modal',
  signature: 'mr_signature_modal',
  customer: 'mr_customer',
} as const;

/**
 * Input fields of modals: `block` is the input block's `block_id` (the key in
 * `view.state.values` and in `response_action: 'errors'`), `action` the element's `action_id`.
 */
export const Fields = {
  from: { block: 'mr_from', action: 'mr_from_select' },
  to: { block: 'mr_to', action: 'mr_to_input' },
  toContacts: { block: 'mr_to_contacts', action: 'mr_contact_pick' },
  cc: { block: 'mr_cc', action: 'mr_cc_input' },
  bcc: { block: 'mr_bcc', action: 'mr_bcc_input' },
  subject: { block: 'mr_subject', action: 'mr_subject_input' },
  /** The body's block id carries a revision (see `bodyBlockId`) so inserting a template can replace it. */
  body: { block: 'mr_body', action: 'mr_body_input' },
  template: { block: 'mr_template', action: 'mr_template_select' },
  files: { block: 'mr_files', action: 'mr_files_input' },
  conversation: { block: 'mr_conversation', action: 'mr_conversation_pick' },
  assignee: { block: 'mr_assignee', action: 'mr_assignee_select' },
  resolution: { block: 'mr_resolution', action: 'mr_resolution_choice' },
  note: { block: 'mr_note', action: 'mr_note_input' },
  closeTicket: { block: 'mr_close_ticket', action: 'mr_close_ticket_check' },
  priority: { block: 'mr_priority', action: 'mr_priority_select' },
  inbox: { block: 'mr_inbox', action: 'mr_inbox_select' },
  forwardTo: { block: 'mr_forward_to', action: 'mr_forward_to_input' },
  templateName: { block: 'mr_template_name', action: 'mr_template_name_input' },
  templateBody: { block: 'mr_template_body', action: 'mr_template_body_input' },
  templateDelete: { block: 'mr_template_delete', action: 'mr_template_delete_check' },
  snoozeWhen: { block: 'mr_snooze_when', action: 'mr_snooze_when_choice' },
  snoozeAt: { block: 'mr_snooze_at', action: 'mr_snooze_at_pick' },
  sendAt: { block: 'mr_send_at', action: 'mr_send_at_pick' },
  remind: { block: 'mr_remind', action: 'mr_remind_select' },
  /** "Leave the signature off this email" in the Reply and Compose modals (value `off`). */
  noSignature: { block: 'mr_no_signature', action: 'mr_no_signature_check' },
  /** The signature modal: yours, and the inbox's. */
  mySignature: { block: 'mr_my_signature', action: 'mr_my_signature_input' },
  inboxSignature: { block: 'mr_inbox_signature', action: 'mr_inbox_signature_input' },
  /** The tag picker: a multi external select whose options offer the typed word as a new tag. */
  tags: { block: 'mr_tags', action: 'mr_tags_pick' },
} as const;

/**
 * Slack keeps what a user typed in an input while its block_id is unchanged, whatever the new
 * `initial_value`; a new block_id is the documented way to replace the text (template insertion).
 */
export function bodyBlockId(revision = 0): string {
  return revision > 0 ? `${Fields.body.block}_r${revision}` : Fields.body.block;
}

/** Finds the body's block id among the submitted state's keys, whatever its revision. */
export function isBodyBlockId(blockId: string): boolean {
  return blockId === Fields.body.block || new RegExp(`^${Fields.body.block}_r\\d+$`).test(blockId);
}

/** `block_id`s of non-input blocks the listeners look for. */
export const Blocks = {
  /** The parent's actions block; suffixed by the assignee so a new initial_user is shown (see parent). */
  parentActions: 'mr_parent_actions',
  templatesHeader: 'mr_templates_header',
  /** The actions block of a bounce note (replaced once "Send again" was used). */
  sendAgain: 'mr_send_again_actions',
  /** Under a scheduled email: "⏳ Scheduled for …" and its Cancel button. */
  scheduled: 'mr_scheduled',
  scheduledActions: 'mr_scheduled_actions',
} as const;

/** Message metadata `event_type`s: what each of our messages is, for reconciliation after a crash. */
export const MetadataEvents = {
  /** The parent message of a conversation. */
  conversation: 'mailroom_conversation',
  /** A thread message that shows one email (in or out). */
  email: 'mailroom_email',
  /** A system note in a thread (assigned, closed, moved, bounce…). */
  note: 'mailroom_note',
} as const;
export type MetadataEventType = (typeof MetadataEvents)[keyof typeof MetadataEvents];
