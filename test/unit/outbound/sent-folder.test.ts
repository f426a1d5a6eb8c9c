import { describe, expect, it } from 'vitest';
import { chooseSentMailbox } from '../../../src/mail/outbound/sent-folder.ts';

type Entry = Parameters<typeof chooseSentMailbox>[0][number];
const box = (path: string, flags: string[] = [], specialUse?: string, specialUseSource?: Entry['specialUseSource']): Entry => ({
  path,
  flags: new Set(flags),
  specialUse,
  specialUseSource,
});

describe('chooseSentMailbox', () => {
  it('prefers the mailbox the server flags \\Sent, whatever its name', () => {
    expect(chooseSentMailbox([box('INBOX'), box('Sent'), box('Gesendete Elemente', ['\\HasNoChildren', '\\Sent'])])).toBe('Gesendete Elemente');
    expect(chooseSentMailbox([box('Sent'), box('[Gmail]/Sent Mail', [], '\\Sent', 'extension')])).toBe('[Gmail]/Sent Mail');
  });

  it('then a mailbox recognised by a localized name', () => {
    expect(chooseSentMailbox([box('INBOX'), box('Éléments envoyés', [], '\\Sent', 'name')])).toBe('Éléments envoyés');
  });

  it('then common names, case-insensitively, in order of preference', () => {
    expect(chooseSentMailbox([box('INBOX'), box('Sent Items')])).toBe('Sent Items');
    expect(chooseSentMailbox([box('sent messages'), box('SENT')])).toBe('SENT');
    expect(chooseSentMailbox([box('INBOX.Sent')])).toBe('INBOX.Sent');
  });

  it('skips mailboxes that cannot hold messages', () => {
    expect(chooseSentMailbox([box('[Gmail]', ['\\Noselect']), box('Sent', ['\\NonExistent', '\\Sent']), box('Sent Items')])).toBe('Sent Items');
  });

  it('null when there is nothing like a Sent mailbox', () => {
    expect(chooseSentMailbox([box('INBOX'), box('Drafts', ['\\Drafts']), box('Sentimental')])).toBeNull();
    expect(chooseSentMailbox([])).toBeNull();
  });
});
