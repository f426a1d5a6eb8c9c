// Slack mrkdwn, as stored in a message's `text`, → the text and HTML parts of an email.
// Slack escapes only & < > in stored text and builds every link, mention and broadcast from
// `<…>`, so: first cut out the atoms (`code`, <…> tokens, known :emoji:), then find *bold*,
// _italic_ and ~strike~ between them, then render. Everything from the message is HTML-escaped;
// only links with a safe scheme become <a href>.

import { createRequire } from 'node:module';

export interface MrkdwnOptions {
  /** Slack user id → display name, for `<@U123>` mentions. */
  users: Readonly<Record<string, string>>;
}

export interface EmailBody {
  text: string;
  html: string;
}

type Inline =
  | { kind: 'text'; value: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: Inline[] }
  | { kind: 'code'; value: string }
  | { kind: 'link'; url: string; label: string | null }
  | { kind: 'name'; value: string }; // mentions, channels, broadcasts, emoji: shown as plain text

type Block =
  | { kind: 'para'; lines: string[] }
  | { kind: 'code'; value: string }
  | { kind: 'quote'; lines: string[] }
  | { kind: 'list'; items: ListItem[] };

interface ListItem {
  level: number;
  ordered: boolean;
  number: number;
  text: string;
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
  return { text: text.length > 0 ? `${text}\n` : '', html: wrapHtml(html) };
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
const SAFE_SCHEMES = /^(?:https?|mailto|tel):/i;

function parseInline(source: string, options: MrkdwnOptions): Inline[] {
  const atoms: Inline[] = [];
  // Placeholders use \u0000/\u0001, which parse() stripped from the input.
  const marked = source.replace(ATOM_RE, (whole, code?: string, angle?: string, emoji?: string, tone?: string) => {
    let atom: Inline | null;
    if (code !== undefined) atom = { kind: 'code', value: plainText(code, options) };
    else if (angle !== undefined) atom = angleToken(angle, options);
    else atom = emojiAtom(emoji as string, tone);
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

// ---------- emoji ----------

interface EmojiTable {
  byName: Map<string, { unicode: string; skins: string[] }>;
}
let emojiTable: EmojiTable | null = null;

function emojiAtom(name: string, tone: string | undefined): Inline | null {
  const entry = loadEmoji().byName.get(name);
  if (!entry) return null;
  const skin = tone ? entry.skins[Number(tone) - 2] : undefined;
  return { kind: 'name', value: skin ?? entry.unicode };
}

/** Slack's shortcodes are iamcal's; GitHub's fill the gaps. Loaded once, on first use. */
function loadEmoji(): EmojiTable {
  if (emojiTable) return emojiTable;
  const require = createRequire(import.meta.url);
  type Compact = { hexcode: string; unicode: string; skins?: { hexcode: string; unicode: string }[] };
  const compact = require('emojibase-data/en/compact.json') as Compact[];
  const byHex = new Map<string, { unicode: string; skins: string[] }>();
  for (const e of compact) {
    // Slack's skin-tone-2…6 are the modifiers U+1F3FB…U+1F3FF; two-person emoji (two tones) are skipped.
    const skins: string[] = [];
    for (const skin of e.skins ?? []) {
      const tones = skin.hexcode.match(/1F3F[B-F]/g) ?? [];
      if (tones.length === 1) skins[parseInt((tones[0] as string).slice(-1), 16) - 0xb] = skin.unicode;
    }
    byHex.set(e.hexcode, { unicode: e.unicode, skins });
  }
  const byName = new Map<string, { unicode: string; skins: string[] }>();
  for (const set of ['iamcal', 'github']) {
    const shortcodes = require(`emojibase-data/en/shortcodes/${set}.json`) as Record<string, string | string[]>;
    for (const [hex, names] of Object.entries(shortcodes)) {
      const entry = byHex.get(hex);
      if (!entry) continue;
      for (const name of ([] as string[]).concat(names)) if (!byName.has(name)) byName.set(name, entry);
    }
  }
  emojiTable = { byName };
  return emojiTable;
}

// ---------- rendering ----------

function inlineText(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
        case 'name':
          return n.value;
        case 'code':
          return `\`${n.value}\``;
        case 'bold':
          return `*${inlineText(n.children)}*`;
        case 'italic':
          return `_${inlineText(n.children)}_`;
        case 'strike':
          return `~${inlineText(n.children)}~`;
        case 'link': {
          const shown = n.url.replace(/^mailto:/i, '');
          if (n.label === null || sameLink(n.label, n.url)) return shown;
          return SAFE_SCHEMES.test(n.url) ? `${n.label} (${shown})` : n.label;
        }
      }
    })
    .join('');
}

function sameLink(label: string, url: string): boolean {
  const bare = (s: string) => s.replace(/^(?:https?:\/\/|mailto:)/i, '').replace(/\/$/, '').toLowerCase();
  return bare(label) === bare(url);
}

function inlineHtml(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
        case 'name':
          return escapeHtml(n.value).replace(/ {2}/g, ' &nbsp;');
        case 'code':
          return `<code style="${STYLE.code}">${escapeHtml(n.value)}</code>`;
        case 'bold':
          return `<strong>${inlineHtml(n.children)}</strong>`;
        case 'italic':
          return `<em>${inlineHtml(n.children)}</em>`;
        case 'strike':
          return `<s>${inlineHtml(n.children)}</s>`;
        case 'link': {
          const label = escapeHtml(n.label ?? n.url.replace(/^mailto:/i, ''));
          return SAFE_SCHEMES.test(n.url) ? `<a href="${escapeHtml(n.url)}" style="${STYLE.link}">${label}</a>` : label;
        }
      }
    })
    .join('');
}

interface Renderers {
  inline: (s: string) => Inline[];
  plain: (s: string) => string;
}

function blockText(block: Block, { inline, plain }: Renderers): string {
  switch (block.kind) {
    case 'para':
      return block.lines.map((l) => inlineText(inline(l))).join('\n');
    case 'code':
      return plain(block.value);
    case 'quote':
      return block.lines.map((l) => `> ${inlineText(inline(l))}`.trimEnd()).join('\n');
    case 'list':
      return block.items
        .map((it) => `${'  '.repeat(it.level)}${it.ordered ? `${it.number}.` : '-'} ${inlineText(inline(it.text))}`)
        .join('\n');
  }
}

function blockHtml(block: Block, { inline, plain }: Renderers): string {
  switch (block.kind) {
    case 'para':
      return `<p style="${STYLE.p}">${block.lines.map((l) => inlineHtml(inline(l))).join('<br>\n')}</p>`;
    case 'code':
      return `<pre style="${STYLE.pre}">${escapeHtml(plain(block.value))}</pre>`;
    case 'quote':
      return `<blockquote style="${STYLE.quote}">${block.lines.map((l) => inlineHtml(inline(l))).join('<br>\n')}</blockquote>`;
    case 'list':
      return listHtml(block.items, inline);
  }
}

/** Nested <ul>/<ol> from items carrying an indent level. */
function listHtml(items: ListItem[], inline: Renderers['inline']): string {
  let html = '';
  const open: { tag: 'ul' | 'ol'; level: number }[] = [];
  for (const item of items) {
    const tag = item.ordered ? 'ol' : 'ul';
    while (open.length > 0 && (open[open.length - 1] as { level: number }).level > item.level) html += `</li></${open.pop()?.tag}>`;
    const top = open[open.length - 1];
    if (top && top.level === item.level && top.tag !== tag) {
      html += `</li></${open.pop()?.tag}>`;
    }
    const current = open[open.length - 1];
    if (!current || current.level < item.level) {
      const start = item.ordered && item.number !== 1 ? ` start="${item.number}"` : '';
      html += `<${tag}${start} style="${STYLE.list}">`;
      open.push({ tag, level: item.level });
    } else {
      html += '</li>';
    }
    html += `<li>${inlineHtml(inline(item.text))}`;
  }
  while (open.length > 0) html += `</li></${open.pop()?.tag}>`;
  return html;
}

const STYLE = {
  body: 'font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1d1c1d',
  p: 'margin:0 0 1em 0',
  pre: 'margin:0 0 1em 0;padding:8px 10px;background:#f6f6f6;border:1px solid #ddd;border-radius:4px;font-family:Menlo,Consolas,monospace;font-size:13px;white-space:pre-wrap',
  code: 'padding:1px 3px;background:#f6f6f6;border:1px solid #ddd;border-radius:3px;font-family:Menlo,Consolas,monospace;font-size:13px',
  quote: 'margin:0 0 1em 0;padding:0 0 0 12px;border-left:4px solid #ddd;color:#555',
  list: 'margin:0 0 1em 0;padding-left:24px',
  link: 'color:#1264a3',
};

function wrapHtml(body: string): string {
  return (
    '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n' +
    `<body><div style='${STYLE.body}'>\n${body}\n</div></body></html>\n`
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
