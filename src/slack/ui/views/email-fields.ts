// Inputs shared by the compose and reply modals: From, template, body, files, Send at, reminder,
// the signature.
import type { Checkboxes, InputBlock, KnownBlock, PlainTextOption, StaticSelect } from '@slack/types';
import { bodyBlockId, Fields } from '../ids.ts';
import { Limits, option, plain, truncate } from '../blocks/text.ts';
import { fileInput, input, selectInput, textInput } from './common.ts';

/** An inbox whose addresses a teammate may send from; `addresses[0]` is its main address. */
export interface SenderInboxVM {
  inboxId: number;
  inboxName: string;
  addresses: readonly string[];
}

export interface FromChoice {
  inboxId: number;
  /** Index into the inbox's `addresses`. */
  index: number;
}

export interface TemplateOptionVM {
  id: number;
  name: string;
}

/** Option values stay short (Slack allows 75) whatever the address: `inboxId:index`. */
export function fromValue(c: FromChoice): string {
  return `${c.inboxId}:${c.index}`;
}

export function parseFromValue(value: string | null | undefined): FromChoice | null {
  const m = /^(\d{1,12}):(\d{1,4})$/.exec(value ?? '');
  return m ? { inboxId: Number(m[1]), index: Number(m[2]) } : null;
}

/** From select: one group per inbox when there are several; at most 100 options in all. */
export function fromSelect(senders: readonly SenderInboxVM[], initial?: FromChoice | null): InputBlock {
  let budget = Limits.staticSelectOptions;
  const groups: { label: string; options: PlainTextOption[] }[] = [];
  for (const s of senders) {
    const options = s.addresses.slice(0, budget).map((a, index) => option(a, fromValue({ inboxId: s.inboxId, index })));
    budget -= options.length;
    if (options.length > 0) groups.push({ label: s.inboxName, options });
  }
  const all = groups.flatMap((g) => g.options);
  const fallback = all[0];
  const chosen = (initial && all.find((o) => o.value === fromValue(initial))) ?? fallback;
  const element: StaticSelect = { type: 'static_select', placeholder: plain('Send from…', Limits.placeholder) };
  if (groups.length > 1) {
    element.option_groups = groups.map((g) => ({ label: plain(g.label, Limits.optionText), options: g.options }));
  } else {
    element.options = all;
  }
  if (chosen) element.initial_option = chosen;
  return input(Fields.from, element, { label: 'From' });
}

/** Choosing a template dispatches an action; the app re-renders the modal with the body filled. */
export function templateSelect(templates: readonly TemplateOptionVM[]): InputBlock | null {
  if (templates.length === 0) return null;
  const options = templates.slice(0, Limits.staticSelectOptions).map((t) => option(t.name, String(t.id)));
  return selectInput(Fields.template, options, {
    label: 'Insert a template',
    optional: true,
    dispatch: true,
    placeholder: 'Choose a template…',
  });
}

export function bodyInput(o: { initial?: string | null; revision?: number; label?: string }): InputBlock {
  return textInput(Fields.body, {
    label: o.label ?? 'Message',
    blockId: bodyBlockId(o.revision ?? 0),
    multiline: true,
    initial: o.initial ?? null,
    placeholder: 'Write your email…',
    hint: 'Slack formatting (*bold*, _italic_, lists, links) becomes a formatted email.',
  });
}

/**
 * The signature this email will get (the sender's, then the inbox's, as written: the names are
 * filled in when it is sent) and a way to leave it off once. Nothing when there is none.
 */
export function signatureBlocks(preview: string | null | undefined): KnownBlock[] {
  if (!preview?.trim()) return [];
  const off: PlainTextOption = { text: { type: 'plain_text', text: 'Leave the signature off this email', emoji: true }, value: 'off' };
  const element: Checkboxes = { type: 'checkboxes', options: [off] };
  return [
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`*Signature*\n${preview.trim()}`, 2000), verbatim: true }] },
    input(Fields.noSignature, element, { label: 'Signature', optional: true }),
  ];
}

export function filesInput(): InputBlock {
  return fileInput(Fields.files, { label: 'Attach files', optional: true, maxFiles: 10 });
}

export function addressInput(field: typeof Fields.to | typeof Fields.cc | typeof Fields.bcc, o: { label: string; initial?: string | null; optional?: boolean; hint?: string }): InputBlock {
  return textInput(field, {
    label: o.label,
    optional: o.optional ?? true,
    initial: o.initial ?? null,
    placeholder: 'jane@example.com, Bob <bob@example.com>',
    maxLength: 2000,
    ...(o.hint ? { hint: o.hint } : {}),
  });
}

/** The To contact picker: type-ahead over known contacts (the app serves the options). */
export function contactPicker(): InputBlock {
  return input(
    Fields.toContacts,
    { type: 'multi_external_select', min_query_length: 1, max_selected_items: 20, placeholder: plain('Search contacts by name or address', Limits.placeholder) },
    { label: 'To (contacts)', optional: true, hint: 'Pick known contacts here, or type addresses above.' },
  );
}

export interface ContactOptionVM {
  id: number;
  name: string;
  email: string;
}

/** A contact for the To picker: `Jane Doe <jane@example.com>`; value is the contact id. */
export function contactOption(c: ContactOptionVM): PlainTextOption {
  const label = c.name.trim() && c.name.trim().toLowerCase() !== c.email.toLowerCase() ? `${c.name.trim()} <${c.email}>` : c.email;
  return option(label, String(c.id));
}

export function contactOptions(list: readonly ContactOptionVM[]): { options: PlainTextOption[] } {
  return { options: list.slice(0, Limits.staticSelectOptions).map(contactOption) };
}

/** "Send at": a date and time to send it then (empty: now). Slack shows it in the teammate's time zone. */
export function sendAtInput(): InputBlock {
  return input(Fields.sendAt, { type: 'datetimepicker' }, { label: 'Send at', optional: true, hint: 'Leave it empty to send now; until then the thread shows it with a Cancel button.' });
}

/** Follow-up reminder choices (values are durations). */
export const REMIND_CHOICES = [
  ['1 day', '1d'],
  ['2 days', '2d'],
  ['3 days', '3d'],
  ['1 week', '1w'],
] as const;

/** "Remind me if there's no answer in …". */
export function remindInput(): InputBlock {
  return selectInput(Fields.remind, REMIND_CHOICES.map(([label, value]) => option(label, value)), { label: "Remind me if there's no answer in…", optional: true, placeholder: 'No reminder' });
}
