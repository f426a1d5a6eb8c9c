// A server without IDLE: the watcher falls back to polling, and new mail is still posted, once.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { createLogger } from '../../../src/logger.ts';
import { startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import { notExactlyOnce, quiet, tags, taggedEmail, waitAllPosted } from './tally.ts';

let rig: Rig;
let app: MailroomApp;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  rig = await startRig({ idle: false });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  app = rig.build({}, { imapPollIntervalMs: 300, logger: createLogger({ level: 'debug', destination: sink }) });
  await app.start();
  await waitFor(() => logLines.find((l) => l.msg === 'IMAP connected'), { timeoutMs: 10_000 });
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

describe('IMAP server without IDLE', () => {
  it('is seen to lack IDLE, so the watcher polls', async () => {
    const c = await rig.dovecot.connect();
    try {
      expect(c.capabilities.has('IDLE')).toBe(false);
    } finally {
      await c.logout();
    }
    expect(logLines.find((l) => l.msg === 'IMAP connected')).toMatchObject({ idle: false });
    expect(logLines.some((l) => l.msg === 'IMAP idle')).toBe(false);
  });

  it('posts new mail within a few poll intervals, one at a time and in a burst, each once', async () => {
    const t0 = Date.now();
    await rig.deliver(taggedEmail('p0'));
    await waitAllPosted(rig.slack, ['p0'], 5000, undefined, 0);
    expect(Date.now() - t0).toBeLessThan(3000);

    const burst = tags('q', 10);
    for (const t of burst) await rig.deliver(taggedEmail(t));
    await waitAllPosted(rig.slack, burst, 10_000);
    await waitFor(() => app.store.messages.unposted().length === 0, { timeoutMs: 10_000 });
    await app.drained();
    await quiet(rig.slack, 700); // a couple more polls: nothing is fetched twice
    expect(notExactlyOnce(rig.slack, ['p0', ...burst])).toEqual([]);
  });
});
