// Logs of a whole run — email in, reply out, a failed send, a bounce — at debug level never
// contain a token, a password or a message body.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { createLogger } from '../../../src/logger.ts';
import { CHANNEL, IMAP_PASSWORD, MEMBER, SIGNING_SECRET, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { composeEmail } from '../../support/mail.ts';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp.ts';
import { waitFor } from '../../support/wait.ts';

// The SMTP login below runs over STARTTLS with the test server's self-signed certificate.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

const SMTP_PASSWORD = 'smtp-Secret-41c2d8';
const INBOUND_BODY = 'inbound-body-5e1b the customer wrote this';
const INBOUND_HTML = 'inbound-html-77aa';
const REPLY_BODY = 'reply-body-9d0c our teammate wrote this';

let rig: Rig;
let smtp: TestSmtpServer;
let app: MailroomApp;
let port: number;
let logs = '';

beforeAll(async () => {
  rig = await startRig();
  smtp = await startSmtpServer({ starttls: true, auth: { user: 'support@example.com', password: SMTP_PASSWORD } });
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });
  app = rig.build(
    { SMTP_PORT: String(smtp.port), SMTP_USER: 'support@example.com', SMTP_PASSWORD, LOG_LEVEL: 'debug' },
    { logger: createLogger({ level: 'debug', destination: sink }) },
  );
  port = (await app.start()).port!;
  await waitFor(() => app.store.imapSync.get(1, 'INBOX'), { timeoutMs: 10_000 });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
  await rig?.close();
});

describe('logs', () => {
  it('never contain a token, a password or a message body', async () => {
    await rig.deliver(
      await composeEmail({
        from: 'Carla <carla@customer.example>',
        to: 'support@example.com',
        subject: 'Logged subject',
        text: INBOUND_BODY,
        html: `<p>${INBOUND_HTML}</p>`,
        attachments: [{ filename: 'a.txt', content: 'attachment-bytes-3f3f' }],
      }),
    );
    const parent = await waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => JSON.stringify(m.blocks).includes('Logged subject')), { timeoutMs: 10_000 });
    // A reply that fails first (server down), then goes out.
    await smtp.refuseConnections();
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: REPLY_BODY, thread_ts: parent.ts });
    await rig.event(port, threadReply({ threadTs: parent.ts, text: REPLY_BODY, ts: msg.ts }));
    await waitFor(() => /SMTP send failed/.test(logs), { timeoutMs: 10_000 });
    await smtp.acceptConnections();
    await smtp.waitForMessages(1, 15_000);
    await rig.deliver(email({ subject: 'Second', body: 'second-body-aa11' }));
    await waitFor(() => rig.slack.messagesIn(CHANNEL).some((m) => JSON.stringify(m.blocks).includes('Second')), { timeoutMs: 10_000 });
    await waitFor(() => /reply sent/.test(logs));

    expect(logs.length).toBeGreaterThan(1000); // the run really logged
    for (const secret of [rig.slack.token, SIGNING_SECRET, IMAP_PASSWORD, SMTP_PASSWORD]) expect(logs).not.toContain(secret);
    for (const body of [INBOUND_BODY, INBOUND_HTML, REPLY_BODY, 'attachment-bytes-3f3f', 'second-body-aa11']) expect(logs).not.toContain(body);
  });
});
