// The conversation picker of `/assign` and `/close`: an external_select whose options the app
// serves (block_suggestion) from open conversations, matching number, subject or sender.
import type { ExternalSelect, InputBlock, KnownBlock, PlainTextOption } from '@slack/types';
import { plainForSlack } from '../../../core/slack-text.ts';
import { Fields } from '../ids.ts';
import { Limits, esc, md, oneLine, truncate } from '../blocks/text.ts';
import { input } from './common.ts';

export interface ConversationOptionVM {
  number: number;
  subject: string;
  /** The contact's name, or address when there is no name. */
  contact: string;
}

const CONTACT_LENGTH = 24;

/** `#42 · Subject · Jane Doe`, never over Slack's 75 characters; value is the number. */
export function conversationOption(vm: ConversationOptionVM): PlainTextOption {
  const prefix = `#${vm.number}`;
  const contact = truncate(plainForSlack(vm.contact.replace(/\s+/g, ' ').trim()), CONTACT_LENGTH);
  const tail = contact ? ` · ${contact}` : '';
  const room = Limits.optionText - prefix.length - ' · '.length - tail.length;
  const subject = truncate(plainForSlack(vm.subject.replace(/\s+/g, ' ').trim() || '(no subject)'), room);
  return { text: { type: 'plain_text', text: `${prefix} · ${subject}${tail}`, emoji: true }, value: String(vm.number) };
}

/** The body of a block_suggestion response: at most 100 options. */
export function conversationOptions(list: readonly ConversationOptionVM[]): { options: PlainTextOption[] } {
  return { options: list.slice(0, Limits.staticSelectOptions).map(conversationOption) };
}

/**
 * The picker input. `initial` is the newest open conversation of the channel the command was
 * typed in; options load as soon as the menu opens (min_query_length 0) so recent ones show.
 */
export function conversationPicker(initial?: ConversationOptionVM | null): InputBlock {
  const element: ExternalSelect = {
    type: 'external_select',
    min_query_length: 0,
    placeholder: { type: 'plain_text', text: 'Number, subject or sender', emoji: true },
  };
  if (initial) element.initial_option = conversationOption(initial);
  return input(Fields.conversation, element, { label: 'Conversation' });
}

/**
 * What a conversation-action modal shows at the top: the conversation when it is known (button,
 * shortcut), else the picker (slash command) preselecting `pickerInitial`.
 */
export function conversationTarget(o: { known?: ConversationOptionVM | null; pickerInitial?: ConversationOptionVM | null }): KnownBlock {
  if (o.known) {
    const c = o.known;
    const text = `*#${c.number}* · ${esc(oneLine(c.subject) || '(no subject)', 300)} · ${esc(oneLine(c.contact), 200)}`;
    return { type: 'context', elements: [md(text)] };
  }
  return conversationPicker(o.pickerInitial ?? null);
}
