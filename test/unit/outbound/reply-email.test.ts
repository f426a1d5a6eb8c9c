import { describe, expect, it } from 'vitest';
import { tokenFromMessageId } from '../../../src/core/message-id.ts';
import { buildReplyEmail } from '../../../src/mail/outbound/reply-email.ts';
import type { BuildReplyInput } from '../../../src/mail/outbound/reply-email.ts';

const ana = { name: 'Ana Cliente', address: 'ana@customer.org' };

function input(overrides: Partial<BuildReplyInput> = {}): BuildReplyInput {
  return {
    fromAddress: 'support@acme.com',
    ourAddresses: ['support@acme.com', 'help@acme.com'],
    inboxName: 'Acme Support',
    authorName: 'Bruno',
    parent: {
      messageId: 'c@customer.org',
      references: ['a@customer.org', 'b@acme.com'],
      inReplyTo: 'b@acme.com',
      from: ana,
      replyTo: [],
      to: [{ name: '', address: 'help@acme.com' }],
      cc: [{ name: 'Carl', address: 'carl@customer.org' }],
      subject: 'AW: [EXT] Re: Broken widget',
    },
    text: 'Hi <@U1>, *fixed* :tada:',
    users: { U1: 'Ana' },
    token: 'k3y',
    ...overrides,
  };
}

describe('buildReplyEmail', () => {
  it('puts every piece of a reply together', () => {
    const email = buildReplyEmail(input({ date: new Date(0) }));
    expect(email.from).toEqual({ name: 'Bruno (Acme Support)', address: 'support@acme.com' });
    expect(email.to).toEqual([ana]);
    expect(email.cc).toEqual([{ name: 'Carl', address: 'carl@customer.org' }]);
    expect(email.bcc).toEqual([]);
    expect(email.subject).toBe('Re: Broken widget');
    expect(email.inReplyTo).toBe('c@customer.org');
    expect(email.references).toEqual(['a@customer.org', 'b@acme.com', 'c@customer.org']);
    expect(email.messageId).toMatch(/^mr\.k3y\.[\w-]+@acme\.com$/);
    expect(tokenFromMessageId(email.messageId)).toBe('k3y');
    expect(email.text).toBe('Hi @Ana, *fixed* 🎉\n');
    expect(email.html).toContain('<strong>fixed</strong>');
    expect(email.date).toEqual(new Date(0));
  });

  it('adds extra To/Cc from the reply modal without duplicates or our own addresses', () => {
    const email = buildReplyEmail(
      input({
        extraTo: [{ name: '', address: 'dora@partner.net' }, { name: '', address: 'ANA@customer.org' }],
        extraCc: [{ name: '', address: 'support+x@acme.com' }, { name: '', address: 'eve@partner.net' }],
        bcc: [{ name: '', address: 'audit@acme.com' }],
      }),
    );
    expect(email.to.map((a) => a.address)).toEqual(['ana@customer.org', 'dora@partner.net']);
    expect(email.cc.map((a) => a.address)).toEqual(['carl@customer.org', 'eve@partner.net']);
    expect(email.bcc.map((a) => a.address)).toEqual(['audit@acme.com']);
  });

  it('keeps a given Message-ID (a retry must not change it)', () => {
    expect(buildReplyEmail(input({ messageId: 'mr.k3y.fixed123@acme.com' })).messageId).toBe('mr.k3y.fixed123@acme.com');
  });

  it('refuses a reply with nobody to send to', () => {
    expect(() =>
      buildReplyEmail(input({ parent: { ...input().parent, from: { name: '', address: 'support@acme.com' }, to: [], cc: [] } })),
    ).toThrow(expect.objectContaining({ code: 'reply.no_recipients' }));
  });
});
