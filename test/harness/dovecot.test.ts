import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { startDovecot } from '../support/dovecot.ts';
import type { TestDovecot } from '../support/dovecot.ts';

const raw = (subject: string) =>
  `From: Alice <alice@example.org>\r\nTo: support@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.org>\r\n\r\nHello\r\n`;

describe('test Dovecot', () => {
  let dovecot: TestDovecot;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: [{ user: 'support@example.com', password: 'pw' }, { user: 'bob', password: 'b' }] });
  });
  afterAll(async () => {
    await dovecot?.destroy();
  });

  it('APPENDs a message that a second connection reads back', async () => {
    const appended = await dovecot.append('support@example.com', 'INBOX', raw('first one'), ['\\Seen']);
    expect(appended.uid).toBeGreaterThan(0);
    const client = await dovecot.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const msg = await client.fetchOne(String(appended.uid), { envelope: true, flags: true }, { uid: true });
        expect(msg && msg.envelope?.subject).toBe('first one');
        expect(msg && [...(msg.flags ?? [])]).toContain('\\Seen');
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('advertises special-use mailboxes and can add one', async () => {
    const client = await dovecot.connect('bob');
    const uses = Object.fromEntries((await client.list()).map((m) => [m.path, m.specialUse]));
    await client.logout();
    expect(uses).toMatchObject({ Sent: '\\Sent', Drafts: '\\Drafts', Junk: '\\Junk', Trash: '\\Trash' });
    await dovecot.createMailbox('bob', 'Done', '\\Archive');
    await dovecot.createMailbox('bob', 'Plain');
    const after = await dovecot.connect('bob');
    const list = await after.list();
    await after.logout();
    expect([...(list.find((m) => m.path === 'Done')?.flags ?? [])]).toContain('\\Archive');
    expect(list.find((m) => m.path === 'Plain')).toBeDefined();
  });

  it('rejects a wrong password', async () => {
    const client = new ImapFlow({ ...dovecot.imapOptions(), auth: { user: 'bob', pass: 'nope' }, logger: false });
    client.on('error', () => {});
    await expect(client.connect()).rejects.toMatchObject({ authenticationFailed: true });
  });

  it('tells an IDLE-ing client about new mail', async () => {
    const client = await dovecot.connect();
    try {
      expect(client.capabilities.has('IDLE')).toBe(true);
      const lock = await client.getMailboxLock('INBOX');
      const before = (client.mailbox && client.mailbox.exists) || 0;
      const seen = new Promise<number>((resolve) => client.on('exists', (e: { count: number }) => resolve(e.count)));
      const idling = client.idle();
      const started = Date.now();
      await dovecot.append('support@example.com', 'INBOX', raw('idle news'));
      expect(await seen).toBe(before + 1);
      expect(Date.now() - started).toBeLessThan(3000);
      lock.release();
      await client.logout();
      await idling.catch(() => undefined);
    } finally {
      client.close();
    }
  });

  it.each([{ crash: false }, { crash: true }])('stops (%o) and starts again on the same port with the same mail', async (how) => {
    const port = dovecot.port;
    await dovecot.stop(how);
    const offline = new ImapFlow({ ...dovecot.imapOptions(), logger: false });
    offline.on('error', () => {});
    await expect(offline.connect()).rejects.toBeDefined();
    await dovecot.start();
    expect(dovecot.port).toBe(port);
    const client = await dovecot.connect();
    const status = await client.status('INBOX', { messages: true });
    await client.logout();
    expect(status && status.messages).toBeGreaterThanOrEqual(2);
  });
});

describe('test Dovecot without IDLE', () => {
  it('does not advertise IDLE', async () => {
    const dovecot = await startDovecot({ idle: false });
    try {
      const client = await dovecot.connect();
      expect(client.capabilities.has('IDLE')).toBe(false);
      expect(client.capabilities.has('UIDPLUS')).toBe(true);
      await client.logout();
    } finally {
      await dovecot.destroy();
    }
  });
});
