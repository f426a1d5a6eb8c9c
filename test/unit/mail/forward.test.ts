import { describe, expect, it } from 'vitest';
import { parseBody, parseEmail } from '../../../src/mail/parse/index.ts';
import { fixture, fixtureNames, splitFixture } from './fixtures.ts';

describe('forwarded emails: the original sender (fixtures per client and language)', () => {
  for (const name of fixtureNames('forwards', '.txt')) {
    it(name, () => {
      const { input, expected } = splitFixture(fixture('forwards', name).toString('utf8'), 'original sender');
      const [subjectLine, ...rest] = input.split('\n');
      const email = parseBody(rest.join('\n'), subjectLine!.replace(/^Subject: /, ''));
      if (expected) expect(email.forwarded?.from.address).toBe(expected);
      else expect(email.forwarded).toBeNull();
    });
  }
});

describe('forwarded content is never trimmed away', () => {
  it('a forward without a note shows the forwarded message as the reply', () => {
    const { input } = splitFixture(fixture('forwards', 'outlook-fr-tr.txt').toString('utf8'), 'original sender');
    const email = parseBody(input.split('\n').slice(1).join('\n'), 'TR: Devis');
    expect(email.reply).toContain('Pouvez-vous nous envoyer un devis');
    expect(email.forwarded?.body).toContain('Pouvez-vous nous envoyer un devis');
  });

  it('a forward with a note shows the note, and keeps the original in forwarded.body', () => {
    const { input } = splitFixture(fixture('forwards', 'gmail-en.txt').toString('utf8'), 'original sender');
    const email = parseBody(input.split('\n').slice(1).join('\n'), 'Fwd: Broken charger');
    expect(email.reply).toBe('FYI, see below.');
    expect(email.forwarded?.body).toContain('My charger stopped working');
    expect(email.forwarded?.subject).toBe('Broken charger');
  });
});

describe('forwarded HTML emails (a teammate forwarding a customer)', () => {
  it('Gmail: the original sender, and the forwarded text as the reply when there is no note', async () => {
    const email = await parseEmail(fixture('eml', 'html-forward-gmail.eml'));
    expect(email.forwarded?.from).toEqual({ name: 'Carla Diaz', address: 'carla@kunde.test' });
    expect(email.forwarded?.to).toEqual([{ name: '', address: 'sales@acme.test' }]);
    expect(email.reply).toBe('My charger stopped working.');
  });

  it("Outlook: the original sender; the teammate's note is the reply", async () => {
    const email = await parseEmail(fixture('eml', 'html-forward-outlook.eml'));
    expect(email.forwarded?.from).toEqual({ name: 'Ravi Patel', address: 'ravi@kunde.test' });
    expect(email.forwarded?.subject).toBe('Quote');
    expect(email.reply).toBe('Can you take this?');
    expect(email.forwarded?.body).toContain('We need 40 licences.');
  });
});
