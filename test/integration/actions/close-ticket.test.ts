// Tickets, closing (with the ticket) and reopening, from the parent's buttons, the overflow menu,
// /close and the Close-or-reopen shortcut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, Fields, OverflowChoices, Shortcuts, Views, overflowValue } from '../../../src/slack/ui/ids.ts';
import { CLOSE_TICKET_VALUE } from '../../../src/slack/ui/views/close.view.ts';
import { CHANNEL, MEMBER, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import { blocksText, command, fieldErrors, interact, latestView, parentAction, parentOf, postedConversation, shortcutOn, submit } from './actions-rig.ts';

const OUTSIDER = 'U0OUTSIDE1';
let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: OUTSIDER, name: 'olga', real_name: 'Olga Outsider' });
  rig.slack.state.channels.get(CHANNEL)!.members.push(OUTSIDER);
  ({ app, port } = await rig.start({ MAILROOM_MEMBERS: MEMBER }));
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

const radio = (field: { block: string; action: string }, value: string) => ({ [field.block]: { [field.action]: { type: 'radio_buttons', selected_option: { value } } } });
const noteIn = (rig: Rig, parentTs: string, text: string) =>
  waitFor(() => rig.slack.threadOf(CHANNEL, parentTs).find((m) => m.metadata?.event_type === 'mailroom_note' && blocksText(m).includes(text)));

describe('a ticket, then closing both', () => {
  it('creates a ticket from the overflow menu, shows it, and closes it with the conversation', async () => {
    const c = await postedConversation(rig, app, { subject: 'Refund please' });
    await interact(port, parentAction({ actionId: Actions.overflow, user: MEMBER, parentTs: c.parentTs, number: c.id, action: { type: 'overflow', selected_option: { value: overflowValue(OverflowChoices.createTicket, c.id) } } }));
    const ticketView = latestView(rig, Views.ticket)!;
    expect(blocksText(ticketView)).toContain('Refund please');
    expect(fieldErrors(await submit(port, { callbackId: Views.ticket, user: MEMBER, values: {}, privateMetadata: ticketView.private_metadata! }))[Fields.priority.block]).toBe('Choose a priority.');
    const created = await submit(port, { callbackId: Views.ticket, user: MEMBER, values: radio(Fields.priority, 'high'), privateMetadata: ticketView.private_metadata! });
    expect(created.body).toBe('');
    const ticket = app.store.tickets.openFor(c.id)!;
    expect(ticket).toMatchObject({ priority: 'high', status: 'open', createdBy: MEMBER });
    await waitFor(() => blocksText(parentOf(rig, CHANNEL, c.parentTs)).includes(`Ticket #${ticket.id} · high · open`));
    await noteIn(rig, c.parentTs, `Ticket #${ticket.id} created (high priority)`);

    // Close: the modal offers to close the ticket too, checked by default.
    await interact(port, parentAction({ actionId: Actions.close, user: MEMBER, parentTs: c.parentTs, number: c.id, value: String(c.id) }));
    const closeView = latestView(rig, Views.close)!;
    const check = (closeView.blocks as { block_id?: string; element?: { initial_options?: { value: string }[] }; label?: { text: string } }[]).find((b) => b.block_id === Fields.closeTicket.block);
    expect(check?.element?.initial_options?.map((o) => o.value)).toEqual([CLOSE_TICKET_VALUE]);
    expect(JSON.stringify(check)).toContain(`Also close ticket #${ticket.id}`);
    const res = await submit(port, {
      callbackId: Views.close,
      user: MEMBER,
      privateMetadata: closeView.private_metadata!,
      values: {
        ...radio(Fields.resolution, 'resolved'),
        [Fields.note.block]: { [Fields.note.action]: { type: 'plain_text_input', value: 'Refunded <!channel> via Stripe' } },
        [Fields.closeTicket.block]: { [Fields.closeTicket.action]: { type: 'checkboxes', selected_options: [{ value: CLOSE_TICKET_VALUE }] } },
      },
    });
    expect(res.body).toBe('');
    expect(app.store.conversations.byId(c.id)).toMatchObject({ status: 'closed', resolution: 'resolved' });
    expect(app.store.tickets.byId(ticket.id)?.status).toBe('closed');
    await waitFor(() => blocksText(parentOf(rig, CHANNEL, c.parentTs)).includes(':white_check_mark: Closed · Resolved'));
    expect(blocksText(parentOf(rig, CHANNEL, c.parentTs))).toContain(`Ticket #${ticket.id} · high · closed`);
    expect(blocksText(parentOf(rig, CHANNEL, c.parentTs))).toContain(Actions.reopen);
    const note = await noteIn(rig, c.parentTs, 'Closed as _Resolved_');
    expect(blocksText(note)).toContain(`with ticket #${ticket.id} by <@${MEMBER}>`);
    expect(blocksText(note)).not.toContain('<!channel>');
    const types = app.store.events.between(0, Date.now() + 1).filter((e) => e.conversationId === c.id).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['ticket.created', 'conversation.closed', 'ticket.closed']));
  });

  it('leaves the ticket open when the box is unticked', async () => {
    const c = await postedConversation(rig, app);
    const t = app.store.tickets.create({ conversationId: c.id, priority: 'normal', createdBy: MEMBER }).ticket;
    await submit(port, {
      callbackId: Views.close,
      user: MEMBER,
      privateMetadata: JSON.stringify({ conversationNumber: c.id, ticketId: t.id }),
      values: { ...radio(Fields.resolution, 'spam'), [Fields.closeTicket.block]: { [Fields.closeTicket.action]: { type: 'checkboxes', selected_options: [] } } },
    });
    expect(app.store.conversations.byId(c.id)?.resolution).toBe('spam');
    expect(app.store.tickets.byId(t.id)?.status).toBe('open');
  });
});

describe('reopening', () => {
  it('reopens with the button, says so in the thread, and the parent offers Close again', async () => {
    const c = await postedConversation(rig, app);
    app.store.conversations.setStatus(c.id, 'closed', 'no-reply-needed');
    await interact(port, parentAction({ actionId: Actions.reopen, user: MEMBER, parentTs: c.parentTs, number: c.id, value: String(c.id) }));
    expect(app.store.conversations.byId(c.id)).toMatchObject({ status: 'open', resolution: null });
    await noteIn(rig, c.parentTs, `Reopened by <@${MEMBER}>`);
    await waitFor(() => blocksText(parentOf(rig, CHANNEL, c.parentTs)).includes(`"action_id":"${Actions.close}"`));
  });

  it('the Close-or-reopen shortcut on a thread message reopens a closed conversation', async () => {
    const c = await postedConversation(rig, app);
    app.store.conversations.setStatus(c.id, 'closed', 'resolved');
    await interact(port, shortcutOn({ callbackId: Shortcuts.close, user: MEMBER, ts: c.emailTs, threadTs: c.parentTs }));
    expect(app.store.conversations.byId(c.id)?.status).toBe('open');
  });

  it('refuses a non-member privately', async () => {
    const c = await postedConversation(rig, app);
    app.store.conversations.setStatus(c.id, 'closed', 'resolved');
    await interact(port, parentAction({ actionId: Actions.reopen, user: OUTSIDER, parentTs: c.parentTs, number: c.id, value: String(c.id) }));
    expect(app.store.conversations.byId(c.id)?.status).toBe('closed');
    expect(rig.slack.ephemerals().find((e) => e.user === OUTSIDER)?.text).toMatch(/Only members of the \*Acme Support\* inbox can reopen/);
  });
});

describe('/close and modals for non-members', () => {
  it('closes the conversation picked in /close, and a non-member sees why in the modal', async () => {
    const c = await postedConversation(rig, app);
    await command(port, { command: '/close', user: MEMBER, channel: CHANNEL });
    const view = latestView(rig, Views.close)!;
    expect(JSON.parse(view.private_metadata!)).toEqual({ channelId: CHANNEL });
    const pick = { [Fields.conversation.block]: { [Fields.conversation.action]: { type: 'external_select', selected_option: { value: String(c.id) } } } };
    const refused = fieldErrors(await submit(port, { callbackId: Views.close, user: OUTSIDER, privateMetadata: view.private_metadata!, values: { ...pick, ...radio(Fields.resolution, 'resolved') } }));
    expect(refused[Fields.conversation.block]).toMatch(/Only members of the Acme Support inbox can close/);
    const noResolution = fieldErrors(await submit(port, { callbackId: Views.close, user: MEMBER, privateMetadata: view.private_metadata!, values: pick }));
    expect(noResolution[Fields.resolution.block]).toBe('Choose a resolution.');
    await submit(port, { callbackId: Views.close, user: MEMBER, privateMetadata: view.private_metadata!, values: { ...pick, ...radio(Fields.resolution, 'duplicate') } });
    expect(app.store.conversations.byId(c.id)).toMatchObject({ status: 'closed', resolution: 'duplicate' });
    const again = fieldErrors(await submit(port, { callbackId: Views.close, user: MEMBER, privateMetadata: view.private_metadata!, values: { ...pick, ...radio(Fields.resolution, 'resolved') } }));
    expect(again[Fields.conversation.block]).toMatch(/already closed/);

    // The Close button opens the form for anyone, then turns it into the explanation for a non-member.
    const d = await postedConversation(rig, app);
    await interact(port, parentAction({ actionId: Actions.close, user: OUTSIDER, parentTs: d.parentTs, number: d.id, value: String(d.id) }));
    const shown = await waitFor(() => {
      const v = latestView(rig, Views.close);
      return v && !v.submit && blocksText(v).includes('Only members') ? v : undefined;
    });
    expect(blocksText(shown)).toContain('Acme Support');
  });
});
