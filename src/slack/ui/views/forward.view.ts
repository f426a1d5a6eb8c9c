// Forward an email of a conversation to another address or team, with a note. The forward is
// sent through the outbox and logged in the thread.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import type { Address } from '../../../core/types.ts';
import { Fields, Views } from '../ids.ts';
import { addressMrkdwn, esc, slackDate } from '../blocks/text.ts';
import { contextLine, decodeMetadata, modal, textInput } from './common.ts';
import { conversationTarget, type ConversationOptionVM } from './conversation-picker.view.ts';

export interface ForwardVM {
  conversation: ConversationOptionVM;
  /** The email to forward: the one the shortcut was used on, else the latest one. */
  email?: { rowId: number; from: Address; date: number | null; subject: string } | null;
}

export const forwardMetadataSchema = z.object({
  conversationNumber: z.number().int().positive(),
  messageRowId: z.number().int().positive().optional(),
});
export type ForwardMetadata = z.output<typeof forwardMetadataSchema>;

export function readForwardMetadata(raw: string | undefined | null): ForwardMetadata | null {
  return decodeMetadata(raw, forwardMetadataSchema);
}

export function forwardModal(vm: ForwardVM): ModalView {
  const blocks: KnownBlock[] = [conversationTarget({ known: vm.conversation })];
  if (vm.email) {
    const when = vm.email.date ? ` · ${slackDate(vm.email.date)}` : '';
    blocks.push(contextLine(`:email: Forwarding the email from ${addressMrkdwn(vm.email.from)}${when}: _${esc(vm.email.subject || '(no subject)', 300)}_`));
  }
  blocks.push(
    textInput(Fields.forwardTo, { label: 'Forward to', placeholder: 'billing@example.com, Bob <bob@example.com>', maxLength: 2000 }),
    textInput(Fields.note, { label: 'Note', optional: true, multiline: true, maxLength: 2000, placeholder: 'Added above the forwarded email' }),
  );
  const metadata: ForwardMetadata = {
    conversationNumber: vm.conversation.number,
    ...(vm.email ? { messageRowId: vm.email.rowId } : {}),
  };
  return modal({ callbackId: Views.forward, title: 'Forward email', submit: 'Forward', blocks, metadata });
}
