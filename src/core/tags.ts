// Tags on conversations: free words, normalised so that "Billing", "billing" and " billing " are
// one tag. Pure. A tag is lower case a-z, 0-9 and '-', at most 30 characters; accents are dropped
// ("Facturación" → "facturacion"), spaces and other separators inside become '-'. An inbox may
// limit its tags to a fixed list (`tags:` in the YAML); a tag outside it is refused by name.

export const MAX_TAG_LENGTH = 30;
/** More than this on one conversation is a list, not a tag. */
export const MAX_TAGS_PER_CONVERSATION = 20;

/** The tag a word stands for, or null when nothing of it is left (e.g. "!!!", "🙂"). */
export function normaliseTag(word: string): string | null {
  const t = word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/^#+/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_TAG_LENGTH)
    .replace(/-+$/, '');
  return t || null;
}

export interface ParsedTags {
  /** Normalised, without duplicates, in the order given. */
  tags: string[];
  /** Words that give no tag at all. */
  invalid: string[];
}

/** Tags typed as text: separated by spaces or commas (`billing, urgent vip`). */
export function parseTags(text: string): ParsedTags {
  return normaliseTags(text.split(/[\s,]+/).filter(Boolean));
}

export function normaliseTags(words: readonly string[]): ParsedTags {
  const tags: string[] = [];
  const invalid: string[] = [];
  for (const w of words) {
    const t = normaliseTag(w);
    if (!t) invalid.push(w);
    else if (!tags.includes(t)) tags.push(t);
  }
  return { tags, invalid };
}

/** Tags outside an inbox's fixed list (none when the inbox has no list). */
export function outsideVocabulary(tags: readonly string[], allowed: readonly string[] | null | undefined): string[] {
  if (!allowed) return [];
  return tags.filter((t) => !allowed.includes(t));
}

/** The words of a refusal for tags outside the list: names them and the list. */
export function vocabularyRefusal(outside: readonly string[], allowed: readonly string[], inboxName: string): string {
  const which = outside.map((t) => `\`${t}\``).join(', ');
  const list = allowed.length ? allowed.map((t) => `\`${t}\``).join(', ') : '(none)';
  return `${outside.length === 1 ? `${which} is not a tag` : `${which} are not tags`} of the *${inboxName}* inbox. Its tags are: ${list}.`;
}

/** The tag set after adding and removing (added first-come order kept, no duplicates). */
export function applyTagChange(current: readonly string[], add: readonly string[], remove: readonly string[]): { tags: string[]; added: string[]; removed: string[] } {
  const tags = current.filter((t) => !remove.includes(t));
  const removed = current.filter((t) => remove.includes(t));
  const added: string[] = [];
  for (const t of add) {
    if (!tags.includes(t)) {
      tags.push(t);
      added.push(t);
    }
  }
  return { tags, added, removed };
}
