import { describe, expect, it } from 'vitest';
import { assignModal, readAssignMetadata } from '../../../src/slack/ui/views/assign.view.ts';
import { closeModal, readCloseMetadata } from '../../../src/slack/ui/views/close.view.ts';

const convo = { number: 42, subject: 'Zip', contact: 'Ann' };

// The options request of an external select carries the view but no channel: the channel the
// command was typed in rides in private_metadata so the picker can list its conversations first.
describe('picker modals remember the command channel', () => {
  it('assign', () => {
    expect(readAssignMetadata(assignModal({ pickerInitial: convo, channelId: 'C0SUP1' }).private_metadata)).toEqual({ channelId: 'C0SUP1' });
    expect(readAssignMetadata(assignModal({ conversation: convo, channelId: 'C0SUP1' }).private_metadata)).toEqual({ conversationNumber: 42 });
  });

  it('close', () => {
    expect(readCloseMetadata(closeModal({ channelId: 'C0SUP1' }).private_metadata)).toEqual({ channelId: 'C0SUP1' });
    expect(readCloseMetadata(closeModal({ conversation: convo, ticket: { id: 3 }, channelId: 'C0SUP1' }).private_metadata)).toEqual({ conversationNumber: 42, ticketId: 3 });
  });
});
