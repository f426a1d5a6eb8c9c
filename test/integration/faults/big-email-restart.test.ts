// Emails over 1 MB are not kept in the store until posted (that would double their memory);
// when a restart finds one unposted, it reads it again from the mailbox. An attachment over 1 MB
// is never kept in memory either: it is streamed out of the email, read again from the mailbox,
// when it goes to Slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, INBOX_ADDRESS, startRig, type Rig } from '../../helpers/mailroom.ts';
import { composeEmail } from '../../support/mail.ts';
import { waitFor } from '../../support/wait.ts';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('a big email and a restart before it reached Slack', () => {
  it('is read again from the mailbox and posted with its attachment', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    const raw = await composeEmail({
      from: 'Big <big@customer.example>',
      to: INBOX_ADDRESS,
      subject: 'Big one',
      text: 'big-restart-marker',
      attachments: [{ filename: 'big.bin', content: bytes }],
    });
    const first = rig.build();
    await first.start();
    await waitFor(() => first.store.imapSync.get(1, 'INBOX'), { timeoutMs: 10_000 });
    await rig.slack.unreachable();
    await rig.deliver(raw);
    const row = await waitFor(() => first.store.messages.unposted()[0], { timeoutMs: 10_000 });
    expect(first.store.messages.spool.get(row.id)).toBeUndefined();
    await first.stop();
    await rig.slack.reachable();

    const second = rig.build();
    await second.start();
    const upload = await waitFor(() => rig.slack.uploads().find((u) => u.file.name === 'big.bin'), { timeoutMs: 20_000 });
    expect(upload.content.equals(bytes)).toBe(true);
    const parent = rig.slack.messagesIn(CHANNEL).find((m) => /Big one/.test(m.text))!;
    expect(rig.slack.threadOf(CHANNEL, parent.ts).some((m) => JSON.stringify(m.blocks ?? []).includes('big-restart-marker'))).toBe(true);
    await second.stop();
  });
});

describe('a big attachment whose email left the mailbox before it reached Slack', () => {
  it('is not attached, and the thread says so', async () => {
    const raw = await composeEmail({
      from: 'Gone <gone@customer.example>',
      to: INBOX_ADDRESS,
      subject: 'Deleted too soon',
      text: 'deleted-marker',
      attachments: [
        { filename: 'small.txt', content: Buffer.from('still here') },
        { filename: 'gone.bin', content: Buffer.alloc(2 * 1024 * 1024, 9) },
      ],
    });
    const app = rig.build();
    await app.start();
    await rig.slack.unreachable();
    const { uid } = await rig.dovecot.append(INBOX_ADDRESS, 'INBOX', raw);
    await waitFor(() => app.store.messages.unposted().find((m) => m.subject === 'Deleted too soon'), { timeoutMs: 10_000 });
    const client = await rig.dovecot.connect();
    await client.mailboxOpen('INBOX');
    await client.messageDelete(String(uid), { uid: true });
    await client.logout();
    await rig.slack.reachable();

    const parent = await waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => /Deleted too soon/.test(m.text)), { timeoutMs: 20_000 });
    const note = await waitFor(() => rig.slack.threadOf(CHANNEL, parent.ts).find((m) => /gone\.bin could not be read again from the mailbox/.test(m.text)), { timeoutMs: 20_000 });
    expect(note).toBeDefined();
    // The attachment that was small enough to keep went up all the same.
    expect(rig.slack.uploads().find((u) => u.file.name === 'small.txt')?.content.toString()).toBe('still here');
    expect(rig.slack.uploads().some((u) => u.file.name === 'gone.bin')).toBe(false);
    await waitFor(() => app.store.messages.unposted().length === 0 || undefined, { timeoutMs: 10_000 });
    await app.stop();
  });
});

