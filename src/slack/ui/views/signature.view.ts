// The signature modal (`/mailroom signature`): your own signature and, typed in an inbox channel
// by one of its members, the inbox's. Slack formatting works in both; {{teammate_name}} and
// {{inbox_name}} are filled in on each email.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { MAX_SIGNATURE } from '../../../core/signature.ts';
import { Fields, Views } from '../ids.ts';
import { contextLine, decodeMetadata, modal, textInput } from './common.ts';

export interface SignatureVM {
  /** Your signature as plain text (what the input shows). */
  mine: string;
  /** The inbox whose signature can be edited here, with its current one (plain text). */
  inbox?: { id: number; name: string; signature: string } | null;
}

export const signatureMetadataSchema = z.object({ inboxId: z.number().int().positive().optional() });

export function readSignatureMetadata(raw: string | undefined | null) {
  return decodeMetadata(raw, signatureMetadataSchema);
}

const HINT = 'Slack formatting (*bold*, _italic_, links) works. {{teammate_name}} and {{inbox_name}} are filled in. Empty: none.';

export function signatureModal(vm: SignatureVM): ModalView {
  const blocks: KnownBlock[] = [
    contextLine('Your signature goes at the end of every email you send, after a `-- ` line; the inbox’s follows it. The Reply and Compose modals show it and can leave it off once.'),
    textInput(Fields.mySignature, { label: 'Your signature', initial: vm.mine || null, optional: true, multiline: true, maxLength: MAX_SIGNATURE, hint: HINT }),
  ];
  if (vm.inbox)
    blocks.push(
      textInput(Fields.inboxSignature, { label: `Signature of ${vm.inbox.name}`, initial: vm.inbox.signature || null, optional: true, multiline: true, maxLength: MAX_SIGNATURE, hint: 'For every email from this inbox, after the sender’s own.' }),
    );
  return modal({ callbackId: Views.signature, title: 'Signature', submit: 'Save', blocks, metadata: vm.inbox ? { inboxId: vm.inbox.id } : {} });
}
