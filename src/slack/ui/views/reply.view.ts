// The reply modal, for what a plain thread reply can't say: another From, more To, CC, BCC, a
// template, files. While it is open the parent says "… is replying"; notify_on_close lets the
// app clear that when the user cancels.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import type { Address } from '../../../core/types.ts';
import { Fields, Views } from '../ids.ts';
import { addressMrkdwn, esc, oneLine } from '../blocks/text.ts';
import { contextLine, decodeMetadata, modal } from './common.ts';
import {
  addressInput,
  bodyInput,
  filesInput,
  fromSelect,
  remindInput,
  sendAtInput,
  signatureBlocks,
  templateSelect,
  type FromChoice,
  type SenderInboxVM,
  type TemplateOptionVM,
} from './email-fields.ts';

export interface ReplyVM {
  conversation: { number: number; subject: string; contact: Address };
  /** The conversation's inbox (its addresses are the From choices). */
  sender: SenderInboxVM;
  /** The address that received the conversation. */
  defaultFrom: FromChoice;
  /** Reply-all CC of the last email, prefilled and editable. */
  cc?: readonly Address[];
  templates?: readonly TemplateOptionVM[];
  initial?: { to?: string; cc?: string; bcc?: string; body?: string };
  bodyRevision?: number;
  /** The signature the reply will get, as written (Slack text). */
  signature?: string | null;
}

export const replyMetadataSchema = z.object({
  conversationNumber: z.number().int().positive(),
  bodyRevision: z.number().int().min(0),
});
export type ReplyMetadata = z.output<typeof replyMetadataSchema>;

export function readReplyMetadata(raw: string | undefined | null): ReplyMetadata | null {
  return decodeMetadata(raw, replyMetadataSchema);
}

/** `Name <addr>, …` for a plain-text input's initial value. */
export function addressesForInput(list: readonly Address[]): string {
  return list.map((a) => (a.name.trim() ? `${a.name.trim().replace(/[",<>]/g, '')} <${a.address}>` : a.address)).join(', ');
}

export function replyModal(vm: ReplyVM): ModalView {
  const revision = vm.bodyRevision ?? 0;
  const c = vm.conversation;
  const init = vm.initial ?? {};
  const template = templateSelect(vm.templates ?? []);
  const blocks: KnownBlock[] = [
    contextLine(`*#${c.number}* · ${esc(oneLine(c.subject) || '(no subject)', 300)} · to ${addressMrkdwn(c.contact)}`),
    fromSelect([vm.sender], vm.defaultFrom),
    addressInput(Fields.to, { label: 'More recipients (To)', initial: init.to ?? null, hint: 'The customer is already included.' }),
    addressInput(Fields.cc, { label: 'CC', initial: init.cc ?? (vm.cc ? addressesForInput(vm.cc) : null) }),
    addressInput(Fields.bcc, { label: 'BCC', initial: init.bcc ?? null }),
    ...(template ? [template] : []),
    bodyInput({ initial: init.body ?? null, revision }),
    ...signatureBlocks(vm.signature),
    filesInput(),
    sendAtInput(),
    remindInput(),
  ];
  return modal({
    callbackId: Views.reply,
    title: `Reply to #${c.number}`,
    submit: 'Send',
    blocks,
    metadata: { conversationNumber: c.number, bodyRevision: revision } satisfies ReplyMetadata,
    notifyOnClose: true,
  });
}
