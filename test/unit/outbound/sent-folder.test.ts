import { describe, expect, it } from 'vitest';
import { chooseSentMailbox, planSentFolder } from '../../../src/mail/outbound/sent-folder.ts';

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

  it('then the usual names, case-insensitively, in order of preference, also under the personal namespace', () => {
    expect(chooseSentMailbox([box('INBOX'), box('Sent Items')])).toBe('Sent Items');
    expect(chooseSentMailbox([box('sent messages'), box('SENT')])).toBe('SENT');
    expect(chooseSentMailbox([box('INBOX.Sent')])).toBe('INBOX.Sent');
    expect(chooseSentMailbox([box('[Gmail]/Sent Mail')])).toBe('[Gmail]/Sent Mail');
    expect(chooseSentMailbox([box('INBOX'), box('INBOX.Sent Messages')], 'INBOX.')).toBe('INBOX.Sent Messages');
  });

  it('then a mailbox recognised by a localized name', () => {
    expect(chooseSentMailbox([box('INBOX'), box('Éléments envoyés', [], '\\Sent', 'name')])).toBe('Éléments envoyés');
    expect(chooseSentMailbox([box('Sent Items'), box('Éléments envoyés', [], '\\Sent', 'name')])).toBe('Sent Items');
  });

  it('skips mailboxes that cannot hold messages', () => {
    expect(chooseSentMailbox([box('[Gmail]', ['\\Noselect']), box('Sent', ['\\NonExistent', '\\Sent']), box('Sent Items')])).toBe('Sent Items');
  });

  it('null when there is nothing like a Sent mailbox', () => {
    expect(chooseSentMailbox([box('INBOX'), box('Drafts', ['\\Drafts']), box('Sentimental')])).toBeNull();
    expect(chooseSentMailbox([])).toBeNull();
  });
});

describe('planSentFolder', () => {
  const caps = (...names: string[]) => new Set(names);

  it('uses the Sent folder there is, saying how it was found', () => {
    expect(planSentFolder({ list: [box('INBOX'), box('Gesendet', ['\\Sent'])], prefix: '', capabilities: caps() })).toEqual({ kind: 'existing', path: 'Gesendet', by: 'flag' });
    expect(planSentFolder({ list: [box('INBOX'), box('INBOX.Sent')], prefix: 'INBOX.', capabilities: caps() })).toEqual({ kind: 'existing', path: 'INBOX.Sent', by: 'name' });
  });

  it('creates Sent in the personal namespace, flagged \\Sent where the server takes CREATE-SPECIAL-USE', () => {
    expect(planSentFolder({ list: [box('INBOX')], prefix: 'INBOX.', capabilities: caps('CREATE-SPECIAL-USE') })).toEqual({ kind: 'create', path: 'INBOX.Sent', specialUse: true });
    expect(planSentFolder({ list: [box('INBOX')], prefix: '', capabilities: caps('SPECIAL-USE') })).toEqual({ kind: 'create', path: 'Sent', specialUse: false });
  });
});
