import { describe, expect, it } from 'vitest';
import { findConversation, subjectConversationNumber, threadingIds, type ThreadLookup } from '../../src/core/threading.ts';

function lookup(ids: Record<string, number>, tokens: Record<string, number> = {}, contacts: Record<number, string> = {}): ThreadLookup {
  return {
    conversationOfMessageId: (id) => ids[id],
    conversationOfToken: (t) => tokens[t],
    contactOfConversation: (n) => contacts[n],
  };
}
const email = (over: Partial<Parameters<typeof findConversation>[0]> = {}) => ({
  inReplyTo: null,
  references: [],
  subject: 'Hello',
  fromAddress: 'ann@customer.com',
  ...over,
});

describe('threadingIds', () => {
  it('puts In-Reply-To first, then References newest first, without repeats', () => {
    expect(threadingIds({ inReplyTo: 'c@x', references: ['a@x', 'b@x', 'c@x'] })).toEqual(['c@x', 'b@x', 'a@x']);
  });
});

describe('findConversation', () => {
  it('follows In-Reply-To', () => {
    expect(findConversation(email({ inReplyTo: 'a@x' }), lookup({ 'a@x': 7 }))).toEqual({ conversationId: 7, via: 'in-reply-to' });
  });

  it('falls back to References, newest first', () => {
    const e = email({ inReplyTo: 'unknown@x', references: ['old@x', 'new@x'] });
    expect(findConversation(e, lookup({ 'old@x': 1, 'new@x': 2 }))).toEqual({ conversationId: 2, via: 'references' });
  });

  it('then uses the token in one of our Message-IDs', () => {
    const e = email({ inReplyTo: 'mr.abc123.zzzzzzzz@acme.com' });
    expect(findConversation(e, lookup({}, { abc123: 9 }))).toEqual({ conversationId: 9, via: 'token' });
  });

  it('accepts a [#n] subject token only from that conversation’s contact', () => {
    const l = lookup({}, {}, { 42: 'ann@customer.com' });
    expect(findConversation(email({ subject: 'Re: Order [#42]' }), l)).toEqual({ conversationId: 42, via: 'subject' });
    expect(findConversation(email({ subject: 'Re: Order [#42]', fromAddress: 'bob@other.com' }), l)).toBeNull();
  });

  it('never threads on the subject text alone', () => {
    expect(findConversation(email({ subject: 'Re: Hello' }), lookup({ 'x@y': 1 }))).toBeNull();
  });
});

describe('subjectConversationNumber', () => {
  it('reads the last [#n]', () => {
    expect(subjectConversationNumber('Re: [#3] thing [#12]')).toBe(12);
    expect(subjectConversationNumber('issue #12')).toBeNull();
  });
});
