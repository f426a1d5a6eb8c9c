// Regression: an email whose storing always failed made the IMAP watcher reconnect forever at
// its UID, so no later email of the inbox got through. Now it is skipped after a few attempts,
// with a note in the channel, and the inbox carries on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { parseEmail } from '../../../src/mail/parse/index.ts';
import { CHANNEL, email, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import { asRaw } from '../../../src/mail/raw.ts';

let rig: Rig;
let app: MailroomApp;
let attempts = 0;

beforeAll(async () => {
  rig = await startRig();
  app = rig.build({}, {
    parse: async (raw) => {
      if (asRaw(raw).head.includes('poison-marker')) {
        attempts++;
        throw new Error('cannot store this one');
      }
      return parseEmail(raw);
    },
  });
  await app.start();
  await waitFor(() => app.store.imapSync.get(1, 'INBOX'), { timeoutMs: 10_000 });
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

describe('bug: one unstorable email held up the whole inbox', () => {
  it('skips it after a few attempts, says so in the channel, and posts the next email', async () => {
    await rig.deliver(email({ subject: 'Poison', body: 'poison-marker' }));
    await rig.deliver(email({ subject: 'After the poison', body: 'healthy-marker' }));
    await waitFor(() => rig.slack.messagesIn(CHANNEL).find((m) => JSON.stringify(m.blocks ?? []).includes('After the poison')), { timeoutMs: 20_000 });
    const note = rig.slack.messagesIn(CHANNEL).find((m) => /could not be read and was skipped/.test(m.text));
    expect(note?.text).toMatch(/UID 1\b/);
    expect(attempts).toBe(5);
    expect(app.store.events.between(0, Date.now() + 1).some((e) => e.type === 'email.unreadable')).toBe(true);
  });
});
