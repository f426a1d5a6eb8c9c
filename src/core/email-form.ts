// What a teammate typed in the compose and reply modals, checked before anything is stored: every
// address readable, none of them ours, somebody to write to, a subject, something to say. Pure;
// errors are keyed by field so the listener can put each one under its input.
import type { Address } from './types.ts';
import { cleanHeaderText, parseAddressList } from './addresses.ts';
import { addressKey, isOwnAddress } from './loop-guard.ts';

export type EmailFormField = 'from' | 'to' | 'toContacts' | 'cc' | 'bcc' | 'subject' | 'body';
export type EmailFormErrors = Partial<Record<EmailFormField, string>>;

export interface EmailFormInput {
  /** The From chosen, already resolved to an address of an inbox the user may send from; null if not. */
  fromAddress: string | null;
  to: string;
  /** Contacts picked in the compose modal's To picker. */
  toContacts?: readonly Address[];
  cc: string;
  bcc: string;
  /** Compose only: null for the reply modal (the subject is the conversation's). */
  subject: string | null;
  body: string;
  fileCount: number;
  /** Every address of every inbox: Mailroom never writes to itself. */
  ourAddresses: readonly string[];
  /** The reply modal: the customer is a recipient already, so To may stay empty. */
  recipientsImplied?: boolean;
}

export interface EmailForm {
  fromAddress: string;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  subject: string;
  body: string;
}

/** Above this many people an email from a shared inbox is more likely a mistake than a need. */
export const MAX_RECIPIENTS = 50;
const SHOWN_INVALID = 3;

export function validateEmailForm(input: EmailFormInput): { ok: true; form: EmailForm } | { ok: false; errors: EmailFormErrors } {
  const errors: EmailFormErrors = {};
  if (!input.fromAddress) errors.from = 'Choose an address of an inbox you are a member of.';

  const lists = {} as Record<'to' | 'cc' | 'bcc', Address[]>;
  for (const field of ['to', 'cc', 'bcc'] as const) {
    const parsed = parseAddressList(input[field]);
    if (!parsed.ok) {
      const shown = parsed.invalid.slice(0, SHOWN_INVALID).map((p) => `"${p.slice(0, 80)}"`).join(', ');
      const more = parsed.invalid.length > SHOWN_INVALID ? ` and ${parsed.invalid.length - SHOWN_INVALID} more` : '';
      errors[field] = `Not an email address: ${shown}${more}. Separate addresses with commas.`;
      continue;
    }
    const ours = parsed.addresses.filter((a) => isOwnAddress(a.address, input.ourAddresses));
    if (ours.length > 0) {
      errors[field] = `${ours.map((a) => a.address).join(', ')} ${ours.length === 1 ? 'is' : 'are'} our own address: Mailroom never emails itself.`;
      continue;
    }
    lists[field] = parsed.addresses;
  }
  const picked = input.toContacts ?? [];
  const pickedOurs = picked.filter((a) => isOwnAddress(a.address, input.ourAddresses));
  if (pickedOurs.length > 0) errors.toContacts = `${pickedOurs.map((a) => a.address).join(', ')} is our own address: Mailroom never emails itself.`;

  const to = dedupe([...(lists.to ?? []), ...picked], []);
  const cc = dedupe(lists.cc ?? [], to);
  const bcc = dedupe(lists.bcc ?? [], [...to, ...cc]);
  if (!errors.to && !errors.toContacts && to.length === 0 && !input.recipientsImplied) {
    errors.to = picked.length === 0 && (lists.cc?.length || lists.bcc?.length) ? 'Put at least one address in To.' : 'Add at least one recipient.';
  }
  if (to.length + cc.length + bcc.length > MAX_RECIPIENTS) errors.to = `At most ${MAX_RECIPIENTS} recipients in all.`;

  const subject = input.subject === null ? '' : cleanHeaderText(input.subject);
  if (input.subject !== null && !subject) errors.subject = 'Write a subject.';
  const body = input.body.replace(/\s+$/, '');
  if (!body.trim() && input.fileCount === 0) errors.body = 'Write a message (or attach a file).';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, form: { fromAddress: input.fromAddress!, to, cc, bcc, subject, body } };
}

/** Drops repeats within the list and addresses already in `taken`, keeping the first spelling. */
function dedupe(list: readonly Address[], taken: readonly Address[]): Address[] {
  const seen = new Set(taken.map((a) => addressKey(a.address)));
  const out: Address[] = [];
  for (const a of list) {
    const key = addressKey(a.address);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name: cleanHeaderText(a.name), address: a.address });
  }
  return out;
}
