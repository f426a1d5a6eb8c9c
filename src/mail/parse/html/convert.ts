// HTML email → plain text and → Slack mrkdwn, with the same line structure: both renderings
// share block layout and differ only inside a line (escaping, `*bold*`, `<url|text>`), so a line
// kept by reply extraction on the text is the same line in the mrkdwn.
// Safety: only &, < and > of email text are escaped (Slack's rule); the only `<…>` in the output
// are links built here from sanitised http(s)/mailto URLs; hidden preheaders, head, script and
// style never show.

import { compile, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';
import { defuseBroadcasts } from '../../../core/slack-text.ts';
import { linkFormatter, imageFormatter, surround, heading } from './formatters.ts';

/** HTML beyond this is not rendered (a multi-MB newsletter still gives its first part). */
export const MAX_HTML_CHARS = 300_000;
/** Deeper nesting than any real email has: rendered as bare text (the tree walk is too slow). */
const MAX_NESTING = 1_500;
const VOID = new Set(['br', 'img', 'hr', 'meta', 'link', 'input', 'wbr', 'col', 'area', 'base', 'source', 'track', 'embed', 'param', 'p', 'li', 'td', 'tr', 'th', 'option']);

const HIDDEN = [
  'head', 'script', 'style', 'title', 'noscript', 'template', 'svg', 'object', 'iframe', 'embed',
  'button', 'input', 'select', 'textarea', 'map', 'area', '[hidden]', '[aria-hidden="true"][style]',
  '.preheader', '.preview-text', '.preheader-text', '[class*="preheader" i]',
  '[style*="display:none" i]', '[style*="display: none" i]', '[style*="display :none" i]',
  '[style*="visibility:hidden" i]', '[style*="visibility: hidden" i]',
  '[style*="mso-hide:all" i]', '[style*="mso-hide: all" i]',
  '[style*="max-height:0" i]', '[style*="max-height: 0" i]',
  '[style*="font-size:0" i]', '[style*="font-size: 0" i]',
  '[style*="opacity:0;" i]', '[style*="opacity: 0;" i]',
];

function baseOptions(mrkdwn: boolean): HtmlToTextOptions {
  const formatters: Record<string, FormatCallback> = {
    mrLink: linkFormatter(mrkdwn),
    mrImage: imageFormatter(mrkdwn),
    mrBold: surround(mrkdwn ? '*' : ''),
    mrItalic: surround(mrkdwn ? '_' : ''),
    mrStrike: surround(mrkdwn ? '~' : ''),
    mrCode: surround(mrkdwn ? '`' : ''),
    mrHeading: heading(mrkdwn),
    mrCell: (elem, walk, builder) => {
      walk(elem.children, builder);
      builder.addLiteral('  ');
    },
  };
  return {
    wordwrap: false,
    preserveNewlines: false,
    decodeEntities: true,
    encodeCharacters: mrkdwn ? { '&': '&amp;', '<': '&lt;', '>': '&gt;' } : {},
    limits: { maxInputLength: MAX_HTML_CHARS, maxDepth: 200, maxChildNodes: 20_000, ellipsis: '…' },
    formatters,
    selectors: [
      ...HIDDEN.map((selector) => ({ selector, format: 'skip' })),
      { selector: 'a', format: 'mrLink' },
      { selector: 'img', format: 'mrImage' },
      { selector: 'b', format: 'mrBold' },
      { selector: 'strong', format: 'mrBold' },
      { selector: 'i', format: 'mrItalic' },
      { selector: 'em', format: 'mrItalic' },
      { selector: 's', format: 'mrStrike' },
      { selector: 'strike', format: 'mrStrike' },
      { selector: 'del', format: 'mrStrike' },
      { selector: 'code', format: 'mrCode' },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, format: 'mrHeading' })),
      { selector: 'ul', options: { itemPrefix: '• ', leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'ol', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'p', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
      { selector: 'hr', options: { length: 3, leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'table', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'tr', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'td', format: 'mrCell' },
      { selector: 'th', format: 'mrCell' },
      { selector: 'pre', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    ],
  };
}

let toPlain: ((html: string) => string) | null = null;
let toMrkdwn: ((html: string) => string) | null = null;

/** Plain text of an HTML body: what a reader sees, links as "text (url)". */
export function htmlToPlain(html: string): string {
  toPlain ??= compile(baseOptions(false));
  return tidy(safeConvert(toPlain, html, false));
}

/** Slack mrkdwn of an HTML body, safe to post. */
export function htmlToMrkdwn(html: string): string {
  toMrkdwn ??= compile(baseOptions(true));
  return defuseBroadcasts(tidy(safeConvert(toMrkdwn, html, true)));
}

function safeConvert(convert: (html: string) => string, html: string, mrkdwn: boolean): string {
  const input = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  const fallback = (): string => {
    const text = bareText(input);
    return mrkdwn ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
  };
  if (nestingDepth(input) > MAX_NESTING) return fallback();
  try {
    return convert(input);
  } catch {
    return fallback();
  }
}

/** Deepest nesting of elements, counted cheaply (unclosed optional-end tags are not counted). */
function nestingDepth(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]{0,20})\b[^>]{0,4000}?(\/?)>/g)) {
    const name = m[2]!.toLowerCase();
    if (VOID.has(name) || m[3]) continue;
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (++depth > max) max = depth;
  }
  return max;
}

/** Tags out, blocks as line breaks, the usual entities decoded: for HTML too broken to render. */
function bareText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]{0,200000}?<\/\1\s*>/gi, '')
    .replace(/<(?:br|\/p|\/div|\/tr|\/li|\/h\d)\b[^>]{0,4000}>/gi, '\n')
    .replace(/<[^>]{0,4000}>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Trailing spaces off each line, no runs of more than one blank line, nbsp as space. */
function tidy(text: string): string {
  return text
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
