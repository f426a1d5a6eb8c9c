// Rendering parsed Slack mrkdwn (mrkdwn-to-email.ts) as an email's plain text and its HTML. Every
// piece of text from the message is HTML-escaped; only links with a safe scheme become <a href>.

/** Links with these schemes are links in the email; any other stays text. */
export const SAFE_SCHEMES = /^(?:https?|mailto|tel):/i;

export type Inline =
  | { kind: 'text'; value: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: Inline[] }
  | { kind: 'code'; value: string }
  | { kind: 'link'; url: string; label: string | null }
  | { kind: 'name'; value: string }; // mentions, channels, broadcasts, emoji: shown as plain text

export type Block =
  | { kind: 'para'; lines: string[] }
  | { kind: 'code'; value: string }
  | { kind: 'quote'; lines: string[] }
  | { kind: 'list'; items: ListItem[] };

export interface ListItem {
  level: number;
  ordered: boolean;
  number: number;
  text: string;
}

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

export interface Renderers {
  inline: (s: string) => Inline[];
  plain: (s: string) => string;
}

export function blockText(block: Block, { inline, plain }: Renderers): string {
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

export function blockHtml(block: Block, { inline, plain }: Renderers): string {
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

export function wrapHtml(body: string): string {
  return (
    '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n' +
    `<body><div style='${STYLE.body}'>\n${body}\n</div></body></html>\n`
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
