// Move a conversation to another inbox: its channel gets the conversation, the old thread says
// where it went.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { Fields, Views } from '../ids.ts';
import { option } from '../blocks/text.ts';
import { decodeMetadata, modal, notice, selectInput, textInput } from './common.ts';
import { conversationTarget, type ConversationOptionVM } from './conversation-picker.view.ts';

export interface MoveVM {
  conversation: ConversationOptionVM;
  /** Inboxes it can go to (not its own). */
  inboxes: readonly { id: number; name: string }[];
}

export const moveMetadataSchema = z.object({ conversationNumber: z.number().int().positive() });
export type MoveMetadata = z.output<typeof moveMetadataSchema>;

export function readMoveMetadata(raw: string | undefined | null): MoveMetadata | null {
  return decodeMetadata(raw, moveMetadataSchema);
}

export function moveModal(vm: MoveVM): ModalView {
  const metadata: MoveMetadata = { conversationNumber: vm.conversation.number };
  const target = conversationTarget({ known: vm.conversation });
  if (vm.inboxes.length === 0) {
    return modal({
      callbackId: Views.move,
      title: 'Move conversation',
      close: 'Close',
      blocks: [target, notice('There is no other inbox to move it to.')],
      metadata,
    });
  }
  const blocks: KnownBlock[] = [
    target,
    selectInput(Fields.inbox, vm.inboxes.map((i) => option(i.name, String(i.id))), { label: 'Move to inbox', placeholder: 'Choose an inbox…' }),
    textInput(Fields.note, { label: 'Note for the other team', optional: true, multiline: true, maxLength: 2000 }),
  ];
  return modal({ callbackId: Views.move, title: 'Move conversation', submit: 'Move', blocks, metadata });
}
