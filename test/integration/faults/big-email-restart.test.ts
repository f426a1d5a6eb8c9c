// Emails over 2 MB are not kept in the store until posted (that would double their memory);
// when a restart finds one unposted, it reads it again from the mailbox.
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
