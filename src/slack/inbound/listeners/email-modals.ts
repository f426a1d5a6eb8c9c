// What the compose and reply listeners share: building their modals from the store (From
// choices, templates), opening a modal in time, field errors, files from a file_input, and
// posting an email in its thread.
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { EmailFormErrors, EmailFormField } from '../../../core/email-form.ts';
import type { Conversation } from '../../../core/types.ts';
import { AppError, describeError } from '../../../errors.ts';
import type { ThreadPoster } from '../../../usecases/outgoing-email.ts';
import { outgoingEmailView } from '../../ui/blocks/outgoing-email.ts';
import { Fields, MetadataEvents } from '../../ui/ids.ts';
import { MAX_DURATION_MS, parseDuration } from '../../../core/durations.ts';
import { dateTimeValue, selectedValue, type ViewValues } from '../view-state.ts';
import type { SharedFile } from '../../../core/types.ts';
import { fileRefs } from '../../outbound/files.ts';
import { modal, notice } from '../../ui/views/common.ts';
import { composeModal, type ComposeVM } from '../../ui/views/compose.view.ts';
import type { FromChoice, SenderInboxVM, TemplateOptionVM } from '../../ui/views/email-fields.ts';
import { replyModal, type ReplyVM } from '../../ui/views/reply.view.ts';
import type { InboxRuntime, ListenerDeps } from './register-listeners.ts';
import { signaturesFor } from '../../../usecases/signatures.ts';

export function senderVM(i: InboxRuntime): SenderInboxVM {
  return { inboxId: i.inbox.id, inboxName: i.inbox.name, addresses: i.addresses };
}

/** Templates of these inboxes; named with their inbox when there are several. */
export function templateOptions(deps: Pick<ListenerDeps, 'store'>, inboxes: readonly InboxRuntime[]): TemplateOptionVM[] {
  return inboxes.flatMap((i) =>
    deps.store.templates.list(i.inbox.id).map((t) => ({ id: t.id, name: inboxes.length > 1 ? `${i.inbox.name} · ${t.name}` : t.name })),
  );
}

/** The signature preview of an email from this teammate through this inbox (as written). */
export function signaturePreview(deps: Pick<ListenerDeps, 'store'>, userId: string | undefined, inbox: InboxRuntime | undefined): string | null {
  const s = inbox ? signaturesFor(deps.store, userId ?? '', inbox.config) : { teammate: userId ? deps.store.signatures.get('user', userId) : null, inbox: null };
  return [s.teammate, s.inbox].filter(Boolean).join('\n\n') || null;
}

export function composeView(deps: Pick<ListenerDeps, 'store'>, senders: readonly InboxRuntime[], o: Omit<ComposeVM, 'senders' | 'templates' | 'signature'> & { userId?: string } = {}): ModalView {
  const { userId, ...rest } = o;
  // The inbox part follows the From choice, known here only for the preselected one.
  const from = senders.find((i) => i.inbox.id === o.defaultFrom?.inboxId) ?? (senders.length === 1 ? senders[0] : undefined);
  return composeModal({ ...rest, senders: senders.map(senderVM), templates: templateOptions(deps, senders), signature: signaturePreview(deps, userId, from) });
}

/** The reply modal of a conversation; From defaults to the address the conversation came in on. */
export function replyView(
  deps: Pick<ListenerDeps, 'store'>,
  c: Conversation,
  inbox: InboxRuntime,
  o: Pick<ReplyVM, 'initial' | 'bodyRevision'> & { defaultFrom?: FromChoice | null; userId?: string } = {},
): ModalView {
  const contact = c.contactId ? deps.store.contacts.byId(c.contactId) : undefined;
  const received = { inboxId: inbox.inbox.id, index: Math.max(0, inbox.addresses.indexOf(c.ourAddress.toLowerCase())) };
  const chosen = o.defaultFrom?.inboxId === inbox.inbox.id && inbox.addresses[o.defaultFrom.index] ? o.defaultFrom : null;
  return replyModal({
    conversation: { number: c.id, subject: c.subject, contact: { name: contact?.name ?? '', address: contact?.email ?? '' } },
    sender: senderVM(inbox),
    defaultFrom: chosen ?? received,
    templates: templateOptions(deps, [inbox]),
    signature: signaturePreview(deps, o.userId, inbox),
    ...(o.initial ? { initial: o.initial } : {}),
    ...(o.bodyRevision !== undefined ? { bodyRevision: o.bodyRevision } : {}),
  });
}

/** The inbox and address a From option names, when it names one. */
export function fromAddressOf(deps: Pick<ListenerDeps, 'inboxes'>, choice: FromChoice | null): { inbox: InboxRuntime; address: string } | null {
  const inbox = choice ? deps.inboxes.byId(choice.inboxId) : undefined;
  const address = choice && inbox?.addresses[choice.index];
  return inbox && address ? { inbox, address } : null;
}

const BLOCK_OF: Record<Exclude<EmailFormField, 'body'>, string> = {
  from: Fields.from.block,
  to: Fields.to.block,
  toContacts: Fields.toContacts.block,
  cc: Fields.cc.block,
  bcc: Fields.bcc.block,
  subject: Fields.subject.block,
};

/** Form errors keyed by the modal's block ids, for `response_action: 'errors'`. */
export function fieldErrors(errors: EmailFormErrors, bodyBlockId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, text] of Object.entries(errors) as [EmailFormField, string][]) out[field === 'body' ? bodyBlockId : BLOCK_OF[field]] = text;
  return out;
}

/** Files of a file_input as download references; files.info fills in what the payload left out. */
export async function resolveFiles(client: WebClient, files: readonly Record<string, unknown>[]): Promise<SharedFile[]> {
  const out: SharedFile[] = [];
  for (const f of files) {
    const [ref] = fileRefs([f]);
    if (ref) {
      out.push(ref);
      continue;
    }
    const info = await client.files.info({ file: String(f.id) });
    const [fetched] = fileRefs([info.file]);
    if (!fetched) throw new AppError('slack.file_unreadable', `file ${String(f.id)} has no download URL`, `Slack did not give me the file ${String(f.name ?? f.id)}.`);
    out.push(fetched);
  }
  return out;
}

/** A "Send at" in the last minute (the picker has minutes, the teammate took a moment) sends at once. */
const NOW_MS = 60_000;

/** "Send at" and "Remind me if there's no answer in …" as submitted: times ahead, or which field is wrong. */
export function readWhen(values: ViewValues, now: number): { ok: true; sendAt: number | null; remindAfterMs: number | null } | { ok: false; block: string; error: string } {
  const at = dateTimeValue(values, Fields.sendAt);
  if (at !== null && at < now - NOW_MS) return { ok: false, block: Fields.sendAt.block, error: 'That time has passed: pick one ahead, or leave it empty to send now.' };
  if (at !== null && at - now > MAX_DURATION_MS) return { ok: false, block: Fields.sendAt.block, error: 'Pick a time within a year.' };
  const remind = selectedValue(values, Fields.remind);
  return { ok: true, sendAt: at !== null && at > now ? at : null, remindAfterMs: remind ? parseDuration(remind) : null };
}

/** Posts an email written in a modal in its conversation's thread, tagged as ours. */
export function threadPoster(client: WebClient): ThreadPoster {
  return async ({ conversation, threadTs, email, outboxId }) => {
    const message = outgoingEmailView(email);
    const r = await client.chat.postMessage({
      channel: conversation.channelId,
      thread_ts: threadTs,
      text: message.text,
      blocks: message.blocks,
      metadata: { event_type: MetadataEvents.email, event_payload: { conversation_id: conversation.id, outbox_id: outboxId } },
      unfurl_links: false,
      unfurl_media: false,
    });
    return r.ts!;
  };
}

/** Slack gives a modal's trigger 3 s: past this, a placeholder opens first and is filled after. */
const QUICK_MS = 1500;

function loadingModal(callbackId: string, title: string): ModalView {
  return modal({ callbackId, title, close: 'Close', blocks: [notice(':hourglass_flowing_sand: One moment…')], metadata: {} });
}

export function noticeView(callbackId: string, title: string, text: string): ModalView {
  return modal({ callbackId, title, close: 'Close', blocks: [notice(text)], metadata: {} });
}

/**
 * Opens the modal `build` makes, in time for the trigger even when building is slow (membership
 * lookups): a placeholder is opened first and updated. `build` may instead return a refusal,
 * which `refuse` tells privately (or which replaces the placeholder). Says which view opened, if
 * any, and whether it was a refusal.
 */
export async function openWhenReady(
  client: WebClient,
  o: {
    triggerId: string;
    callbackId: string;
    title: string;
    build: () => Promise<{ view: ModalView } | { refusal: string }>;
    refuse: (text: string) => Promise<void>;
    log: ListenerDeps['logger'];
  },
): Promise<{ viewId: string | null; refused: boolean }> {
  const built = o.build();
  const quick = await Promise.race([built, new Promise<null>((r) => setTimeout(() => r(null), QUICK_MS).unref())]);
  try {
    if (quick) {
      if ('refusal' in quick) {
        await o.refuse(quick.refusal);
        return { viewId: null, refused: true };
      }
      return { viewId: (await client.views.open({ trigger_id: o.triggerId, view: quick.view })).view?.id ?? null, refused: false };
    }
    const opened = await client.views.open({ trigger_id: o.triggerId, view: loadingModal(o.callbackId, o.title) });
    const result = await built;
    const view = 'refusal' in result ? noticeView(o.callbackId, o.title, result.refusal) : result.view;
    await client.views.update({ view_id: opened.view!.id!, view });
    return { viewId: opened.view?.id ?? null, refused: 'refusal' in result };
  } catch (err) {
    o.log.warn({ err: describeError(err), view: o.callbackId }, 'could not open a modal');
    return { viewId: null, refused: false };
  }
}
