// Replies survive the process dying: in the undo window (SIGKILL of the real process), and half-way
// through sending (a row left "sending"), where the Sent folder decides whether it went out.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMessageId } from '../../../src/core/message-id.ts';
import { startAppProcess } from '../../helpers/app-process.ts';
import { CHANNEL, INBOX_ADDRESS, MEMBER, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { sleep, waitFor } from '../../support/wait.ts';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

const parentWith = (marker: string) =>
  waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => rig.slack.threadOf(CHANNEL, m.ts).some((r) => JSON.stringify(r.blocks ?? []).includes(marker))), {
    timeoutMs: 15_000,
  });

describe('a reply and a crash', () => {
  it('SIGKILL during the undo window: the reply still goes out, once, after restart', async () => {
    rig.smtp.clear();
    const env = { ...rig.env, MAILROOM_SEND_DELAY_SECONDS: '3', LOG_LEVEL: 'info' };
    const first = startAppProcess(env);
    const port = await first.ready;
    await sleep(500);
    await rig.deliver(email({ body: 'kill-window-marker', subject: 'Crash me' }));
    const parent = await parentWith('kill-window-marker');
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'survives a crash', thread_ts: parent.ts });
    const res = await rig.event(port, threadReply({ threadTs: parent.ts, text: 'survives a crash', ts: msg.ts }));
    expect(res.status).toBe(200);
    // The reply is in the outbox (read the real database the process writes).
    const db = new Database(rig.env.DATABASE_PATH!, { readonly: true });
    const row = await waitFor(() => db.prepare('select status from outbox where slack_ts = ?').get(msg.ts) as { status: string } | undefined);
    db.close();
    expect(row.status).toBe('pending');
    await first.kill('SIGKILL');
    expect(rig.smtp.messages).toHaveLength(0);

    const second = startAppProcess(env);
    await second.ready;
    const [sent] = await rig.smtp.waitForMessages(1, 15_000);
    expect(sent!.parsed.text).toContain('survives a crash');
    await sleep(1500);
    expect(rig.smtp.messages).toHaveLength(1);
    await second.kill('SIGTERM');
  });

  it('a reply left half-sent: found in the Sent folder → not sent again; not found → sent once under the same Message-ID', async () => {
    rig.smtp.clear();
    const env = { ...rig.env, LOG_LEVEL: 'info' };
    const app = startAppProcess(env);
    await app.ready;
    await sleep(500);
    await rig.deliver(email({ body: 'half-sent-marker', subject: 'Half sent' }));
    await parentWith('half-sent-marker');
    await app.kill('SIGTERM');

    // As if the process had died mid-send twice: two rows claimed ("sending") and never finished.
    const db = new Database(rig.env.DATABASE_PATH!);
    const conv = db.prepare('select id, token, inbox_id from conversations order by id desc limit 1').get() as { id: number; token: string; inbox_id: number };
    const insert = db.prepare(
      "insert into outbox (conversation_id, inbox_id, kind, slack_user_id, status, payload, message_id, send_at, attempts) values (?, ?, 'reply', ?, 'sending', ?, ?, ?, 1)",
    );
    const delivered = newMessageId({ token: conv.token, domain: 'example.com' });
    const lost = newMessageId({ token: conv.token, domain: 'example.com' });
    insert.run(conv.id, conv.inbox_id, MEMBER, JSON.stringify({ text: 'this one went out', files: [] }), delivered, Date.now());
    insert.run(conv.id, conv.inbox_id, MEMBER, JSON.stringify({ text: 'this one never left', files: [] }), lost, Date.now());
    db.close();
    // The provider filed the first one in Sent (as Gmail does): the server had accepted it.
    await rig.dovecot.append(INBOX_ADDRESS, 'Sent', email({ from: INBOX_ADDRESS, messageId: `<${delivered}>`, body: 'this one went out' }));

    const again = startAppProcess(env);
    await again.ready;
    const [sent] = await rig.smtp.waitForMessages(1, 15_000);
    expect(sent!.parsed.messageId).toBe(`<${lost}>`);
    await sleep(1500);
    expect(rig.smtp.messages).toHaveLength(1);
    await again.kill('SIGTERM');
    const check = new Database(rig.env.DATABASE_PATH!, { readonly: true });
    const statuses = check.prepare('select message_id, status from outbox where message_id in (?, ?)').all(delivered, lost) as { message_id: string; status: string }[];
    const outMessages = check.prepare("select count(*) n from messages where direction = 'out' and message_id in (?, ?)").get(delivered, lost) as { n: number };
    check.close();
    expect(Object.fromEntries(statuses.map((s) => [s.message_id, s.status]))).toEqual({ [delivered]: 'sent', [lost]: 'sent' });
    expect(outMessages.n).toBe(2); // both threadable when the customer answers
  });
});
