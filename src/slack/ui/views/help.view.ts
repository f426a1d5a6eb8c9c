// `/mailroom help`: everything Mailroom does, with the command names this install uses (they
// are configurable, so they are passed in).
import type { KnownBlock } from '@slack/types';
import { HOW_IT_WORKS } from '../blocks/conversation-parent.ts';
import { Limits, esc, md, plain } from '../blocks/text.ts';

export interface CommandNames {
  compose: string;
  assign: string;
  close: string;
  mailroom: string;
}

function cmd(name: string): string {
  const n = name.startsWith('/') ? name : `/${name}`;
  return `\`${esc(n, 80)}\``;
}

export function helpMessage(c: CommandNames): { text: string; blocks: KnownBlock[] } {
  const sub = (rest: string) => cmd(`${c.mailroom.replace(/^\/?/, '/')} ${rest}`);
  const commands = [
    `${cmd(c.compose)}: write a new email; it starts a conversation in the inbox channel of the From address.`,
    `${cmd(c.assign)}: assign a conversation to a teammate (pick it by number, subject or sender).`,
    `${cmd(c.close)}: close a conversation with a resolution and an internal note (and its ticket).`,
    `${sub('mine')}: your open conversations.`,
    `${sub('stats [7d|30d]')}: received, replied, closed, time to first response, who did what, backlog.`,
    `${sub('tag #42 billing urgent')} / ${sub('untag #42 urgent')}: tag a conversation, or take tags off.`,
    `${sub('search invoice from:acme.com tag:billing status:open assignee:me')}: find conversations of your inboxes (words in subjects, senders, email text and notes; also \`assignee:@name\`, \`before:2026-03-01\`, \`after:\`).`,
    `${sub('signature')} (or \`signature set TEXT\`, \`show\`, \`clear\`; \`signature inbox …\` for this inbox's): the signature under your emails.`,
    `${sub('templates')}: add, edit and delete this inbox's templates.`,
    `${sub('snooze #42 2h')} (or \`tomorrow\`, \`monday\`, \`2026-12-24 09:00\`): put a conversation away until then, or until the customer writes; ${sub('unsnooze #42')} brings it back.`,
    `${sub('wait #42')}: waiting on the customer (open again when they write).`,
    `${sub('remind #42 3d')}: a reminder in the thread if the customer has not written by then.`,
    `${sub('help')}: this message.`,
  ];
  const thread = [
    HOW_IT_WORKS,
    'A reply waits a few seconds before it is sent: edit it to change what goes out, delete it to cancel. ✅ means the mail server accepted it, ⚠️ that it failed (the reason follows in the thread).',
    'Files you share in your reply are attached to the email.',
  ];
  const buttons = [
    '*Reply*: more options than a thread reply (another From address, more To, CC, BCC, a template, files).',
    '*Assign*: the select on the conversation; the assignee gets a DM.',
    '*Close* / *Reopen*. A conversation also reopens when the customer writes again.',
    '*⋯ menu*: Snooze or wait, Tags, Customer (who they are, their other conversations, others at their company), Create ticket, Move to another inbox. *Show full message* is a button on an email whose quoted history is hidden.',
    'With response targets set, the parent shows when a reply is due, and the thread says when it is near and when it passed.',
    'The same actions are message shortcuts on any message of a conversation thread.',
  ];
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Mailroom: your shared inbox in Slack', Limits.header) },
    { type: 'section', text: md('Every email to the team address becomes a conversation in the inbox channel: a message saying who wrote and where it stands, with the emails in its thread.') },
    { type: 'section', text: md(`*In a conversation thread*\n${thread.map((l) => `• ${l}`).join('\n')}`) },
    { type: 'section', text: md(`*On each conversation*\n${buttons.map((l) => `• ${l}`).join('\n')}`) },
    { type: 'section', text: md(`*Commands*\n${commands.map((l) => `• ${l}`).join('\n')}`) },
    { type: 'context', elements: [md('Only members of an inbox act on its conversations. The App Home tab shows your open conversations and the stats.')] },
  ];
  return { text: 'Mailroom help: commands, buttons and how replies work.', blocks };
}
