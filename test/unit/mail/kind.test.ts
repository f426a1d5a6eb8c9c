import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../../src/mail/parse/index.ts';
import { fixture } from './fixtures.ts';

const read = (name: string) => parseEmail(fixture('eml', name));

describe('kind: people, out-of-offices, bounces, reports, lists', () => {
  const cases: Array<[string, string]> = [
    ['auto-reply-rfc3834.eml', 'auto-reply'],
    ['auto-reply-exchange-oof.eml', 'auto-reply'],
    ['auto-reply-subject-de.eml', 'auto-reply'],
    ['auto-reply-x-autoreply.eml', 'auto-reply'],
    ['bounce-dsn.eml', 'bounce'],
    ['bounce-delayed.eml', 'bounce'],
    ['bounce-exim-text.eml', 'bounce'],
    ['bounce-mailbox-full.eml', 'bounce'],
    // regression: a mailing list manager's error notice (fml's loop alert) read as a person's email
    ['bounce-list-manager.eml', 'bounce'],
    ['report-arf.eml', 'report'],
    ['report-delivered.eml', 'report'],
    ['bulk-list.eml', 'bulk'],
    ['html-newsletter.eml', 'bulk'],
    ['human-plain.eml', 'human'],
    ['human-not-noreply-auto-no.eml', 'human'],
  ];
  for (const [name, kind] of cases) {
    it(`${name} is ${kind}`, async () => {
      const email = await read(name);
      expect(email.kind).toBe(kind);
      expect(email.bounce === null).toBe(kind !== 'bounce');
    });
  }
});

describe('bounce details', () => {
  it('a DSN: permanent, its status, the recipient and the returned Message-ID', async () => {
    const { bounce } = await read('bounce-dsn.eml');
    expect(bounce).toEqual({
      permanent: true,
      status: '5.1.1',
      recipients: ['ravi@kunde.test'],
      originalMessageId: 'reply-42.abc@acme.test',
      reason: 'userunknown',
      retryable: false,
      diagnostic: '550 5.1.1 <ravi@kunde.test>: Recipient address rejected: User unknown',
      delayed: false,
    });
  });

  it('a delay is temporary, and the original comes from text/rfc822-headers', async () => {
    const { bounce } = await read('bounce-delayed.eml');
    expect(bounce?.permanent).toBe(false);
    expect(bounce?.status).toBe('4.4.1');
    expect(bounce?.originalMessageId).toBe('reply-42.abc@acme.test');
  });

  it('Exim prose: X-Failed-Recipients, the reply code, the copied headers', async () => {
    const { bounce } = await read('bounce-exim-text.eml');
    expect(bounce?.recipients).toEqual(['nobody@kunde.test']);
    expect(bounce?.permanent).toBe(true);
    expect(bounce?.status).toMatch(/^5\./);
    expect(bounce?.originalMessageId).toBe('reply-42.abc@acme.test');
  });

  it('qmail prose without any code: the reason gives the class (mailbox full)', async () => {
    const { bounce } = await read('bounce-mailbox-full.eml');
    expect(bounce?.status).toBe('5.0.922');
    expect(bounce?.recipients).toContain('full@kunde.test');
    expect(bounce?.originalMessageId).toBe('reply-42.abc@acme.test');
  });
});
