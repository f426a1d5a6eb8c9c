// Reply extraction for plain text: keep what the writer added, drop quoted history and the
// signature. Each line gets a kind, then one pass decides where the writer's text ends:
// - the first separator, Outlook header block, forward separator or signature ends it;
// - a quote header ends it, unless `>` quotes follow it and the writer goes on below them
//   (an inline reply: the header goes, the quote and the answers stay);
// - a header and quote at the very top are history when the writer answered below them;
// - quotes left dangling at the end are history too, when the writer wrote anything at all.

import { quoteHeaderLength } from './quote-header.ts';
import { headerBlockAt, isDelimiter, isForwardSeparator, isSignatureStart } from './markers.ts';

type Kind = 'empty' | 'text' | 'quote' | 'cite' | 'header' | 'qheader' | 'cut';

/** Heuristics look at no more than this much text: the writer's part of any email is near the top. */
export const MAX_REPLY_SCAN_CHARS = 200_000;
const MAX_LINE_CHARS = 5_000;

const QUOTED = /^\s*>/;
// Supercite-style quotes ("Richard> text", "C> text") that some Unix mailers write.
const CITED = /^\s*[A-Za-z]{1,12}>(?:\s|$)/;

export function extractTextReply(text: string): string {
  const lines = text.slice(0, MAX_REPLY_SCAN_CHARS).replace(/\r\n?/g, '\n').split('\n');
  return replyLineIndexes(lines).map((i) => lines[i]!).join('\n').replace(/^\s*\n/, '').trimEnd();
}

/** Indexes of the lines that are the writer's own, in order. */
export function replyLineIndexes(lines: readonly string[]): number[] {
  const kinds = classify(lines);
  const spans = kinds.spans;
  const kind = kinds.kinds;
  const n = lines.length;

  let start = 0;
  while (start < n && kind[start] === 'empty') start++;

  // History on top, the answer below it (bottom-posting): drop the header and its quote.
  if (start < n && (kind[start] === 'header' || kind[start] === 'qheader')) {
    let j = start + (spans[start] ?? 1);
    while (j < n && ['empty', 'quote', 'cite', 'qheader'].includes(kind[j]!)) j++;
    if (j >= n || kind[j] !== 'text') return [];
    start = j;
  }

  const out: number[] = [];
  for (let i = start; i < n; ) {
    const k = kind[i]!;
    if (k === 'header') {
      const after = i + (spans[i] ?? 1);
      if (isInlineReply(kind, after)) {
        i = after;
        continue;
      }
      break;
    }
    if (k === 'qheader' || k === 'cut') break;
    out.push(i);
    i++;
  }

  // Quotes at the end, after the writer's text, are the history they answered above.
  const hasText = out.some((i) => kind[i] === 'text');
  while (out.length) {
    const last = kind[out[out.length - 1]!]!;
    if (last === 'empty' || (hasText && (last === 'quote' || last === 'cite'))) out.pop();
    else break;
  }
  return out;
}

/** After a header: `>` quotes, then the writer's own text again. */
function isInlineReply(kind: readonly Kind[], from: number): boolean {
  let j = from;
  while (j < kind.length && kind[j] === 'empty') j++;
  if (kind[j] !== 'quote') return false;
  while (j < kind.length && (kind[j] === 'quote' || kind[j] === 'empty')) j++;
  return kind[j] === 'text';
}

function classify(lines: readonly string[]): { kinds: Kind[]; spans: number[] } {
  const kinds: Kind[] = new Array(lines.length);
  const spans: number[] = new Array(lines.length).fill(0);
  const unquoted = lines.map((l) => l.replace(/^[\s>]+/, ''));
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.length > MAX_LINE_CHARS ? lines[i]!.slice(0, MAX_LINE_CHARS) : lines[i]!;
    if (/^\s*(?:```|~~~)/.test(line)) {
      inFence = !inFence;
      kinds[i] = 'text';
      continue;
    }
    if (inFence) {
      kinds[i] = line.trim() ? 'text' : 'empty';
      continue;
    }
    if (!line.trim()) {
      kinds[i] = 'empty';
      continue;
    }
    if (QUOTED.test(line)) {
      const len = quoteHeaderLength(unquoted, i);
      if (len > 0 && allQuoted(lines, i, len)) {
        spans[i] = len;
        for (let k = 0; k < len && i + k < lines.length; k++) kinds[i + k] = 'qheader';
        i += len - 1;
      } else {
        kinds[i] = 'quote';
      }
      continue;
    }
    const len = quoteHeaderLength(lines, i);
    if (len > 0) {
      spans[i] = len;
      for (let k = 0; k < len && i + k < lines.length; k++) kinds[i + k] = 'header';
      i += len - 1;
      continue;
    }
    if (isForwardSeparator(line) || isDelimiter(line) || headerBlockAt(lines, i) || isSignatureStart(line)) {
      kinds[i] = 'cut';
      continue;
    }
    kinds[i] = CITED.test(line) ? 'cite' : 'text';
  }
  return { kinds, spans };
}

function allQuoted(lines: readonly string[], from: number, len: number): boolean {
  for (let k = 0; k < len && from + k < lines.length; k++) {
    const l = lines[from + k]!;
    if (l.trim() && !QUOTED.test(l)) return false;
  }
  return true;
}
