// `/mailroom search` text → what to look for. Pure. Words are matched in subjects, senders, email
// text and notes (all of them must be there, in any order; `invo*` for a prefix; "in quotes" for
// a phrase); the filters narrow it down:
//   from:ana@acme.com  from:acme.com  tag:billing  status:open|pending|closed|snoozed|waiting
//   assignee:me  assignee:@ana  assignee:none  is:overdue  before:2026-03-01  after:2026-01-31
// An unknown `word:` is just a word. What can't be read is said, not guessed.

export const SEARCH_STATUSES = ['open', 'pending', 'closed', 'snoozed', 'waiting'] as const;
export type SearchStatus = (typeof SEARCH_STATUSES)[number];

export type AssigneeFilter = { me: true } | { userId: string } | { name: string } | { none: true };

export interface SearchQuery {
  /** Words and phrases, as typed (lower-cased), without the filters. */
  terms: { text: string; prefix: boolean; phrase: boolean }[];
  from: string[];
  tags: string[];
  status: SearchStatus | null;
  assignee: AssigneeFilter | null;
  overdue: boolean;
  /** Conversations started before / on or after (ms, UTC midnight). */
  before: number | null;
  after: number | null;
  problems: string[];
}

const FILTERS = new Set(['from', 'tag', 'status', 'assignee', 'is', 'before', 'after']);

/** Splits on spaces, keeping "quoted phrases" (and `key:"quoted value"`) together. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /(\S*?)"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[3] ?? `${m[1]}"${m[2]}"`);
  return out;
}

/** `2026-03-01` (UTC) → ms; null when it is no date. */
export function readDate(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? ms : null;
}

const unquote = (s: string) => s.replace(/^"|"$/g, '');

export function parseSearch(text: string): SearchQuery {
  const q: SearchQuery = { terms: [], from: [], tags: [], status: null, assignee: null, overdue: false, before: null, after: null, problems: [] };
  for (const token of tokenize(text.trim())) {
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? unquote(token.slice(colon + 1)).trim() : '';
    if (!FILTERS.has(key)) {
      const phrase = token.startsWith('"');
      const word = unquote(token).toLowerCase();
      const prefix = !phrase && word.endsWith('*') && word.length > 1;
      const bare = prefix ? word.slice(0, -1) : word;
      if (bare.replace(/[^\p{L}\p{N}]/gu, '')) q.terms.push({ text: bare, prefix, phrase });
      continue;
    }
    if (!value) {
      q.problems.push(`\`${key}:\` needs a value`);
      continue;
    }
    switch (key) {
      case 'from':
        q.from.push(value.toLowerCase().replace(/^@/, ''));
        break;
      case 'tag':
        q.tags.push(value.toLowerCase().replace(/^#/, ''));
        break;
      case 'status': {
        const s = value.toLowerCase();
        if ((SEARCH_STATUSES as readonly string[]).includes(s)) q.status = s as SearchStatus;
        else q.problems.push(`\`status:${value}\` is not a status (${SEARCH_STATUSES.join(', ')})`);
        break;
      }
      case 'assignee': {
        const v = value.toLowerCase();
        const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value);
        if (v === 'me') q.assignee = { me: true };
        else if (v === 'none' || v === 'nobody') q.assignee = { none: true };
        else if (mention) q.assignee = { userId: mention[1]! };
        else if (/^[UW][A-Z0-9]{2,}$/.test(value)) q.assignee = { userId: value };
        else q.assignee = { name: v.replace(/^@/, '') };
        break;
      }
      case 'is':
        if (value.toLowerCase() === 'overdue') q.overdue = true;
        else q.problems.push(`\`is:${value}\` is not something I can look for (is:overdue)`);
        break;
      case 'before':
      case 'after': {
        const at = readDate(value);
        if (at === null) q.problems.push(`\`${key}:${value}\` is not a date like 2026-03-01`);
        else if (key === 'before') q.before = at;
        else q.after = at + 86_400_000;
        break;
      }
    }
  }
  return q;
}

/** Nothing to look for at all (not even a filter). */
export function isEmptySearch(q: SearchQuery): boolean {
  return !q.terms.length && !q.from.length && !q.tags.length && !q.status && !q.assignee && !q.overdue && q.before === null && q.after === null;
}

/**
 * The FTS5 MATCH expression for the words and `from:`: every term quoted (so nothing typed is
 * FTS5 syntax), prefixes with `*`, `from:` as a phrase in the senders column. Null when there
 * are no words.
 */
export function ftsMatch(q: Pick<SearchQuery, 'terms' | 'from'>): string | null {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const parts = q.terms.map((t) => (t.prefix ? `${quote(t.text)}*` : quote(t.text)));
  for (const f of q.from) parts.push(`senders : ${quote(f)}`);
  return parts.length ? parts.join(' AND ') : null;
}

/** The query as typed back, for the results' header and the "more" button. */
export function describeSearch(q: SearchQuery): string {
  const parts = q.terms.map((t) => (t.phrase ? `"${t.text}"` : t.prefix ? `${t.text}*` : t.text));
  for (const f of q.from) parts.push(`from:${f}`);
  for (const t of q.tags) parts.push(`tag:${t}`);
  if (q.status) parts.push(`status:${q.status}`);
  if (q.assignee) parts.push(`assignee:${'me' in q.assignee ? 'me' : 'none' in q.assignee ? 'none' : 'userId' in q.assignee ? q.assignee.userId : `@${q.assignee.name}`}`);
  if (q.overdue) parts.push('is:overdue');
  if (q.before !== null) parts.push(`before:${new Date(q.before).toISOString().slice(0, 10)}`);
  if (q.after !== null) parts.push(`after:${new Date(q.after - 86_400_000).toISOString().slice(0, 10)}`);
  return parts.join(' ');
}
