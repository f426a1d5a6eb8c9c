// The close modal: a resolution, an internal note, and "also close ticket #N" (checked by
// default) when the conversation has a ticket.
import type { Checkboxes, InputBlock, KnownBlock, ModalView, PlainTextOption, RadioButtons } from '@slack/types';
import { z } from 'zod';
import { RESOLUTION_LABELS, RESOLUTIONS, type Resolution } from '../../../core/conversation-status.ts';
import { Fields, Views } from '../ids.ts';
import { option } from '../blocks/text.ts';
import { decodeMetadata, input, modal, textInput } from './common.ts';
import { conversationTarget, type ConversationOptionVM } from './conversation-picker.view.ts';

export interface CloseVM {
  conversation?: ConversationOptionVM | null;
  pickerInitial?: ConversationOptionVM | null;
  /** The known conversation's open ticket. */
  ticket?: { id: number } | null;
  resolution?: Resolution;
  /** Where the command was typed: the picker lists that channel's conversations first. */
  channelId?: string | null;
}

export const closeMetadataSchema = z.object({
  conversationNumber: z.number().int().positive().optional(),
  ticketId: z.number().int().positive().optional(),
  channelId: z.string().max(30).optional(),
});
export type CloseMetadata = z.output<typeof closeMetadataSchema>;

export function readCloseMetadata(raw: string | undefined | null): CloseMetadata | null {
  return decodeMetadata(raw, closeMetadataSchema);
}

/** Value of the "close the ticket too" checkbox option. */
export const CLOSE_TICKET_VALUE = 'close_ticket';
export const NOTE_MAX = 2000;

function resolutionInput(initial: Resolution): InputBlock {
  const options = RESOLUTIONS.map((r) => option(RESOLUTION_LABELS[r], r));
  const element: RadioButtons = { type: 'radio_buttons', options };
  const chosen = options.find((o) => o.value === initial);
  if (chosen) element.initial_option = chosen;
  return input(Fields.resolution, element, { label: 'Resolution' });
}

function closeTicketInput(label: string): InputBlock {
  const only: PlainTextOption = option(label, CLOSE_TICKET_VALUE);
  const element: Checkboxes = { type: 'checkboxes', options: [only], initial_options: [only] };
  return input(Fields.closeTicket, element, { label: 'Ticket', optional: true });
}

export function closeModal(vm: CloseVM): ModalView {
  const blocks: KnownBlock[] = [
    conversationTarget({ known: vm.conversation, pickerInitial: vm.pickerInitial }),
    resolutionInput(vm.resolution ?? 'resolved'),
    textInput(Fields.note, { label: 'Internal note', optional: true, multiline: true, maxLength: NOTE_MAX, placeholder: 'Only your team sees this' }),
  ];
  // With the picker the ticket is unknown until submission: offer to close it if there is one.
  if (!vm.conversation) blocks.push(closeTicketInput('Also close its ticket, if it has one'));
  else if (vm.ticket) blocks.push(closeTicketInput(`Also close ticket #${vm.ticket.id}`));
  const metadata: CloseMetadata = {
    ...(vm.conversation ? { conversationNumber: vm.conversation.number } : {}),
    ...(vm.conversation && vm.ticket ? { ticketId: vm.ticket.id } : {}),
    ...(!vm.conversation && vm.channelId ? { channelId: vm.channelId } : {}),
  };
  return modal({ callbackId: Views.close, title: 'Close conversation', submit: 'Close', blocks, metadata });
}
