import { describe, expect, it } from 'vitest';
import { replyHeaders, replyRecipients, trimReferences } from '../../../src/core/reply-headers.ts';

describe('replyHeaders (RFC 5322 §3.6.4)', () => {
  it('first reply: parent has no References or In-Reply-To', () => {
    expect(replyHeaders({ messageId: 'a@x.com', references: [], inReplyTo: null })).toEqual({
      inReplyTo: 'a@x.com',
      references: ['a@x.com'],
    });
  });

  it("uses the parent's References followed by the parent's id", () => {
    expect(replyHeaders({ messageId: 'c@x.com', references: ['a@x.com', 'b@x.com'], inReplyTo: 'b@x.com' })).toEqual({
      inReplyTo: 'c@x.com',
      references: ['a@x.com', 'b@x.com', 'c@x.com'],
    });
  });

  it("falls back to the parent's In-Reply-To when it has no References", () => {
    expect(replyHeaders({ messageId: 'b@x.com', references: [], inReplyTo: 'a@x.com' }).references).toEqual(['a@x.com', 'b@x.com']);
  });

  it('without a parent Message-ID there is no In-Reply-To, and References keeps the ancestry', () => {
    expect(replyHeaders({ messageId: null, references: ['a@x.com'], inReplyTo: null })).toEqual({ inReplyTo: null, references: ['a@x.com'] });
    expect(replyHeaders({ messageId: '  ', references: [], inReplyTo: null })).toEqual({ inReplyTo: null, references: [] });
  });

  it('normalises brackets, drops garbage and duplicates, and keeps the parent last', () => {
    const headers = replyHeaders({
      messageId: '<c@x.com>',
      references: ['<a@x.com>', 'not an id', 'a@x.com', 'c@x.com', 'b@x.com', 'x\r\nBcc: e@x.com'],
      inReplyTo: null,
    });
    expect(headers).toEqual({ inReplyTo: 'c@x.com', references: ['a@x.com', 'b@x.com', 'c@x.com'] });
  });

  it('trims a long chain to the root and the latest', () => {
    const refs = Array.from({ length: 40 }, (_, i) => `msg${i}@example.com`);
    const headers = replyHeaders({ messageId: 'parent@example.com', references: refs, inReplyTo: 'msg39@example.com' });
    expect(headers.references).toHaveLength(20);
    expect(headers.references[0]).toBe('msg0@example.com');
    expect(headers.references.at(-1)).toBe('parent@example.com');
    expect(headers.references.at(-2)).toBe('msg39@example.com');
    expect(headers.references).not.toContain('msg10@example.com');
  });
});

describe('trimReferences', () => {
  const ids = (n: number, len = 40) => Array.from({ length: n }, (_, i) => `${String(i).padStart(3, '0')}${'x'.repeat(len - 15)}@example.com`);

  it('leaves a short list alone', () => {
    const list = ids(5);
    expect(trimReferences(list)).toEqual(list);
  });

  it('respects the character budget, counting brackets and spaces', () => {
    const list = ids(30, 60); // 63 chars each written
    const trimmed = trimReferences(list, { maxChars: 900 });
    expect(trimmed[0]).toBe(list[0]);
    expect(trimmed.at(-1)).toBe(list.at(-1));
    expect(trimmed.reduce((n, id) => n + id.length + 3, 0)).toBeLessThanOrEqual(900);
    expect(trimmed).toEqual([list[0], ...list.slice(list.length - (trimmed.length - 1))]);
  });

  it('respects the id count', () => {
    const list = ids(12);
    expect(trimReferences(list, { maxIds: 4 })).toEqual([list[0], list[9], list[10], list[11]]);
  });

  it('keeps root and parent even when they alone exceed the budget', () => {
    const list = ids(3, 600);
    expect(trimReferences(list, { maxChars: 900 })).toEqual([list[0], list[2]]);
    expect(trimReferences([])).toEqual([]);
  });
});

describe('replyRecipients', () => {
  const ours = ['support@acme.com', 'help@acme.com'];
  const ana = { name: 'Ana', address: 'ana@customer.com' };

  it('replies to the sender and keeps the others in CC', () => {
    const result = replyRecipients({
      lastInbound: {
        from: ana,
        replyTo: [],
        to: [{ name: 'Support', address: 'support@acme.com' }, { name: 'Bob', address: 'bob@customer.com' }],
        cc: [{ name: 'Cy', address: 'cy@partner.org' }],
      },
      ourAddresses: ours,
    });
    expect(result).toEqual({
      to: [ana],
      cc: [
        { name: 'Bob', address: 'bob@customer.com' },
        { name: 'Cy', address: 'cy@partner.org' },
      ],
    });
  });

  it('honours Reply-To', () => {
    const result = replyRecipients({
      lastInbound: { from: ana, replyTo: [{ name: 'Tickets', address: 'tickets@customer.com' }], to: [{ name: '', address: 'support@acme.com' }], cc: [] },
      ourAddresses: ours,
    });
    expect(result).toEqual({ to: [{ name: 'Tickets', address: 'tickets@customer.com' }], cc: [] });
  });

  it('removes our addresses (any case, sub-addresses), duplicates and invalid addresses', () => {
    const result = replyRecipients({
      lastInbound: {
        from: ana,
        replyTo: [],
        to: [{ name: '', address: 'SUPPORT@ACME.COM' }, { name: '', address: 'help+x@acme.com' }, { name: '', address: 'ANA@customer.com' }],
        cc: [{ name: 'Bob', address: 'bob@customer.com' }, { name: 'Bob again', address: 'Bob@Customer.com' }, { name: '', address: 'undisclosed-recipients:' }],
      },
      ourAddresses: ours,
    });
    expect(result).toEqual({ to: [ana], cc: [{ name: 'Bob', address: 'bob@customer.com' }] });
  });

  it('never sends to ourselves when the customer set Reply-To to our address', () => {
    const result = replyRecipients({
      lastInbound: { from: ana, replyTo: [{ name: '', address: 'support@acme.com' }], to: [], cc: [] },
      ourAddresses: ours,
    });
    expect(result).toEqual({ to: [], cc: [] });
  });

  it('answering our own message goes to its recipients again', () => {
    const result = replyRecipients({
      lastInbound: {
        from: { name: 'Acme Support', address: 'support@acme.com' },
        replyTo: [],
        to: [ana],
        cc: [{ name: 'Bob', address: 'bob@customer.com' }],
      },
      ourAddresses: ours,
    });
    expect(result).toEqual({ to: [ana], cc: [{ name: 'Bob', address: 'bob@customer.com' }] });
  });

  it('promotes CC to To when nobody else is left', () => {
    const result = replyRecipients({
      lastInbound: { from: null, replyTo: [], to: [{ name: '', address: 'support@acme.com' }], cc: [ana] },
      ourAddresses: ours,
    });
    expect(result).toEqual({ to: [ana], cc: [] });
  });
});
