// The reply modal: opened by the Reply button or the message shortcut, it sends a reply with
// another From, more To, CC, BCC, a template and files, shown in the thread; while it is open
// the parent says "… is replying".
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, Fields, Shortcuts, Views } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, MEMBER, SIGNING_SECRET, email, startRig, type Rig } from '../../helpers/mailroom.ts';
import { DEFAULT_IDENTITY } from '../../support/fake-slack-state.ts';
import { blockActions, messageAction, sendInteraction, viewSubmission } from '../../support/slack-requests.ts';
import { waitFor } from '../../support/wait.ts';

let rig: Rig;
let app: MailroomApp;
let url: string;
const OUTSIDER = 'U0OUTSIDE1';

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: OUTSIDER, name: 'olga', real_name: 'Olga Outsider' });
  rig.slack.state.channels.get(CHANNEL)!.members.push(OUTSIDER);
  app = rig.build({ MAILROOM_ALIASES: 'help@example.com', MAILROOM_MEMBERS: MEMBER });
  url = `http://127.0.0.1:${(await app.start()).port!}/slack/events`;
  await waitFor(() => app.store.imapSync.get(1, 'INBOX'), { timeoutMs: 10_000 });
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});
beforeEach(() => rig.smtp.clear());

let n = 0;
async function conversation() {
  const id = `<reply-modal-${++n}-${Date.now()}@customer.example>`;
  const marker = `reply-modal-marker-${n}`;
  await rig.deliver(email({ messageId: id, subject: `Broken widget ${n}`, cc: 'Dan <dan@customer.example>', body: marker }));
  const parent = await waitFor(
    // The email in the thread, not the parent's snippet: by then the parent's ts is stored too.
    () => rig.slack.messagesIn(CHANNEL).find((m) => m.metadata?.event_type === 'mailroom_conversation' && rig.slack.threadOf(CHANNEL, m.ts).slice(1).some((r) => JSON.stringify(r.blocks ?? []).includes(marker))),
    { timeoutMs: 10_000 },
  );
  const c = await waitFor(() => app.store.conversations.byParent(CHANNEL, parent.ts));
  return { c, parentTs: parent.ts, messageId: id.slice(1, -1) };
}

const text = (value: string | null) => ({ type: 'plain_text_input', value });
const addressesOf = (field: unknown) => (field && !Array.isArray(field) ? (field as { value: { address: string }[] }).value.map((a) => a.address) : []);
const parentText = (ts: string) => JSON.stringify(rig.slack.messagesIn(CHANNEL).find((m) => m.ts === ts)?.blocks ?? []);
const reactionsOf = (parentTs: string, ts: string) => (rig.slack.threadOf(CHANNEL, parentTs).find((m) => m.ts === ts)?.reactions ?? []).map((r) => r.name);

async function clickReply(c: { id: number }, parentTs: string, user = MEMBER) {
  const before = rig.slack.calls('views.open').length;
  const res = await sendInteraction(url, SIGNING_SECRET, blockActions({ actionId: Actions.reply, user, value: String(c.id), channel: CHANNEL, message: { ts: parentTs, type: 'message' } }));
  expect(res.status).toBe(200);
  return () => rig.slack.calls('views.open').slice(before);
}

function replyValues(f: { from?: string; to?: string; cc?: string; bcc?: string; body?: string; bodyBlock?: string }) {
  return {
    [Fields.from.block]: { [Fields.from.action]: { type: 'static_select', selected_option: { value: f.from ?? '1:0' } } },
    [Fields.to.block]: { [Fields.to.action]: text(f.to ?? null) },
    [Fields.cc.block]: { [Fields.cc.action]: text(f.cc ?? null) },
    [Fields.bcc.block]: { [Fields.bcc.action]: text(f.bcc ?? null) },
    [f.bodyBlock ?? Fields.body.block]: { [Fields.body.action]: text(f.body ?? null) },
    [Fields.files.block]: { [Fields.files.action]: { type: 'file_input', files: [] } },
  };
}

function submitReply(c: { id: number }, f: Parameters<typeof replyValues>[0], user = MEMBER) {
  return sendInteraction(url, SIGNING_SECRET, viewSubmission({ callbackId: Views.reply, user, values: replyValues(f), privateMetadata: JSON.stringify({ conversationNumber: c.id, bodyRevision: 0 }) }));
}

describe('the reply modal', () => {
  it('sends with another From, more To, CC and BCC, shows it in the thread, and the parent says who is replying meanwhile', async () => {
    const { c, parentTs, messageId } = await conversation();
    const opened = await clickReply(c, parentTs);
    const open = await waitFor(() => opened()[0]);
    const view = open.args.view as { callback_id: string; notify_on_close?: boolean; blocks: { block_id?: string; element?: { initial_option?: { value: string } } }[] };
    expect(view.callback_id).toBe(Views.reply);
    expect(view.notify_on_close).toBe(true);
    expect(view.blocks.find((b) => b.block_id === Fields.from.block)?.element?.initial_option?.value).toBe('1:0');
    await waitFor(() => parentText(parentTs).includes(`<@${MEMBER}> is replying`), { description: 'the parent shows who is replying' });

    const res = await submitReply(c, {
      from: '1:1',
      to: 'Gus <gus@partner.example>',
      cc: 'hal@partner.example',
      bcc: 'ivy@partner.example',
      body: 'Thanks {{first_name}}, see #{{conversation_number}}: a < b & c.',
    });
    expect(res.body).toBe('');
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    const p = sent!.parsed;
    expect(p.from?.value[0]).toEqual({ name: 'Ana Lima (Acme Support)', address: 'help@example.com' });
    expect(addressesOf(p.to)).toEqual(['carla@customer.example', 'gus@partner.example']);
    expect(addressesOf(p.cc)).toEqual(['dan@customer.example', 'hal@partner.example']);
    expect(sent!.to.sort()).toEqual(['carla@customer.example', 'dan@customer.example', 'gus@partner.example', 'hal@partner.example', 'ivy@partner.example']);
    expect(p.subject).toBe(`Re: Broken widget ${n}`);
    expect(p.inReplyTo).toBe(`<${messageId}>`);
    expect(p.messageId).toMatch(new RegExp(`^<mr\\.${c.token}\\.[A-Za-z0-9_-]+@example\\.com>$`));
    expect(p.text).toContain(`Thanks Carla, see #${c.id}: a < b & c.`);

    // The thread shows what was sent, with ✅ once the server took it.
    const shown = await waitFor(() => rig.slack.threadOf(CHANNEL, parentTs).find((m) => m.ts !== parentTs && JSON.stringify(m.blocks ?? []).includes('Thanks Carla')));
    const blocks = JSON.stringify(shown.blocks);
    expect(blocks).toContain(`by <@${MEMBER}>`);
    expect(blocks).toContain('ivy@partner.example');
    expect(blocks).toContain('a &lt; b &amp; c.');
    await waitFor(() => reactionsOf(parentTs, shown.ts).includes('white_check_mark'));
    await waitFor(() => !parentText(parentTs).includes('is replying'), { description: 'the replying sign goes away' });
    await waitFor(() => app.store.conversations.byId(c.id)?.status === 'pending');
  });

  it('closing the modal without sending clears "… is replying"', async () => {
    const { c, parentTs } = await conversation();
    const opened = await clickReply(c, parentTs);
    await waitFor(() => opened()[0]);
    await waitFor(() => parentText(parentTs).includes('is replying'));
    await sendInteraction(url, SIGNING_SECRET, {
      type: 'view_closed',
      team: { id: DEFAULT_IDENTITY.teamId, domain: DEFAULT_IDENTITY.teamDomain },
      user: { id: MEMBER, username: 'ana', team_id: DEFAULT_IDENTITY.teamId },
      api_app_id: DEFAULT_IDENTITY.appId,
      token: 'legacy-verification-token',
      view: { id: 'V0CLOSED01', type: 'modal', callback_id: Views.reply, private_metadata: JSON.stringify({ conversationNumber: c.id, bodyRevision: 0 }), state: { values: {} } },
      is_cleared: false,
    });
    await waitFor(() => !parentText(parentTs).includes('is replying'));
    expect(rig.smtp.messages).toHaveLength(0);
  });

  it('opens from the message shortcut on any message of the thread, and explains on any other message', async () => {
    const { c, parentTs } = await conversation();
    const emailMsg = rig.slack.threadOf(CHANNEL, parentTs)[1]!;
    const before = rig.slack.calls('views.open').length;
    await sendInteraction(url, SIGNING_SECRET, messageAction({ callbackId: Shortcuts.reply, user: MEMBER, channel: CHANNEL, message: { type: 'message', ts: emailMsg.ts, thread_ts: parentTs, text: '' } }));
    const open = await waitFor(() => rig.slack.calls('views.open')[before]);
    expect(JSON.parse((open.args.view as { private_metadata: string }).private_metadata)).toEqual({ conversationNumber: c.id, bodyRevision: 0 });

    const stray = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'just chatting' });
    await sendInteraction(url, SIGNING_SECRET, messageAction({ callbackId: Shortcuts.reply, user: MEMBER, channel: CHANNEL, message: { type: 'message', ts: stray.ts, text: 'just chatting' } }));
    await waitFor(() => rig.slack.ephemerals().find((e) => e.user === MEMBER && e.text.startsWith('This message is not part of an email conversation')));
    expect(rig.slack.calls('views.open')).toHaveLength(before + 1);
  });

  it('refuses a non-member privately, without a modal', async () => {
    const { c, parentTs } = await conversation();
    const opened = await clickReply(c, parentTs, OUTSIDER);
    const told = await waitFor(() => rig.slack.ephemerals().find((e) => e.user === OUTSIDER));
    expect(told.text).toBe('Only members of the *Acme Support* inbox can reply by email. Ask a member, or an admin to add you to the inbox.');
    expect(opened()).toHaveLength(0);
    const forged = await submitReply(c, { body: 'sneaky' }, OUTSIDER);
    expect(JSON.parse(forged.body).errors[Fields.from.block]).toMatch(/^Only members of the \*Acme Support\* inbox/);
    expect(rig.smtp.messages).toHaveLength(0);
  });

  it('answers field errors: bad CC, our own address, From of another inbox, no text', async () => {
    const { c } = await conversation();
    const res = await submitReply(c, { from: '9:0', cc: 'not an address', to: 'help@example.com', body: ' ', bodyBlock: 'mr_body_r1' });
    expect(JSON.parse(res.body)).toEqual({
      response_action: 'errors',
      errors: {
        [Fields.from.block]: "Choose one of the Acme Support inbox's addresses.",
        [Fields.to.block]: 'help@example.com is our own address: Mailroom never emails itself.',
        [Fields.cc.block]: 'Not an email address: "not an address". Separate addresses with commas.',
        mr_body_r1: 'Write a message (or attach a file).',
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.smtp.messages).toHaveLength(0);
  });

  it('inserts a template rendered for the conversation', async () => {
    const { c, parentTs } = await conversation();
    const t = app.store.templates.create(1, { name: 'Thanks', body: 'Thanks {{first_name|there}} for #{{conversation_number}} ({{subject}}).\n— {{teammate_name}}', updatedBy: MEMBER });
    const opened = await clickReply(c, parentTs);
    const open = await waitFor(() => opened()[0]);
    const v = (open.response as { view: { id: string; hash: string; private_metadata: string } }).view;
    await sendInteraction(
      url,
      SIGNING_SECRET,
      blockActions({
        actionId: Fields.template.action,
        blockId: Fields.template.block,
        user: MEMBER,
        view: { id: v.id, hash: v.hash, callback_id: Views.reply, private_metadata: v.private_metadata, state: { values: replyValues({ from: '1:1', bcc: 'ivy@partner.example', body: '' }) } },
        action: { type: 'static_select', selected_option: { value: String(t.id), text: { type: 'plain_text', text: 'Thanks' } } },
      }),
    );
    const update = await waitFor(() => rig.slack.calls('views.update').find((u) => u.args.view_id === v.id));
    const blocks = (update.args.view as { blocks: { block_id?: string; element?: { initial_value?: string; initial_option?: { value: string } } }[] }).blocks;
    expect(blocks.find((b) => b.block_id === 'mr_body_r1')?.element?.initial_value).toBe(`Thanks Carla for #${c.id} (Broken widget ${n}).\n— Ana Lima`);
    expect(blocks.find((b) => b.block_id === Fields.bcc.block)?.element?.initial_value).toBe('ivy@partner.example');
    expect(blocks.find((b) => b.block_id === Fields.from.block)?.element?.initial_option?.value).toBe('1:1');
  });
});
