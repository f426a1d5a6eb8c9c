// The assign modal: from /assign (with the conversation picker) or the Assign shortcut (the
// conversation is known). The parent's users select assigns without a modal.
import type { InputBlock, ModalView, UsersSelect } from '@slack/types';
import { z } from 'zod';
import { Fields, Views } from '../ids.ts';
import { isUserId } from '../blocks/mentions.ts';
import { Limits, plain } from '../blocks/text.ts';
import { decodeMetadata, input, modal } from './common.ts';
import { conversationTarget, type ConversationOptionVM } from './conversation-picker.view.ts';

export interface AssignVM {
  /** Known when opened from a button or shortcut. */
  conversation?: ConversationOptionVM | null;
  /** For the picker: the newest open conversation of the channel. */
  pickerInitial?: ConversationOptionVM | null;
  assigneeUserId?: string | null;
  /** Where the command was typed: the picker lists that channel's conversations first. */
  channelId?: string | null;
}

export const assignMetadataSchema = z.object({
  conversationNumber: z.number().int().positive().optional(),
  channelId: z.string().max(30).optional(),
});
export type AssignMetadata = z.output<typeof assignMetadataSchema>;

export function readAssignMetadata(raw: string | undefined | null): AssignMetadata | null {
  return decodeMetadata(raw, assignMetadataSchema);
}

export function assigneeInput(initialUser?: string | null): InputBlock {
  const element: UsersSelect = { type: 'users_select', placeholder: plain('Choose a teammate', Limits.placeholder) };
  if (isUserId(initialUser)) element.initial_user = initialUser;
  return input(Fields.assignee, element, { label: 'Assign to' });
}

export function assignModal(vm: AssignVM): ModalView {
  return modal({
    callbackId: Views.assign,
    title: 'Assign conversation',
    submit: 'Assign',
    blocks: [conversationTarget({ known: vm.conversation, pickerInitial: vm.pickerInitial }), assigneeInput(vm.assigneeUserId)],
    metadata: {
      ...(vm.conversation ? { conversationNumber: vm.conversation.number } : {}),
      ...(!vm.conversation && vm.channelId ? { channelId: vm.channelId } : {}),
    },
  });
}
