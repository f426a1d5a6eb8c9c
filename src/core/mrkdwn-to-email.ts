// Slack mrkdwn, as stored in a message's `text`, → the text and HTML parts of an email.
// Slack escapes only & < > in stored text and builds every link, mention and broadcast from
// `<…>`, so: first cut out the atoms (`code`, <…> tokens, known :emoji:), then find *bold*,
// _italic_ and ~strike~ between them, then render (mrkdwn-render.ts).

import { emojiByName } from './emoji.ts';
import { blockHtml, blockText, wrapHtml, type Block, type Inline, type ListItem, type Renderers } from './mrkdwn-render.ts';

export interface MrkdwnOptions {
  /** Slack user id → display name, for `<@U123>` mentions. */
  users: Readonly<Record<string, string>>;
  /** The HTML without its document around it (a piece to put into another email, like a signature). */
  fragment?: boolean;
}

export interface EmailBody {
  text: string;
  html: string;
}

export function mrkdwnToEmail(input: string, options: MrkdwnOptions): EmailBody {
  // Control characters have no place in an email body and would collide with our placeholders.
  const clean = input.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
  const blocks = parseBlocks(clean);
  const render: Renderers = {
    inline: (s) => parseInline(s, options),
    // Inside code, links and mentions read as their text, as Slack shows them.
    plain: (s) => plainText(s, options),
  };
  const text = blocks.map((b) => blockText(b, render)).join('\n\n');
  const html = blocks.map((b) => blockHtml(b, render)).join('\n');
  return { text: text.length > 0 ? `${text}\n` : '', html: options.fragment ? html : wrapHtml(html) };
}

// ---------- blocks ----------

const QUOTE_RE = /^(?:&gt;|>)(?:&gt;&gt;|>>)? ?/;
const LIST_RE = /^([ \t]*)(?:([•◦▪▫‣⁃·*-])|(\d{1,9})[.)])[ \t]+(\S.*)$/;
const BULLET_LEVEL: Record<string, number> = { '◦': 1, '▪': 2, '▫': 2 };

function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const parts = text.split(/```/);
  // Odd parts are inside ``` fences; an unclosed fence is just text.
  if (parts.length % 2 === 0) parts.splice(-2, 2, parts.slice(-2).join('```'));
  parts.forEach((part, i) => {
    if (i % 2 === 0) blocks.push(...parseProse(part));
    else {
      const value = part.replace(/^\n/, '').replace(/\n$/, '');
      if (value.trim()) blocks.push({ kind: 'code', value });
    }
  });
  return blocks;
}

function parseProse(text: string): Block[] {
  const blocks: Block[] = [];
  let quoteRest = false; // ">>>" quotes everything after it
  const last = () => blocks[blocks.length - 1];
  for (const line of text.split('\n')) {
    const quoted = quoteRest || QUOTE_RE.test(line);
    if (/^(?:&gt;&gt;&gt;|>>>)/.test(line)) quoteRest = true;
    const content = quoted ? line.replace(QUOTE_RE, '') : line;
    const prev = last();
    if (quoted) {
      if (prev?.kind === 'quote') prev.lines.push(content);
      else blocks.push({ kind: 'quote', lines: [content] });
      continue;
    }
    const item = LIST_RE.exec(line);
    if (item) {
      const indent = (item[1] as string).replace(/\t/g, '    ').length;
      const bullet = item[2];
      const listItem: ListItem = {
        level: Math.min(5, Math.max(Math.floor(indent / 4), bullet ? (BULLET_LEVEL[bullet] ?? 0) : 0)),
        ordered: !bullet,
        number: bullet ? 0 : Number(item[3]),
        text: item[4] as string,
      };
      if (prev?.kind === 'list') prev.items.push(listItem);
      else blocks.push({ kind: 'list', items: [listItem] });
      continue;
    }
    if (line.trim() === '') {
      blocks.push({ kind: 'para', lines: [] }); // a break; empty paragraphs are dropped below
      continue;
    }
    if (prev?.kind === 'para' && prev.lines.length > 0) prev.lines.push(line);
    else blocks.push({ kind: 'para', lines: [line] });
  }
  return blocks.filter((b) => b.kind !== 'para' || b.lines.length > 0);
}

// ---------- inline ----------

const ATOM_RE = /`([^`\n]+)`|<([^<>\n]+)>|:([a-z0-9_+'-]+):(?::skin-tone-([2-6]):)?/g;

function parseInline(source: string, options: MrkdwnOptions): Inline[] {
  const atoms: Inline[] = [];
  // Placeholders use \u0000/\u0001, which parse() stripped from the input.
  const marked = source.replace(ATOM_RE, (whole, code?: string, angle?: string, emoji?: string, tone?: string) => {
    let atom: Inline | null;
    if (code !== undefined) atom = { kind: 'code', value: plainText(code, options) };
    else if (angle !== undefined) atom = angleToken(angle, options);
    else {
      const value = emojiByName(emoji as string, tone);
      atom = value === null ? null : { kind: 'name', value };
    }
    if (!atom) return whole;
    atoms.push(atom);
    return `\u0000${atoms.length - 1}\u0001`;
  });
  return parseMarks(marked, atoms);
}

function angleToken(inner: string, options: MrkdwnOptions): Inline | null {
  const [target = '', ...rest] = inner.split('|');
  const label = rest.length > 0 ? decodeEntities(rest.join('|')) : null;
  if (/^[@#!]/.test(target)) return { kind: 'name', value: angleText(inner, options) };
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(target)) return { kind: 'link', url: decodeEntities(target), label };
  return null; // not Slack syntax (e.g. a raw "<b>"): left as text
}

/** Text with its `<…>` tokens read as text and entities decoded (for code). */
function plainText(s: string, options: MrkdwnOptions): string {
  return decodeEntities(s.replace(/<([^<>\n]+)>/g, (_, a: string) => angleText(a, options)));
}

/** How a `<…>` token reads as plain text. */
function angleText(inner: string, options: MrkdwnOptions): string {
  const [target = '', ...rest] = inner.split('|');
  const label = rest.length > 0 ? decodeEntities(rest.join('|')) : null;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `@${options.users[id] ?? label ?? id}`;
  }
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
  if (target.startsWith('!')) {
    const [word = ''] = target.slice(1).split('^');
    if (label !== null && word !== 'here' && word !== 'channel' && word !== 'everyone') return label;
    return `@${word}`;
  }
  return label ?? decodeEntities(target.replace(/^mailto:/i, ''));
}

const MARKS: Record<string, 'bold' | 'italic' | 'strike'> = { '*': 'bold', _: 'italic', '~': 'strike' };
const isBoundary = (ch: string | undefined) => ch === undefined || !/[\p{L}\p{N}]/u.test(ch);
const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);

/** *bold*, _italic_, ~strike~: a marker opens after a non-word character and closes before one. */
function parseMarks(s: string, atoms: Inline[]): Inline[] {
  const out: Inline[] = [];
  const exhausted = new Set<string>(); // markers with no closer left: never search again (keeps it linear)
  let textStart = 0;
  let i = 0;
  while (i < s.length) {
    const ch = s[i] as string;
    const kind = MARKS[ch];
    if (kind && !exhausted.has(ch) && isBoundary(s[i - 1]) && !isSpace(s[i + 1]) && s[i + 1] !== ch) {
      const close = findCloser(s, ch, i + 2);
      if (close < 0) exhausted.add(ch);
      else {
        pushText(out, s.slice(textStart, i), atoms);
        out.push({ kind, children: parseMarks(s.slice(i + 1, close), atoms) });
        i = close + 1;
        textStart = i;
        continue;
      }
    }
    i++;
  }
  pushText(out, s.slice(textStart), atoms);
  return out;
}

function findCloser(s: string, ch: string, from: number): number {
  for (let j = from; j < s.length; j++) {
    if (s[j] === '\n') return -1;
    if (s[j] === ch && !isSpace(s[j - 1]) && isBoundary(s[j + 1])) return j;
  }
  return -1;
}

function pushText(out: Inline[], s: string, atoms: Inline[]): void {
  for (const piece of s.split(/(\u0000\d+\u0001)/)) {
    const atom = /^\u0000(\d+)\u0001$/.exec(piece);
    if (atom) out.push(atoms[Number(atom[1])] as Inline);
    else if (piece) out.push({ kind: 'text', value: decodeEntities(piece) });
  }
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt);/g, (_, e: string) => (e === 'amp' ? '&' : e === 'lt' ? '<' : '>'));
}

