// Forwarding an email to any address (sent through the outbox with the original attached,
// fetched back from IMAP) and showing an email whole.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { NOT_FETCHED } from '../../../src/mail/outbound/forward-email.ts';
import { Actions, Fields, OverflowChoices, Shortcuts, Views, overflowValue } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, INBOX_ADDRESS, MEMBER, startRig, type Rig } from '../../helpers/mailroom.ts';
import { blockActions } from '../../support/slack-requests.ts';
import { waitFor } from '../../support/wait.ts';
import { blocksText, fieldErrors, interact, latestView, parentAction, postedConversation, shortcutOn, submit } from './actions-rig.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  ({ app, port } = await rig.start());
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});
beforeEach(() => rig.smtp.clear());

const forwardValues = (to: string, note = '') => ({
  [Fields.forwardTo.block]: { [Fields.forwardTo.action]: { type: 'plain_text_input', value: to } },
  [Fields.note.block]: { [Fields.note.action]: { type: 'plain_text_input', value: note } },
});

describe('forward', () => {
  it('sends the email the shortcut was used on, with the original attached, and notes it in the thread', async () => {
    const c = await postedConversation(rig, app, { subject: 'Damaged parcel' });
    await interact(port, shortcutOn({ callbackId: Shortcuts.forward, user: MEMBER, ts: c.emailTs, threadTs: c.parentTs }));
    const view = latestView(rig, Views.forward)!;
    expect(blocksText(view)).toContain('Forwarding the email from');
    const meta = view.private_metadata!;

    expect(fieldErrors(await submit(port, { callbackId: Views.forward, user: MEMBER, privateMetadata: meta, values: forwardValues('billing at partner') }))[Fields.forwardTo.block]).toBe(
      'Not an email address: billing at partner',
    );
    expect(fieldErrors(await submit(port, { callbackId: Views.forward, user: MEMBER, privateMetadata: meta, values: forwardValues('') }))[Fields.forwardTo.block]).toBe('Enter at least one address.');
    expect(fieldErrors(await submit(port, { callbackId: Views.forward, user: MEMBER, privateMetadata: meta, values: forwardValues(INBOX_ADDRESS) }))[Fields.forwardTo.block]).toMatch(/one of Mailroom's own inboxes/);

    const ok = await submit(port, { callbackId: Views.forward, user: MEMBER, privateMetadata: meta, values: forwardValues('Billing <billing@partner.example>', 'Please refund this one') });
    expect(ok.body).toBe('');
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    expect(sent!.to).toEqual(['billing@partner.example']);
    expect(sent!.parsed.subject).toBe('Fwd: Damaged parcel');
    expect(sent!.parsed.from?.value[0]).toEqual({ name: 'Ana Lima (Acme Support)', address: INBOX_ADDRESS });
    const raw = sent!.raw.toString();
    expect(raw).toMatch(/Content-Type: message\/rfc822/);
    // Regression: nodemailer made the forwarded original an inline part.
    expect(raw).toMatch(/Content-Type: message\/rfc822[^]*?Content-Disposition: attachment/);
    expect(raw).toContain(`Message-ID: <${c.messageId}>`);
    expect(sent!.parsed.text).toContain('Please refund this one');
    expect(sent!.parsed.text).toContain('---------- Forwarded message ----------');

    await waitFor(() => rig.slack.threadOf(CHANNEL, c.parentTs).find((m) => blocksText(m).includes('Forwarded to billing@partner.example') && blocksText(m).includes(`by <@${MEMBER}>`)));
    await waitFor(() => app.store.events.between(0, Date.now() + 1).find((e) => e.type === 'email.forwarded' && e.conversationId === c.id && e.actorUserId === MEMBER));
    expect(app.store.conversations.byId(c.id)?.status).toBe('open');
  });

  it('puts the text inline, and says so, when the original is gone from the mailbox', async () => {
    const c = await postedConversation(rig, app, { subject: 'Gone from IMAP' });
    const client = await rig.dovecot.connect();
    await client.mailboxOpen('INBOX');
    const uid = app.store.mailLocations.of(app.store.messages.lastInbound(c.id)!.id)!.location.uid;
    await client.messageDelete(String(uid), { uid: true });
    await client.logout();
    await interact(port, parentAction({ actionId: Actions.overflow, user: MEMBER, parentTs: c.parentTs, number: c.id, action: { type: 'overflow', selected_option: { value: overflowValue(OverflowChoices.forward, c.id) } } }));
    const view = latestView(rig, Views.forward)!;
    await submit(port, { callbackId: Views.forward, user: MEMBER, privateMetadata: view.private_metadata!, values: forwardValues('ops@partner.example') });
    const [sent] = await rig.smtp.waitForMessages(1, 10_000);
    expect(sent!.parsed.attachments).toEqual([]);
    expect(sent!.parsed.text).toContain(NOT_FETCHED);
    expect(sent!.parsed.text).toContain('Please help.');
  });
});

describe('show full message', () => {
  it('opens at once, then shows the whole email read back from the mailbox, quotes and all', async () => {
    const quoted = '\n\nOn Mon, 1 Jan 2024, Support <support@example.com> wrote:\n> the-earlier-answer-quoted\n> second line';
    const c = await postedConversation(rig, app, { subject: 'Long story', extraBody: quoted });
    // The thread shows only what the customer added; the full view has the quote too.
    expect(rig.slack.threadOf(CHANNEL, c.parentTs).some((m) => blocksText(m).includes('the-earlier-answer-quoted'))).toBe(false);
    // The email says so, with a button on it (the parent's ⋯ menu has no room).
    expect(blocksText(rig.slack.threadOf(CHANNEL, c.parentTs).find((m) => m.ts === c.emailTs))).toContain(Actions.showFullEmail);
    rig.slack.clearCalls();
    await interact(port, blockActions({ actionId: Actions.showFullEmail, user: MEMBER, channel: CHANNEL, message: { ts: c.emailTs, thread_ts: c.parentTs, type: 'message' } }));
    expect(blocksText(rig.slack.calls('views.open')[0]!.args.view as { blocks?: unknown[] })).toContain('Fetching the whole email');
    const update = await rig.slack.waitForCall('views.update');
    const shown = blocksText(update.args.view as { blocks?: unknown[] });
    expect(shown).toContain('Long story');
    expect(shown).toContain('Please help.');
    expect(shown).toContain('the-earlier-answer-quoted');
    expect(shown).toContain('carla@customer.example');
  });

  it('an older parent\'s ⋯ menu entry still opens it', async () => {
    const c = await postedConversation(rig, app, { subject: 'Old parent' });
    rig.slack.clearCalls();
    await interact(port, parentAction({ actionId: Actions.overflow, user: MEMBER, parentTs: c.parentTs, number: c.id, action: { type: 'overflow', selected_option: { value: overflowValue(OverflowChoices.showFull, c.id) } } }));
    const update = await rig.slack.waitForCall('views.update');
    expect(blocksText(update.args.view as { blocks?: unknown[] })).toContain('Old parent');
  });
});
