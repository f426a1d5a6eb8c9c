// Create a ticket for a conversation: its priority (the number is the ticket's id; it starts open).
import type { ModalView, RadioButtons } from '@slack/types';
import { z } from 'zod';
import { TICKET_PRIORITIES, type TicketPriority } from '../../../core/conversation-status.ts';
import { Fields, Views } from '../ids.ts';
import { option } from '../blocks/text.ts';
import { decodeMetadata, input, modal } from './common.ts';
import { conversationTarget, type ConversationOptionVM } from './conversation-picker.view.ts';

export interface TicketVM {
  conversation: ConversationOptionVM;
  priority?: TicketPriority;
}

export const ticketMetadataSchema = z.object({ conversationNumber: z.number().int().positive() });
export type TicketMetadata = z.output<typeof ticketMetadataSchema>;

export function readTicketMetadata(raw: string | undefined | null): TicketMetadata | null {
  return decodeMetadata(raw, ticketMetadataSchema);
}

const LABELS: Record<TicketPriority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

export function ticketModal(vm: TicketVM): ModalView {
  const options = TICKET_PRIORITIES.map((p) => option(LABELS[p], p));
  const element: RadioButtons = { type: 'radio_buttons', options };
  const chosen = options.find((o) => o.value === (vm.priority ?? 'normal'));
  if (chosen) element.initial_option = chosen;
  return modal({
    callbackId: Views.ticket,
    title: 'Create ticket',
    submit: 'Create',
    blocks: [conversationTarget({ known: vm.conversation }), input(Fields.priority, element, { label: 'Priority' })],
    metadata: { conversationNumber: vm.conversation.number } satisfies TicketMetadata,
  });
}
