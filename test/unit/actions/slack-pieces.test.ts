import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import { assignmentDm } from '../../../src/slack/ui/blocks/assignment-dm.ts';
import { Fields } from '../../../src/slack/ui/ids.ts';
import { numberFromActionsBlock } from '../../../src/slack/inbound/listeners/actions/conversation-buttons.action.ts';
import { numberInCommand } from '../../../src/slack/inbound/listeners/commands/assign-close.command.ts';
import { errorsFor, targetOf } from '../../../src/slack/inbound/listeners/views/submission-errors.ts';

const vm = {
  number: 12,
  subject: 'Refund <!channel> *now*',
  contact: { name: 'Carla', address: 'carla@x.com' },
  inboxName: 'Support',
  channelId: 'C0SUP1',
  permalink: 'https://acme.slack.com/archives/C0SUP1/p1700000000000100',
  byUserId: 'U0ANA1',
  automatic: false,
};

describe('assignment DM', () => {
  it('says who assigned what, links to the thread, and cannot ping', () => {
    const m = assignmentDm(vm);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('<@U0ANA1> assigned you conversation *#12*');
    expect(text).toContain('<https://acme.slack.com/archives/C0SUP1/p1700000000000100|Open the conversation>');
    expect(text).not.toContain('<!channel>');
    expect(m.text).not.toMatch(/<[@!#]/);
  });

  it('says when it was automatic, and leaves the link out when the parent is not posted yet', () => {
    const m = assignmentDm({ ...vm, automatic: true, byUserId: null, permalink: null });
    expect(JSON.stringify(m.blocks)).toContain('Automatic assignment gave you');
    expect(m.blocks).toHaveLength(1);
  });
});

describe('reading ids', () => {
  it('takes a conversation number from command text', () => {
    expect(numberInCommand(' #42 ')).toBe(42);
    expect(numberInCommand('42')).toBe(42);
    expect(numberInCommand('')).toBeNull();
    expect(numberInCommand('#42 please')).toBeNull();
    expect(numberInCommand('#0')).toBeNull();
  });

  it('takes the number from the parent actions block id', () => {
    expect(numberFromActionsBlock('mr_parent_actions.17.U0ANA1')).toBe(17);
    expect(numberFromActionsBlock('mr_parent_actions.17.none')).toBe(17);
    expect(numberFromActionsBlock('mr_parent_actionsX17.none')).toBeNull();
    expect(numberFromActionsBlock(undefined)).toBeNull();
  });
});

describe('modal submissions', () => {
  const log = { error: () => {} };
  it('finds the conversation in the metadata, else in the picker', () => {
    expect(targetOf(5, {})).toEqual({ id: 5, pickerBlock: null });
    const values = { [Fields.conversation.block]: { [Fields.conversation.action]: { selected_option: { value: '9' } } } };
    expect(targetOf(undefined, values)).toEqual({ id: 9, pickerBlock: Fields.conversation.block });
    expect(targetOf(undefined, {}).id).toBeNull();
  });

  it('puts a refusal on the field it is about, in plain text', () => {
    const err = new AppError('assign.bad_assignee', 'x', '<@U0BOB1> is not a member of the *Support* inbox.');
    expect(errorsFor(err, { pickerBlock: 'picker', fallback: 'first', byCode: { 'assign.bad_assignee': 'who' }, log })).toEqual({ who: 'That person is not a member of the Support inbox.' });
    expect(errorsFor(new AppError('inbox.not_member', 'x', 'no'), { pickerBlock: 'picker', fallback: 'first', log })).toEqual({ picker: 'no' });
    expect(errorsFor(new Error('boom'), { pickerBlock: null, fallback: 'first', log })).toEqual({ first: expect.stringMatching(/went wrong/) });
  });
});
