// The compose modal (/compose): a new email that starts a new conversation in the inbox of the
// chosen From address. Validation (addresses, subject) happens in the submission listener, which
// answers with `response_action: 'errors'` keyed by the block ids in `Fields`.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { Fields, Views } from '../ids.ts';
import { contextLine, decodeMetadata, modal, notice, textInput } from './common.ts';
import {
  addressInput,
  bodyInput,
  contactPicker,
  filesInput,
  fromSelect,
  sendAtInput,
  templateSelect,
  type FromChoice,
  type SenderInboxVM,
  type TemplateOptionVM,
  signatureBlocks,
} from './email-fields.ts';

export interface ComposeVM {
  /** Inboxes the user may send from (members only). */
  senders: readonly SenderInboxVM[];
  /** Preselected From: the inbox of the channel /compose was typed in. */
  defaultFrom?: FromChoice | null;
  templates?: readonly TemplateOptionVM[];
  /** Values to show again when the modal is re-rendered (template inserted). */
  initial?: { to?: string; cc?: string; bcc?: string; subject?: string; body?: string };
  /** Incremented each time the body is replaced (see `bodyBlockId`). */
  bodyRevision?: number;
  /** Where /compose was typed, for private error messages afterwards. */
  channelId?: string | null;
  /** The signature the email will get (yours, then the From inbox's), as written. */
  signature?: string | null;
}

export const composeMetadataSchema = z.object({
  bodyRevision: z.number().int().min(0),
  channelId: z.string().optional(),
});
export type ComposeMetadata = z.output<typeof composeMetadataSchema>;

export function readComposeMetadata(raw: string | undefined | null): ComposeMetadata | null {
  return decodeMetadata(raw, composeMetadataSchema);
}

export const SUBJECT_MAX = 250;

export function composeModal(vm: ComposeVM): ModalView {
  const revision = vm.bodyRevision ?? 0;
  const metadata: ComposeMetadata = { bodyRevision: revision, ...(vm.channelId ? { channelId: vm.channelId } : {}) };
  if (vm.senders.length === 0) {
    return modal({
      callbackId: Views.compose,
      title: 'New email',
      close: 'Close',
      blocks: [notice('You are not a member of any inbox, so there is no address to send from. Ask an admin to add you to an inbox channel.')],
      metadata,
    });
  }
  const init = vm.initial ?? {};
  const template = templateSelect(vm.templates ?? []);
  const blocks: KnownBlock[] = [
    fromSelect(vm.senders, vm.defaultFrom),
    addressInput(Fields.to, { label: 'To', initial: init.to ?? null, hint: 'Addresses separated by commas, or pick contacts below.' }),
    contactPicker(),
    addressInput(Fields.cc, { label: 'CC', initial: init.cc ?? null }),
    addressInput(Fields.bcc, { label: 'BCC', initial: init.bcc ?? null }),
    textInput(Fields.subject, { label: 'Subject', initial: init.subject ?? null, maxLength: SUBJECT_MAX }),
    ...(template ? [template] : []),
    bodyInput({ initial: init.body ?? null, revision }),
    ...signatureBlocks(vm.signature),
    filesInput(),
    sendAtInput(),
    contextLine('The email starts a new conversation in the inbox channel of the From address; replies come back into its thread.'),
  ];
  return modal({ callbackId: Views.compose, title: 'New email', submit: 'Send', blocks, metadata });
}
