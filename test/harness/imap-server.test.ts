// The test IMAP server speaks what imapflow needs, and behaves as asked: without UIDNEXT, with a
// new UIDVALIDITY per login while empty, IDLE that never pushes, sessions ended after login.
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it } from 'vitest';
import { startImapServer, type ImapServerOptions, type TestImapServer } from '../support/imap-server.ts';
import { sleep, waitFor } from '../support/wait.ts';

const raw = (subject: string) => `From: Alice <alice@example.org>\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.org>\r\n\r\nHello ${subject}\r\n`;

let server: TestImapServer | null = null;
const clients: ImapFlow[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.stop();
  server = null;
});

async function open(o: ImapServerOptions = {}): Promise<{ s: TestImapServer; connect: () => Promise<ImapFlow> }> {
  const s = await startImapServer(o);
  server = s;
  const connect = async () => {
    const c = new ImapFlow({ ...s.imapOptions(), logger: false, disableAutoIdle: true });
    c.on('error', () => {});
    clients.push(c);
    await c.connect();
    return c;
  };
  return { s, connect };
}

describe('test IMAP server', () => {
  it('logs in (AUTHENTICATE PLAIN), lists with special-use flags in its namespace, and refuses a wrong password', async () => {
    const { s, connect } = await open({ namespace: { prefix: 'INBOX.', delimiter: '.' }, mailboxes: [{ name: 'INBOX.Sent', specialUse: '\\Sent' }, { name: 'INBOX.Junk', specialUse: '\\Junk' }] });
    const c = await connect();
    expect(c.namespace).toEqual({ prefix: 'INBOX.', delimiter: '.' });
    const uses = Object.fromEntries((await c.list()).map((m) => [m.path, m.specialUse ?? null]));
    expect(uses).toEqual({ INBOX: '\\Inbox', 'INBOX.Sent': '\\Sent', 'INBOX.Junk': '\\Junk' });
    await c.logout();
    expect(s.logins()).toHaveLength(1);
    expect(s.commands('AUTHENTICATE')[0]!.args).toBe('');
    const bad = new ImapFlow({ ...s.imapOptions(), auth: { user: s.users[0]!.user, pass: 'wrong' }, logger: false });
    bad.on('error', () => {});
    await expect(bad.connect()).rejects.toMatchObject({ authenticationFailed: true });
  });

  it('answers EXAMINE, STATUS, UID SEARCH, UID FETCH and partial BODY.PEEK[] as imapflow reads them', async () => {
    const { s, connect } = await open();
    s.append('INBOX', raw('one'), { date: new Date('2026-03-01T10:00:00Z') });
    s.append('INBOX', raw('two'));
    const c = await connect();
    const box = await c.mailboxOpen('INBOX', { readOnly: true });
    expect([box.exists, box.uidNext, String(box.uidValidity)]).toEqual([2, 3, String(s.mailbox('INBOX')!.uidValidity)]);
    expect(await c.status('INBOX', { messages: true, uidNext: true })).toMatchObject({ messages: 2, uidNext: 3 });
    expect(await c.search({ all: true }, { uid: true })).toEqual([1, 2]);
    expect(await c.search({ header: { 'message-id': '<two@example.org>' } }, { uid: true })).toEqual([2]);
    const fetched = [];
    for await (const m of c.fetch('2:*', { uid: true, internalDate: true }, { uid: true })) fetched.push(m.uid);
    expect(fetched).toEqual([2]);
    // `5:*` above the highest UID still names the highest (RFC 3501 6.4.8).
    const above = [];
    for await (const m of c.fetch('5:*', { uid: true }, { uid: true })) above.push(m.uid);
    expect(above).toEqual([2]);
    const first = await c.fetchOne('1', { internalDate: true, flags: true }, { uid: true });
    expect(first && new Date(first.internalDate!).toISOString()).toBe('2026-03-01T10:00:00.000Z');
    const { content } = await c.download('1', undefined, { uid: true, chunkSize: 10 });
    let text = '';
    for await (const chunk of content!) text += chunk;
    expect(text).toBe(raw('one'));
    expect(s.mailbox('INBOX')!.messages[0]!.flags.has('\\Seen')).toBe(false);
  });

  it('leaves UIDNEXT out of EXAMINE (and of STATUS) when told', async () => {
    const { s, connect } = await open({ uidNextInSelect: false });
    s.append('INBOX', raw('one'));
    const c = await connect();
    const box = await c.mailboxOpen('INBOX', { readOnly: true });
    expect(box.uidNext).toBeUndefined();
    expect(await c.status('INBOX', { uidNext: true })).toMatchObject({ uidNext: 2 });
    s.set({ uidNextInStatus: false });
    const status = await c.status('INBOX', { uidNext: true, messages: true });
    expect(status && status.messages).toBe(1);
    expect(status && status.uidNext).toBeUndefined();
  });

  it('gives an empty mailbox a new UIDVALIDITY at every login when told, and keeps it once mail is in', async () => {
    const { s, connect } = await open({ newUidValidity: 'while-empty' });
    const seen = [];
    for (let i = 0; i < 2; i++) {
      const c = await connect();
      seen.push(String((await c.mailboxOpen('INBOX', { readOnly: true })).uidValidity));
      await c.logout();
    }
    expect(seen[0]).not.toBe(seen[1]);
    s.append('INBOX', raw('one'));
    const c = await connect();
    expect(String((await c.mailboxOpen('INBOX', { readOnly: true })).uidValidity)).toBe(seen[1]);
  });

  it('pushes new mail to an IDLE-ing client, or, when lazy, tells it only at the next command', async () => {
    for (const idle of ['push', 'lazy'] as const) {
      const { s, connect } = await open({ idle });
      const c = await connect();
      await c.mailboxOpen('INBOX', { readOnly: true });
      const counts: number[] = [];
      c.on('exists', (e: { count: number }) => counts.push(e.count));
      const idling = c.idle();
      await sleep(50);
      s.append('INBOX', raw(`${idle} one`));
      await sleep(300);
      expect(counts, idle).toEqual(idle === 'push' ? [1] : []);
      await c.noop();
      await idling;
      expect(counts, idle).toEqual([1]);
      await c.logout();
      await s.stop();
    }
  });

  it('ends every session soon after login when told; APPEND and CREATE with USE (\\Sent) work', async () => {
    const { s, connect } = await open({ namespace: { prefix: 'INBOX.', delimiter: '.' } });
    const c = await connect();
    const made = (await (c as unknown as { exec: (cmd: string, attrs: unknown[]) => Promise<{ next(): void }> }).exec('CREATE', [
      { type: 'ATOM', value: 'INBOX.Sent' },
      [{ type: 'ATOM', value: 'USE' }, [{ type: 'ATOM', value: '\\Sent' }]],
    ]));
    made.next();
    expect(s.mailbox('INBOX.Sent')?.specialUse).toBe('\\Sent');
    expect(await c.append('INBOX.Sent', raw('sent'), ['\\Seen'])).toMatchObject({ uid: 1 });
    expect([...s.mailbox('INBOX.Sent')!.messages[0]!.flags]).toEqual(['\\Seen']);
    await c.logout();
    s.set({ endSessionsAfterLoginMs: 100 });
    const short = await connect();
    await waitFor(() => !short.usable, { timeoutMs: 2000, description: 'the session ended by the server' });
    expect(s.openSessions()).toBe(0);
  });
});
