import type { InputBlock, KnownBlock, ModalView, StaticSelect } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { Fields, Views, bodyBlockId, isBodyBlockId } from '../../../src/slack/ui/ids.ts';
import { assignModal, readAssignMetadata } from '../../../src/slack/ui/views/assign.view.ts';
import { closeModal, CLOSE_TICKET_VALUE, readCloseMetadata } from '../../../src/slack/ui/views/close.view.ts';
import { encodeMetadata } from '../../../src/slack/ui/views/common.ts';
import { composeModal, readComposeMetadata, type ComposeVM } from '../../../src/slack/ui/views/compose.view.ts';
import { conversationOption, conversationOptions } from '../../../src/slack/ui/views/conversation-picker.view.ts';
import { contactOption, parseFromValue } from '../../../src/slack/ui/views/email-fields.ts';
import { forwardModal, readForwardMetadata } from '../../../src/slack/ui/views/forward.view.ts';
import { moveModal, readMoveMetadata } from '../../../src/slack/ui/views/move.view.ts';
import { readReplyMetadata, replyModal, type ReplyVM } from '../../../src/slack/ui/views/reply.view.ts';
import { readTicketMetadata, ticketModal } from '../../../src/slack/ui/views/ticket.view.ts';
import { viewProblems } from './block-kit-limits.ts';

const convo = { number: 42, subject: 'Invoice missing', contact: 'Jane Doe' };

function inputs(view: ModalView): InputBlock[] {
  return (view.blocks as KnownBlock[]).filter((b): b is InputBlock => b.type === 'input');
}

function inputById(view: ModalView, blockId: string): InputBlock {
  const found = inputs(view).find((b) => b.block_id === blockId);
  if (!found) throw new Error(`no input ${blockId} in ${view.callback_id}`);
  return found;
}

const composeVM: ComposeVM = {
  senders: [
    { inboxId: 1, inboxName: 'Support', addresses: ['support@acme.com', 'help@acme.com'] },
    { inboxId: 2, inboxName: 'Sales', addresses: ['sales@acme.com'] },
  ],
  defaultFrom: { inboxId: 2, index: 0 },
  templates: [{ id: 5, name: 'Thanks' }],
  channelId: 'C0SUP1',
};

describe('compose modal', () => {
  it('has From grouped by inbox with the default chosen, To/CC/BCC, contacts, subject, template, body, files and Send at', () => {
    const view = composeModal(composeVM);
    expect(view.callback_id).toBe(Views.compose);
    expect(inputs(view).map((b) => b.block_id)).toEqual([
      Fields.from.block, Fields.to.block, Fields.toContacts.block, Fields.cc.block, Fields.bcc.block,
      Fields.subject.block, Fields.template.block, bodyBlockId(0), Fields.files.block, Fields.sendAt.block,
    ]);
    expect(inputById(view, Fields.sendAt.block)).toMatchObject({ optional: true, element: { type: 'datetimepicker', action_id: Fields.sendAt.action } });
    const from = inputById(view, Fields.from.block).element as StaticSelect;
    expect(from.option_groups?.map((g) => g.label.text)).toEqual(['Support', 'Sales']);
    expect(parseFromValue(from.initial_option?.value)).toEqual({ inboxId: 2, index: 0 });
    expect(inputById(view, Fields.template.block).dispatch_action).toBe(true);
    expect(inputById(view, Fields.files.block).element.type).toBe('file_input');
    expect(inputById(view, Fields.files.block).dispatch_action).toBeUndefined();
    expect(viewProblems(view as never)).toEqual([]);
    expect(readComposeMetadata(view.private_metadata)).toEqual({ bodyRevision: 0, channelId: 'C0SUP1' });
  });

  it('re-rendering after a template changes the body block id and fills it', () => {
    const view = composeModal({ ...composeVM, bodyRevision: 2, initial: { body: 'Hi {first_name}', subject: 'Hello' } });
    const body = inputById(view, bodyBlockId(2));
    expect(isBodyBlockId(body.block_id!)).toBe(true);
    expect(body.element).toMatchObject({ initial_value: 'Hi {first_name}', multiline: true });
    expect(readComposeMetadata(view.private_metadata)?.bodyRevision).toBe(2);
  });

  it('cuts prefilled text to what the input accepts', () => {
    const view = composeModal({ ...composeVM, initial: { body: 'b'.repeat(10_000), subject: 's'.repeat(1000) } });
    expect(viewProblems(view as never)).toEqual([]);
  });

  it('with no inbox to send from it explains instead of offering a form', () => {
    const view = composeModal({ senders: [] });
    expect(view.submit).toBeUndefined();
    expect(inputs(view)).toHaveLength(0);
    expect(viewProblems(view as never)).toEqual([]);
  });

  it('caps From options at 100 over all inboxes', () => {
    const senders = Array.from({ length: 30 }, (_, i) => ({
      inboxId: i + 1,
      inboxName: `Inbox ${i}`,
      addresses: Array.from({ length: 5 }, (_, j) => `a${j}@inbox${i}.example`),
    }));
    const view = composeModal({ senders });
    const from = inputById(view, Fields.from.block).element as StaticSelect;
    expect(from.option_groups!.flatMap((g) => g.options)).toHaveLength(100);
    expect(viewProblems(view as never)).toEqual([]);
  });
});

describe('reply modal', () => {
  const vm: ReplyVM = {
    conversation: { number: 42, subject: 'Invoice <missing>', contact: { name: '@here Jane', address: 'jane@example.com' } },
    sender: { inboxId: 1, inboxName: 'Support', addresses: ['support@acme.com', 'help@acme.com'] },
    defaultFrom: { inboxId: 1, index: 1 },
    cc: [{ name: 'Ann, "A"', address: 'ann@example.com' }, { name: '', address: 'bo@example.com' }],
  };

  it('prefills CC, preselects the From, and asks to be told when closed', () => {
    const view = replyModal(vm);
    expect(view.callback_id).toBe(Views.reply);
    expect(view.notify_on_close).toBe(true);
    expect(inputById(view, Fields.cc.block).element).toMatchObject({ initial_value: 'Ann A <ann@example.com>, bo@example.com' });
    const from = inputById(view, Fields.from.block).element as StaticSelect;
    expect(from.options?.map((o) => o.text.text)).toEqual(['support@acme.com', 'help@acme.com']);
    expect(parseFromValue(from.initial_option?.value)).toEqual({ inboxId: 1, index: 1 });
    expect(view.title.text).toBe('Reply to #42');
    // Send at (optional), and an optional follow-up reminder.
    expect(inputById(view, Fields.sendAt.block)).toMatchObject({ optional: true, element: { type: 'datetimepicker' } });
    const remind = inputById(view, Fields.remind.block);
    expect(remind.optional).toBe(true);
    expect((remind.element as StaticSelect).options?.map((o) => o.value)).toEqual(['1d', '2d', '3d', '1w']);
    expect(viewProblems(view as never)).toEqual([]);
    expect(readReplyMetadata(view.private_metadata)).toEqual({ conversationNumber: 42, bodyRevision: 0 });
  });
});

describe('assign, close, ticket, move, forward modals', () => {
  it('assign from a slash command shows the picker with the newest open conversation', () => {
    const view = assignModal({ pickerInitial: convo, assigneeUserId: 'U0AAA1' });
    const picker = inputById(view, Fields.conversation.block);
    expect(picker.element).toMatchObject({ type: 'external_select', action_id: Fields.conversation.action, initial_option: { value: '42' } });
    expect(inputById(view, Fields.assignee.block).element).toMatchObject({ type: 'users_select', initial_user: 'U0AAA1' });
    expect(readAssignMetadata(view.private_metadata)).toEqual({});
    expect(viewProblems(view as never)).toEqual([]);
  });

  it('assign from a button knows the conversation: no picker', () => {
    const view = assignModal({ conversation: convo });
    expect(inputs(view).map((b) => b.block_id)).toEqual([Fields.assignee.block]);
    expect(readAssignMetadata(view.private_metadata)).toEqual({ conversationNumber: 42 });
  });

  it('close offers the resolutions and "also close ticket #N" checked by default', () => {
    const view = closeModal({ conversation: convo, ticket: { id: 7 } });
    const resolution = inputById(view, Fields.resolution.block).element;
    expect(resolution).toMatchObject({ type: 'radio_buttons', initial_option: { value: 'resolved' } });
    expect((resolution as { options: { value: string }[] }).options.map((o) => o.value)).toEqual(['resolved', 'no-reply-needed', 'spam', 'duplicate']);
    const ticket = inputById(view, Fields.closeTicket.block).element as { options: { text: { text: string } }[]; initial_options: { value: string }[] };
    expect(ticket.options[0]!.text.text).toBe('Also close ticket #7');
    expect(ticket.initial_options.map((o) => o.value)).toEqual([CLOSE_TICKET_VALUE]);
    expect(readCloseMetadata(view.private_metadata)).toEqual({ conversationNumber: 42, ticketId: 7 });
    expect(viewProblems(view as never)).toEqual([]);
  });

  it('close without a ticket has no ticket box; from the picker it offers one', () => {
    expect(inputs(closeModal({ conversation: convo })).map((b) => b.block_id)).not.toContain(Fields.closeTicket.block);
    const picked = closeModal({ pickerInitial: convo });
    expect(inputs(picked).map((b) => b.block_id)).toEqual([Fields.conversation.block, Fields.resolution.block, Fields.note.block, Fields.closeTicket.block]);
  });

  it('ticket, move and forward carry the conversation and validate', () => {
    const ticket = ticketModal({ conversation: convo, priority: 'high' });
    expect(inputById(ticket, Fields.priority.block).element).toMatchObject({ initial_option: { value: 'high' } });
    expect(readTicketMetadata(ticket.private_metadata)).toEqual({ conversationNumber: 42 });

    const move = moveModal({ conversation: convo, inboxes: [{ id: 2, name: 'Sales' }] });
    expect(inputById(move, Fields.inbox.block).element).toMatchObject({ options: [{ value: '2' }] });
    expect(readMoveMetadata(move.private_metadata)).toEqual({ conversationNumber: 42 });
    const nowhere = moveModal({ conversation: convo, inboxes: [] });
    expect(nowhere.submit).toBeUndefined();

    const forward = forwardModal({ conversation: convo, email: { rowId: 9, from: { name: 'Jane', address: 'jane@example.com' }, date: 0, subject: 'Hi' } });
    expect(inputs(forward).map((b) => b.block_id)).toEqual([Fields.forwardTo.block, Fields.note.block]);
    expect(readForwardMetadata(forward.private_metadata)).toEqual({ conversationNumber: 42, messageRowId: 9 });
    for (const v of [ticket, move, nowhere, forward]) expect(viewProblems(v as never)).toEqual([]);
  });

  it('regression: hostile conversation subjects and contacts in modals never ping', () => {
    const evil = { number: 1, subject: '<!channel> @here', contact: '<@U0BOSS> @everyone' };
    for (const v of [assignModal({ conversation: evil }), closeModal({ conversation: evil }), ticketModal({ conversation: evil }), assignModal({ pickerInitial: evil })]) {
      expect(viewProblems(v as never)).toEqual([]);
    }
  });
});

describe('conversation options', () => {
  it('reads "#42 · Subject · Name" and stays within 75 characters', () => {
    expect(conversationOption(convo)).toEqual({ text: { type: 'plain_text', text: '#42 · Invoice missing · Jane Doe', emoji: true }, value: '42' });
    const long = conversationOption({ number: 123456, subject: 'S'.repeat(300), contact: 'N'.repeat(300) });
    expect(long.text.text.length).toBeLessThanOrEqual(75);
    expect(long.text.text.startsWith('#123456 · SSS')).toBe(true);
    expect(long.text.text).toMatch(/· N+…$/);
    expect(conversationOption({ number: 3, subject: '  ', contact: '' }).text.text).toBe('#3 · (no subject)');
  });

  it('the suggestion response holds at most 100 options', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ ...convo, number: i + 1 }));
    expect(conversationOptions(many).options).toHaveLength(100);
  });

  it('contact options carry the id, not the address', () => {
    expect(contactOption({ id: 3, name: 'Jane', email: 'jane@example.com' })).toMatchObject({ text: { text: 'Jane <jane@example.com>' }, value: '3' });
  });
});

describe('private_metadata', () => {
  it('round-trips and rejects what is not ours', () => {
    expect(readReplyMetadata(encodeMetadata({ conversationNumber: 5, bodyRevision: 1 }))).toEqual({ conversationNumber: 5, bodyRevision: 1 });
    expect(readReplyMetadata('not json')).toBeNull();
    expect(readReplyMetadata('{"conversationNumber":"5"}')).toBeNull();
    expect(readReplyMetadata(undefined)).toBeNull();
  });

  it('refuses to build metadata over 3,000 characters', () => {
    expect(() => encodeMetadata({ x: 'y'.repeat(3000) })).toThrow(expect.objectContaining({ code: 'slack.metadata_too_large' }));
  });
});
