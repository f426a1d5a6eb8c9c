import { describe, expect, it } from 'vitest';
import { mailboxLine } from '../../../src/slack/ui/blocks/mailbox-line.ts';

describe('the channel line about an inbox that cannot read its mailbox', () => {
  it('says which mailbox, for how long, why, and that nothing is lost; then that it works again', () => {
    const failing = mailboxLine({ kind: 'failing', inboxName: 'Support', address: 'support@acme.test', host: 'imap.acme.test', failures: 23, minutes: 10, lastError: 'the server ended the session: <!channel> locked' });
    expect(failing).toBe(
      ':warning: *Support* (support@acme.test) has not been able to read its mailbox at imap.acme.test for 10 minutes: 23 connections in a row failed (last: the server ended the session: &lt;!channel&gt; locked). Mail that arrives meanwhile stays in the mailbox and is posted once the connection works again. `mailroom doctor` checks the settings.',
    );
    expect(mailboxLine({ kind: 'restored', inboxName: 'Support', address: 'support@acme.test', host: 'imap.acme.test' })).toBe(
      ':white_check_mark: *Support* (support@acme.test) reaches its mailbox at imap.acme.test again: mail that waited is on its way.',
    );
  });
});
