import { describe, expect, it } from 'vitest';
import { composeEmail } from '../../../src/mail/outbound/compose-mime.ts';
import { buildForwardEmail, NOT_FETCHED, originalFilename } from '../../../src/mail/outbound/forward-email.ts';
import { parseEmail } from '../../../src/mail/parse/index.ts';

const original = {
  from: { name: 'Carla Cliente', address: 'carla@customer.example' },
  to: [{ name: '', address: 'support@example.com' }],
  cc: [{ name: 'Dan', address: 'dan@customer.example' }],
  subject: 'AW: Re: Order 12 <broken>',
  date: new Date('2024-05-01T10:00:00Z'),
};
const raw = Buffer.from('From: carla@customer.example\r\nTo: support@example.com\r\nSubject: Order 12\r\nMessage-ID: <orig@customer.example>\r\n\r\nThe box was empty.\r\n');

function build(o: Partial<Parameters<typeof buildForwardEmail>[0]> = {}) {
  return buildForwardEmail({
    from: { name: 'Ana Lima (Support)', address: 'support@example.com' },
    to: [{ name: 'Billing', address: 'billing@example.org' }],
    note: 'Can you refund <this>?\nThanks',
    original,
    raw,
    fallbackText: null,
    messageId: 'mr.fwd.abcdefgh@example.com',
    date: new Date('2024-05-02T00:00:00Z'),
    ...o,
  });
}

describe('forward email', () => {
  it('has a Fwd subject, the note, the header block and the original attached whole', async () => {
    const email = build();
    expect(email.subject).toBe('Fwd: Order 12 <broken>');
    expect(email.text).toMatch(/^Can you refund <this>\?\nThanks\n\n---------- Forwarded message ----------\nFrom: Carla Cliente <carla@customer.example>\n/);
    expect(email.text).toContain('Cc: Dan <dan@customer.example>');
    expect(email.html).toContain('Can you refund &lt;this&gt;?<br>');
    expect(email.html).not.toContain('<this>');
    expect(email.attachments).toEqual([{ filename: 'AW Re Order 12 broken.eml', contentType: 'message/rfc822', content: raw }]);
    // On the wire the original is a message/rfc822 part, byte for byte (mail clients show it as
    // the forwarded message, its own attachments included).
    const wire = (await composeEmail(email)).raw.toString();
    expect(wire).toMatch(/Content-Type: message\/rfc822; name="?AW Re Order 12 broken\.eml"?/);
    expect(wire).toContain(raw.toString());
    const parsed = await parseEmail(Buffer.from(wire));
    expect(parsed.subject).toBe('Fwd: Order 12 <broken>');
    // An attachment, not inline text: mail clients offer it as the forwarded message.
    expect(parsed.text).not.toContain('The box was empty.');
    const attached = parsed.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(attached?.inline).toBe(false);
    expect(attached?.content?.toString()).toContain('The box was empty.');
  });

  it('puts the text inline and says so when the original could not be fetched', () => {
    const email = build({ raw: null, fallbackText: 'The box was empty.' });
    expect(email.attachments).toEqual([]);
    expect(email.text).toContain(NOT_FETCHED);
    expect(email.text).toContain('The box was empty.');
    expect(build({ raw: null, fallbackText: null }).text).toContain('no longer available');
  });

  it('leaves the note out when there is none', () => {
    expect(build({ note: '  ' }).text.startsWith('---------- Forwarded message')).toBe(true);
  });

  it('names the attachment after the subject, safely', () => {
    expect(originalFilename('../../etc/passwd')).toBe('.. .. etc passwd.eml');
    expect(originalFilename('')).toBe('forwarded message.eml');
  });
});
