import { describe, expect, it } from 'vitest';
import { createStore, openDb } from '../../src/store/index.ts';
import { observedServer } from '../../src/store/imap-observations.ts';

const server = observedServer({ host: 'imap.acme.test', port: 993, user: 'support@acme.test', mailbox: 'INBOX' });

describe('what the app saw of an IMAP server', () => {
  it('counts what IDLE turned out to do and renumbering, per inbox and server', () => {
    const { imapObserved } = createStore(openDb(':memory:'));
    expect(imapObserved.get('support', server)).toMatchObject({ idle: { pushed: 0, foundByCheck: 0 }, renumbered: { empty: 0, withMail: 0 }, failing: null });
    imapObserved.count('support', server, 'idle-pushed');
    imapObserved.count('support', server, 'idle-found-by-check');
    imapObserved.count('support', server, 'idle-found-by-check');
    imapObserved.count('support', server, 'renumbered-empty');
    imapObserved.count('sales', server, 'renumbered');
    expect(imapObserved.get('support', server)).toMatchObject({ idle: { pushed: 1, foundByCheck: 2 }, renumbered: { empty: 1, withMail: 0 } });
    expect(imapObserved.get('sales', server).renumbered).toEqual({ empty: 0, withMail: 1 });
  });

  it('starts afresh for another server, and keeps the failing state until healthy', () => {
    const { imapObserved } = createStore(openDb(':memory:'));
    imapObserved.count('support', server, 'idle-pushed');
    imapObserved.setFailing('support', server, { failures: 3, since: 1000, lastError: 'x'.repeat(400) });
    expect(imapObserved.get('support', server).failing).toEqual({ failures: 3, since: 1000, lastError: 'x'.repeat(300) });
    expect(imapObserved.get('support', 'imap.other.test:993/support@acme.test/INBOX')).toMatchObject({ idle: { pushed: 0 }, failing: null });
    imapObserved.setFailing('support', server, null);
    expect(imapObserved.get('support', server)).toMatchObject({ idle: { pushed: 1 }, failing: null });
  });

  it('reads a damaged row as nothing seen', () => {
    const store = createStore(openDb(':memory:'));
    store.settings.set('imap_observed:support', '{not json');
    expect(store.imapObserved.get('support', server).idle).toEqual({ pushed: 0, foundByCheck: 0 });
    store.settings.set('imap_observed:support', JSON.stringify({ server, idle: { pushed: -4, foundByCheck: 'many' }, failing: { since: 'soon' } }));
    expect(store.imapObserved.get('support', server)).toMatchObject({ idle: { pushed: 0, foundByCheck: 0 }, failing: null });
  });
});
