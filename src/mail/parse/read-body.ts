// From a message's bodies to what Mailroom shows: the whole text, the writer's reply, their
// Slack mrkdwn, and the forwarded original if there is one. Pure; used by parseEmail and
// parseBody (`mailroom inspect --body`).

import type { ForwardInfo } from '../types.ts';
import { escapeMrkdwn } from '../../core/slack-text.ts';
import { htmlToMrkdwn, htmlToPlain } from './html/convert.ts';
import { htmlBeforeQuote } from './reply/html-reply.ts';
import { extractTextReply, replyLineIndexes, MAX_REPLY_SCAN_CHARS } from './reply/text-reply.ts';
import { detectForward } from './forwarded.ts';

export interface BodyInput {
  text: string | null;
  html: string | null;
  subject: string;
}

export interface BodyReading {
  text: string;
  reply: string;
  textMrkdwn: string;
  replyMrkdwn: string;
  forwarded: ForwardInfo | null;
}

export function readBody({ text, html, subject }: BodyInput): BodyReading {
  const hasHtml = !!html && html.trim() !== '';
  const htmlPlain = hasHtml ? htmlToPlain(html!) : '';
  const plain = normalise(text && text.trim() ? text : htmlPlain);
  const textMrkdwn = hasHtml ? htmlToMrkdwn(html!) : escapeMrkdwn(plain);
  const fwd = detectForward(plain, subject);
  const forwarded = fwd ? fwd.info : null;

  let reply = '';
  let replyMrkdwn = '';
  if (hasHtml) {
    ({ reply, replyMrkdwn } = replyFromHtml(html!, htmlPlain, textMrkdwn));
  }
  if (!reply.trim()) {
    reply = extractTextReply(plain);
    replyMrkdwn = escapeMrkdwn(reply);
  }
  // A forward with no note of the forwarder's: the forwarded message is what there is to read,
  // and forwarded content is never trimmed.
  if (forwarded && !(fwd?.note ?? '').trim() && !reply.trim()) {
    reply = forwarded.body || plain;
    replyMrkdwn = escapeMrkdwn(reply);
  }
  return { text: plain, reply, textMrkdwn, replyMrkdwn, forwarded };
}

/** Cut at the client's quote marker, then the text rules; mrkdwn keeps the same lines. */
function replyFromHtml(html: string, fullPlain: string, fullMrkdwn: string): { reply: string; replyMrkdwn: string } {
  const before = htmlBeforeQuote(html);
  const plainLines = (before === null ? fullPlain : htmlToPlain(before)).slice(0, MAX_REPLY_SCAN_CHARS).split('\n');
  const keep = replyLineIndexes(plainLines);
  const reply = keep.map((i) => plainLines[i]!).join('\n').trim();
  const mrkdwnLines = (before === null ? fullMrkdwn : htmlToMrkdwn(before)).split('\n');
  // Same layout, same lines; if they ever differ, the escaped text is the safe answer.
  const replyMrkdwn =
    mrkdwnLines.length === plainLines.length
      ? keep.map((i) => mrkdwnLines[i]!).join('\n').trim()
      : escapeMrkdwn(reply);
  return { reply, replyMrkdwn };
}

function normalise(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}
