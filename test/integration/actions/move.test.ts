// Moving a conversation to another inbox: it continues in the other channel (new parent, "moved
// here from"), the old parent points there, the customer's next email and the team's replies
// follow it, and only members of both inboxes can do it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, Fields, OverflowChoices, Shortcuts, Views, overflowValue } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, IMAP_PASSWORD, INBOX_ADDRESS, MEMBER, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import { blocksText, fieldErrors, interact, latestView, parentAction, parentOf, postedConversation, shortcutOn, submit } from './actions-rig.ts';

const SALES = 'C0SALES001';
const SALES_ADDRESS = 'sales@example.com';
const BOB = 'U0BOB00001';
let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  // Sales reads another folder of the same account (a second account would do just as well).
  await rig.dovecot.createMailbox(INBOX_ADDRESS, 'Sales');
  rig.slack.addUser({ id: BOB, name: 'bob', real_name: 'Bob Baker' });
  rig.slack.addChannel({ id: SALES, name: 'sales', members: [MEMBER] });
  rig.slack.state.channels.get(CHANNEL)!.members.push(BOB);
  const imap = (mailbox: string) => ({ host: rig.dovecot.host, port: rig.dovecot.port, secure: false, user: INBOX_ADDRESS, password: IMAP_PASSWORD, mailbox });
  const smtp = { host: rig.smtp.host, port: rig.smtp.port };
  const file = join(rig.dir, 'inboxes.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      inboxes: [
        { name: 'Acme Support', channel: CHANNEL, address: INBOX_ADDRESS, imap: imap('INBOX'), smtp, sentFolder: false },
        { name: 'Sales', channel: SALES, address: SALES_ADDRESS, imap: imap('Sales'), smtp, sentFolder: false },
      ],
    }),
  );
  app = rig.build({ MAILROOM_CONFIG: file });
  port = (await app.start()).port!;
  await waitFor(() => app.store.imapSync.get(1, 'INBOX') && app.store.imapSync.get(2, 'Sales'), { timeoutMs: 10_000 });
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

const moveTo = (inboxId: number) => ({ [Fields.inbox.block]: { [Fields.inbox.action]: { type: 'static_select', selected_option: { value: String(inboxId) } } } });

describe('moving a conversation to another inbox', () => {
  it('continues it in the other channel, and the customer’s next email and our reply follow', async () => {
    const c = await postedConversation(rig, app, { subject: 'Bulk pricing' });
    await interact(port, parentAction({ actionId: Actions.overflow, user: MEMBER, parentTs: c.parentTs, number: c.id, action: { type: 'overflow', selected_option: { value: overflowValue(OverflowChoices.move, c.id) } } }));
    const view = latestView(rig, Views.move)!;
    expect(blocksText(view)).toContain('"text":"Sales"');
    expect(blocksText(view)).not.toContain('"text":"Acme Support"');

    const res = await submit(port, {
      callbackId: Views.move,
      user: MEMBER,
      privateMetadata: view.private_metadata!,
      values: { ...moveTo(2), [Fields.note.block]: { [Fields.note.action]: { type: 'plain_text_input', value: 'Big order, yours' } } },
    });
    expect(res.body).toBe('');
    const old = app.store.conversations.byId(c.id)!;
    const moved = app.store.conversations.byId(old.movedToId!)!;
    expect(moved).toMatchObject({ inboxId: 2, channelId: SALES, ourAddress: SALES_ADDRESS, subject: 'Bulk pricing', status: 'open' });

    // The new parent in #sales, with where it came from.
    const newParent = await waitFor(() => rig.slack.messagesIn(SALES).find((m) => m.metadata?.event_type === 'mailroom_conversation'));
    expect(newParent.ts).toBe(moved.slackTs);
    expect(blocksText(newParent)).toContain('Bulk pricing');
    const movedIn = await waitFor(() => rig.slack.threadOf(SALES, newParent.ts).find((m) => blocksText(m).includes('Moved here from')));
    expect(blocksText(movedIn)).toContain(`<https://mailroom-test.slack.com/archives/${CHANNEL}/p${c.parentTs.replace('.', '')}|earlier thread>`);
    await waitFor(() => rig.slack.threadOf(SALES, newParent.ts).find((m) => blocksText(m).includes('Big order, yours')));

    // The old parent and thread say where it went; its buttons are gone.
    const link = `<https://mailroom-test.slack.com/archives/${SALES}/p${newParent.ts.replace('.', '')}|continue there>`;
    await waitFor(() => blocksText(parentOf(rig, CHANNEL, c.parentTs)).includes(link));
    expect(blocksText(parentOf(rig, CHANNEL, c.parentTs))).not.toContain(Actions.close);
    await waitFor(() => rig.slack.threadOf(CHANNEL, c.parentTs).find((m) => blocksText(m).includes(':arrow_right: Moved to *Sales*') && blocksText(m).includes(link)));
    const events = app.store.events.between(0, Date.now() + 1);
    expect(events.find((e) => e.type === 'conversation.moved' && e.conversationId === c.id)?.data).toEqual({ toConversationId: moved.id, toInboxId: 2 });
    expect(events.find((e) => e.type === 'conversation.created' && e.conversationId === moved.id)?.data).toMatchObject({ origin: 'move', fromConversationId: c.id });

    // The customer answers the original thread (in the support mailbox): it lands in #sales.
    await rig.deliver(email({ subject: 'Re: Bulk pricing', inReplyTo: `<${c.messageId}>`, references: `<${c.messageId}>`, body: 'follow-up-after-move' }));
    await waitFor(() => rig.slack.threadOf(SALES, newParent.ts).find((m) => blocksText(m).includes('follow-up-after-move')), { timeoutMs: 10_000 });
    expect(rig.slack.threadOf(CHANNEL, c.parentTs).some((m) => blocksText(m).includes('follow-up-after-move'))).toBe(false);

    // A reply in the new thread answers the customer from the sales address, threaded.
    rig.smtp.clear();
    const typed = rig.slack.postAsUser(SALES, { user: MEMBER, text: 'Sales here, happy to help', thread_ts: newParent.ts });
    await rig.event(port, { ...threadReply({ threadTs: newParent.ts, text: 'Sales here, happy to help', ts: typed.ts }), channel: SALES });
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    expect(sent!.parsed.from?.value[0]?.address).toBe(SALES_ADDRESS);
    // Regression: reply-all after a move also went to the old inbox's address.
    expect(sent!.to).toEqual(['carla@customer.example']);
    expect(sent!.parsed.subject).toBe('Re: Bulk pricing');
    expect([sent!.parsed.references].flat()).toContain(`<${c.messageId}>`);
  });

  it('the Move to another inbox shortcut on a thread message opens the same modal', async () => {
    const c = await postedConversation(rig, app, { subject: 'Shortcut move' });
    const before = rig.slack.views().filter((v) => v.callback_id === Views.move).length;
    await interact(port, shortcutOn({ callbackId: Shortcuts.move, user: MEMBER, ts: c.emailTs, threadTs: c.parentTs }));
    await waitFor(() => rig.slack.views().filter((v) => v.callback_id === Views.move).length > before, { timeoutMs: 5000 });
    const view = latestView(rig, Views.move)!;
    expect(blocksText(view)).toContain('"text":"Sales"');
    expect(JSON.parse(view.private_metadata ?? '{}')).toMatchObject({ conversationNumber: c.id });
  });

  it('is only for members of both inboxes', async () => {
    const c = await postedConversation(rig, app);
    await interact(port, parentAction({ actionId: Actions.overflow, user: BOB, parentTs: c.parentTs, number: c.id, action: { type: 'overflow', selected_option: { value: overflowValue(OverflowChoices.move, c.id) } } }));
    // Bob is in Support only: the modal has nowhere to offer.
    await waitFor(() => blocksText(latestView(rig, Views.move)).includes('There is no other inbox to move it to.'));
    const refused = fieldErrors(await submit(port, { callbackId: Views.move, user: BOB, privateMetadata: JSON.stringify({ conversationNumber: c.id }), values: moveTo(2) }));
    expect(refused[Fields.inbox.block]).toMatch(/only move conversations to inboxes you are a member of/);
    const same = fieldErrors(await submit(port, { callbackId: Views.move, user: MEMBER, privateMetadata: JSON.stringify({ conversationNumber: c.id }), values: moveTo(1) }));
    expect(same[Fields.inbox.block]).toMatch(/already in the Acme Support inbox/);
    expect(app.store.conversations.byId(c.id)?.movedToId).toBeNull();
  });
});
