// Templates and snippets: text with variables such as `{{first_name}}` or
// `{{conversation_number}}`, filled in when a teammate inserts the template and again when the
// email is sent. Pure. A value that is missing gets a sensible fallback (`Hi {{first_name}}` →
// "Hi there"), or one the template gives itself: `{{first_name|friend}}`. Unknown variables are
// left exactly as typed, so a typo shows instead of vanishing.

export const TEMPLATE_VARIABLES = [
  'first_name',
  'last_name',
  'full_name',
  'email',
  'conversation_number',
  'subject',
  'inbox_name',
  'teammate_name',
  'teammate_first_name',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** How the variables are written, for hints in the templates modals. */
export const TEMPLATE_VARIABLE_HINTS: readonly string[] = TEMPLATE_VARIABLES.map((v) => `{{${v}}}`);

export interface TemplateContext {
  /** The customer: the conversation's contact, or the first recipient of a new email. */
  contact?: { name?: string | null; email?: string | null } | null;
  conversationNumber?: number | null;
  subject?: string | null;
  inboxName?: string | null;
  /** The teammate writing. */
  teammateName?: string | null;
}

export interface RenderOptions {
  /**
   * 'fallback' (default): a missing value becomes its fallback. 'keep': the placeholder stays, to
   * be filled when the value is known (a new email's number exists only once it is sent).
   */
  missing?: 'fallback' | 'keep';
}

const FALLBACKS: Record<TemplateVariable, (v: Partial<Record<TemplateVariable, string>>) => string> = {
  first_name: () => 'there',
  last_name: () => '',
  full_name: (v) => v.email ?? 'there',
  email: () => '',
  conversation_number: () => '',
  subject: () => '',
  inbox_name: () => 'our team',
  teammate_name: (v) => v.inbox_name ?? 'The team',
  teammate_first_name: (v) => v.inbox_name ?? 'The team',
};

// `{{ name }}` or `{{ name | fallback }}`; the fallback may not contain braces or line breaks.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|([^{}\r\n]*))?\}\}/g;

function isVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

/** The known values, trimmed; absent when empty. */
export function templateValues(ctx: TemplateContext): Partial<Record<TemplateVariable, string>> {
  const out: Partial<Record<TemplateVariable, string>> = {};
  const set = (k: TemplateVariable, v: string | null | undefined) => {
    const t = v?.replace(/\s+/g, ' ').trim();
    if (t) out[k] = t;
  };
  const name = splitPersonName(ctx.contact?.name ?? '');
  set('first_name', name.first);
  set('last_name', name.last);
  set('full_name', name.full);
  set('email', ctx.contact?.email);
  if (ctx.conversationNumber && ctx.conversationNumber > 0) set('conversation_number', String(ctx.conversationNumber));
  set('subject', ctx.subject);
  set('inbox_name', ctx.inboxName);
  const teammate = splitPersonName(ctx.teammateName ?? '');
  set('teammate_name', teammate.full);
  set('teammate_first_name', teammate.first);
  return out;
}

export function renderTemplate(body: string, ctx: TemplateContext, options: RenderOptions = {}): string {
  const values = templateValues(ctx);
  const keep = options.missing === 'keep';
  return body.replace(PLACEHOLDER, (whole, rawName: string, fallback: string | undefined) => {
    const name = rawName.toLowerCase();
    if (!isVariable(name)) return whole;
    const value = values[name];
    if (value !== undefined) return value;
    if (keep) return whole;
    return fallback !== undefined ? fallback.trim() : FALLBACKS[name](values);
  });
}

/** Variables used in a text that are not ones we know (shown as a warning when saving). */
export function unknownVariables(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(PLACEHOLDER)) if (!isVariable(m[1]!.toLowerCase())) out.add(m[1]!);
  return [...out];
}

const HONORIFICS = /^(?:mr|mrs|ms|mx|miss|dr|prof|sr|sra|herr|frau|mme|mlle|m)\.?$/i;

/**
 * "Carla Cliente" → Carla / Cliente; "Cliente, Carla" → Carla / Cliente; "Dr. Jane Doe" → Jane /
 * Doe. Something that is an address, or no name at all, gives nothing: "Hi support@x.com" reads
 * worse than the fallback.
 */
export function splitPersonName(raw: string): { first: string; last: string; full: string } {
  const none = { first: '', last: '', full: '' };
  const name = raw
    .replace(/^["'\s]+|["'\s]+$/g, '')
    .replace(/\s*\([^)]*\)\s*$/, '') // "Ana Lima (Acme)": the part in brackets is not her name
    .replace(/\s+/g, ' ')
    .trim();
  if (!name || name.includes('@') || !/\p{L}/u.test(name)) return none;
  const comma = /^([^,]+),\s*([^,]+)$/.exec(name);
  if (comma) {
    const last = comma[1]!.trim();
    const first = comma[2]!.trim().split(' ')[0]!;
    return { first, last, full: `${comma[2]!.trim()} ${last}` };
  }
  const words = name.split(' ');
  while (words.length > 1 && HONORIFICS.test(words[0]!)) words.shift();
  return { first: words[0]!, last: words.length > 1 ? words[words.length - 1]! : '', full: name };
}

/** The longest template name (the modal's field says so too). */
export const TEMPLATE_NAME_MAX = 75;
