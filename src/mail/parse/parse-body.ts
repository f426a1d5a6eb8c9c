// A bare plain-text body (no headers), read the way a full email's body is: used by
// `mailroom inspect --body` and by tests of the reading rules.

import type { InboundEmail } from '../types.ts';
import { baseSubject } from '../../core/subject.ts';
import { readBody } from './read-body.ts';

export function parseBody(text: string, subject = ''): InboundEmail {
  const body = readBody({ text: String(text ?? ''), html: null, subject });
  return {
    messageId: null,
    inReplyTo: null,
    references: [],
    from: null,
    to: [],
    cc: [],
    replyTo: [],
    subject,
    baseSubject: baseSubject(subject),
    date: null,
    kind: 'human',
    bounce: null,
    forwarded: body.forwarded,
    text: body.text,
    reply: body.reply,
    textMrkdwn: body.textMrkdwn,
    replyMrkdwn: body.replyMrkdwn,
    html: null,
    attachments: [],
    size: Buffer.byteLength(String(text ?? '')),
    problems: [],
  };
}
