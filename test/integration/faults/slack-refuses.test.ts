// Regression: a post Slack refuses for its content (invalid_blocks, msg_too_long) was retried
// forever and held up every later email of the channel. Now the plain version goes out, with the
// full message attached, and the channel moves on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, email, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';

let rig: Rig;
let app: MailroomApp;
beforeAll(async () => {
  rig = await startRig();
  ({ app } = await rig.start());
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

describe('bug: a message Slack refuses blocked the channel', () => {
  it('posts the plain version with the full message attached, and the next email still arrives', async () => {
    await rig.deliver(email({ messageId: '<refuse-1@customer.example>', subject: 'Refused rendering', body: 'first-of-thread' }));
    const parent = await waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => /Refused rendering/.test(m.text)), { timeoutMs: 10_000 });
    await waitFor(() => rig.slack.threadOf(CHANNEL, parent.ts).length === 2);

    rig.slack.failNext('chat.postMessage', { error: 'invalid_blocks' });
    await rig.deliver(email({ inReplyTo: '<refuse-1@customer.example>', subject: 'Re: Refused rendering', body: 'refused-body-marker' }));
    const plain = await waitFor(() => rig.slack.threadOf(CHANNEL, parent.ts).find((m) => /could not be shown here in full/.test(m.text)), { timeoutMs: 10_000 });
    expect(plain.blocks ?? []).toHaveLength(0);
    const file = await waitFor(() => rig.slack.uploads().find((u) => u.thread_ts === parent.ts && u.file.name === 'full-message.txt'));
    expect(file.content.toString()).toContain('refused-body-marker');

    await rig.deliver(email({ subject: 'Next one', body: 'next-marker' }));
    await waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => /Next one/.test(m.text)), { timeoutMs: 10_000 });
  });
});
