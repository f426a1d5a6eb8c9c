// html-to-text formatters shared by the plain-text and the mrkdwn rendering. Whatever they add
// stays on one line, so both renderings keep the same lines.

import type { FormatCallback } from 'html-to-text';

interface Node {
  type?: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: Node[];
}

const MAX_LINK_TEXT = 300;

/** The visible text of an element, on one line (image alt text included). */
export function elementText(elem: Node, depth = 0): string {
  if (depth > 50) return '';
  if (elem.type === 'text') return elem.data ?? '';
  if (elem.name === 'img') return elem.attribs?.alt ?? '';
  if (elem.name === 'br') return ' ';
  if (['script', 'style', 'head', 'title'].includes(elem.name ?? '')) return '';
  const style = (elem.attribs?.style ?? '').toLowerCase().replace(/\s+/g, '');
  if (style.includes('display:none') || elem.attribs?.hidden !== undefined) return '';
  let out = '';
  for (const child of elem.children ?? []) {
    out += elementText(child, depth + 1);
    if (out.length > MAX_LINK_TEXT * 4) break;
  }
  return out;
}

const oneLine = (s: string): string => s.replace(/[\s\u00a0\u200b-\u200d\u2060\ufeff]+/g, ' ').trim();

/** Only web and mail links survive, with nothing in them that could end Slack's `<…|…>`. */
export function safeUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  // eslint-disable-next-line no-control-regex
  const url = raw.trim().replace(/[\u0000-\u001f\u007f\s]+/g, '');
  if (!/^(?:https?:\/\/|mailto:)/i.test(url) || url.length > 2000) return null;
  return url.replace(/[<>|"'`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Link text inside `<url|text>`: `|` and `>` removed, & and < escaped. */
export function mrkdwnLinkText(text: string): string {
  return oneLine(text)
    .slice(0, MAX_LINK_TEXT)
    .replace(/[|>]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function linkFormatter(mrkdwn: boolean): FormatCallback {
  return (elem, walk, builder) => {
    const node = elem as unknown as Node;
    const url = safeUrl(node.attribs?.href);
    const text = oneLine(elementText(node));
    if (!url) {
      walk(elem.children, builder);
      return;
    }
    const bare = url.replace(/^mailto:/i, '');
    const sameAsText = !text || text === url || text === bare || `${text}/` === url;
    if (mrkdwn) {
      builder.addLiteral(sameAsText ? `<${url}>` : `<${url}|${mrkdwnLinkText(text)}>`);
    } else {
      builder.addLiteral(sameAsText ? bare : `${text} (${bare})`);
    }
  };
}

export function imageFormatter(mrkdwn: boolean): FormatCallback {
  return (elem, _walk, builder) => {
    const a = (elem as unknown as Node).attribs ?? {};
    // Tracking pixels and spacers carry nothing to read.
    if (a.width === '1' || a.height === '1' || a.width === '0' || a.height === '0') return;
    const alt = oneLine(a.alt ?? '');
    const url = safeUrl(a.src);
    if (mrkdwn) {
      if (url) builder.addLiteral(`<${url}|${mrkdwnLinkText(alt ? `image: ${alt}` : 'image')}>`);
      else if (alt) builder.addLiteral(`[image: ${escapeText(alt.slice(0, MAX_LINK_TEXT))}]`);
    } else if (alt) {
      builder.addLiteral(`[image: ${alt}]`);
    }
  };
}

/** `*bold*`, `_italic_`… around an inline element, only when it has visible text. */
export function surround(marker: string): FormatCallback {
  return (elem, walk, builder) => {
    const hasText = oneLine(elementText(elem as unknown as Node)) !== '';
    if (marker && hasText) builder.addLiteral(marker);
    walk(elem.children, builder);
    if (marker && hasText) builder.addLiteral(marker);
  };
}

export function heading(mrkdwn: boolean): FormatCallback {
  return (elem, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 2 });
    const hasText = oneLine(elementText(elem as unknown as Node)) !== '';
    if (mrkdwn && hasText) builder.addLiteral('*');
    walk(elem.children, builder);
    if (mrkdwn && hasText) builder.addLiteral('*');
    builder.closeBlock({ trailingLineBreaks: 2 });
  };
}
