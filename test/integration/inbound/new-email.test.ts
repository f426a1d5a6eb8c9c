import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { waitFor } from '../../support/wait.ts';
import { CHANNEL, email, startRig, type Rig } from '../../helpers/mailroom.ts';

let rig: Rig;
let app: MailroomApp;

beforeAll(async () => {
  rig = await startRig();
  app = rig.build();
  const running = await app.start();
  // Wait until the IMAP side is connected (first start: nothing old is posted).
  await waitFor(async () => {
    const res = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    const body = (await res.json()) as { imap: Record<string, boolean> };
    return Object.values(body.imap).every(Boolean);
  }, { timeoutMs: 10_000 });
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});
afterEach(() => rig.slack.clearCalls());

const parents = () => rig.slack.messagesIn(CHANNEL).filter((m) => m.metadata?.event_type === 'mailroom_conversation');
const thread = (ts: string) => rig.slack.threadOf(CHANNEL, ts).slice(1);

describe('a new email becomes a conversation', () => {
  it('posts a parent message and the email in its thread, under the sender’s name', async () => {
    await rig.deliver(email({ subject: 'Order 1234 never arrived', body: 'Hello, my order never arrived.' }));
    const parent = await waitFor(() => parents().find((m) => JSON.stringify(m.blocks).includes("Order 1234 never arrived")), { timeoutMs: 10_000, description: () => JSON.stringify(rig.slack.calls().map((c) => [c.method, c.status])) });
    const replies = await waitFor(() => (thread(parent.ts).length ? thread(parent.ts) : null));
    expect(replies).toHaveLength(1);
    const msg = replies[0]!;
    expect(msg.username).toBe('Carla Cliente');
    expect(JSON.stringify(msg.blocks)).toContain('my order never arrived');
    expect(msg.metadata?.event_type).toBe('mailroom_email');
    expect(JSON.stringify(parent.blocks)).toContain('carla@customer.example');
    const conv = app.store.conversations.byParent(CHANNEL, parent.ts);
    expect(conv?.status).toBe('open');
    expect(app.store.contacts.byEmail('carla@customer.example')?.name).toBe('Carla Cliente');
  });
});
