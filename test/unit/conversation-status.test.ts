import { describe, expect, it } from 'vitest';
import {
  CONVERSATION_STATUSES,
  isActive,
  isConversationStatus,
  isResolution,
  nextStatus,
  transition,
  type ConversationStatus,
  type StatusEvent,
} from '../../src/core/conversation-status.ts';

describe('conversation status', () => {
  const cases: [ConversationStatus, StatusEvent, ConversationStatus][] = [
    ['open', 'reply-sent', 'pending'],
    ['open', 'customer-wrote', 'open'],
    ['open', 'close', 'closed'],
    ['open', 'reopen', 'open'],
    ['pending', 'customer-wrote', 'open'],
    ['pending', 'reply-sent', 'pending'],
    ['pending', 'close', 'closed'],
    ['pending', 'reopen', 'pending'],
    ['closed', 'customer-wrote', 'open'],
    ['closed', 'reopen', 'open'],
    ['closed', 'reply-sent', 'closed'],
    ['closed', 'close', 'closed'],
    ['open', 'snooze', 'snoozed'],
    ['pending', 'snooze', 'snoozed'],
    ['snoozed', 'wake', 'open'],
    ['snoozed', 'customer-wrote', 'open'],
    ['snoozed', 'reply-sent', 'snoozed'],
    ['snoozed', 'wait', 'pending'],
    ['snoozed', 'close', 'closed'],
    ['open', 'wait', 'pending'],
    ['pending', 'wake', 'pending'],
    ['closed', 'snooze', 'closed'],
    ['closed', 'wait', 'closed'],
  ];
  it.each(cases)('%s + %s → %s', (from, event, to) => {
    expect(nextStatus(from, event)).toBe(to);
  });

  it('reports reopening only when a closed conversation comes back', () => {
    expect(transition('closed', 'customer-wrote')).toEqual({ status: 'open', changed: true, reopened: true });
    expect(transition('pending', 'customer-wrote')).toEqual({ status: 'open', changed: true, reopened: false });
    expect(transition('open', 'customer-wrote')).toEqual({ status: 'open', changed: false, reopened: false });
  });

  it('open, pending and snoozed are active, closed is not', () => {
    expect(CONVERSATION_STATUSES.filter(isActive)).toEqual(['open', 'pending', 'snoozed']);
  });

  it('guards recognise stored strings', () => {
    expect(isConversationStatus('pending')).toBe(true);
    expect(isConversationStatus('snoozed')).toBe(true);
    expect(isConversationStatus('archived')).toBe(false);
    expect(isResolution('no-reply-needed')).toBe(true);
    expect(isResolution('fixed')).toBe(false);
  });
});
