// Another process holds SQLite's write lock for longer than the busy timeout: an email that
// arrives and a reply typed meanwhile wait, then go through once each.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { CHANNEL, MEMBER, email, startRig, threadReply, type Rig } from '../../helpers/mailroom.ts';
import { sleep, waitFor } from '../../support/wait.ts';

let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  ({ app, port } = await rig.start());
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

/** A separate process takes the write lock and keeps it for `ms`; resolves once it holds it. */
function holdWriteLock(path: string, ms: number): Promise<Promise<void>> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(path)});
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); process.exit(0); }, ${ms});
  `;
  const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve) => child.stdout.once('data', () => resolve(done)));
}

const parentWith = (marker: string) =>
  rig.slack.messagesIn(CHANNEL).find((m) => rig.slack.threadOf(CHANNEL, m.ts).some((r) => JSON.stringify(r.blocks ?? []).includes(marker)));

describe('SQLite busy (another process holds the write lock)', () => {
  it('delays an incoming email and a reply, loses neither, doubles neither', { timeout: 60_000 }, async () => {
    await rig.deliver(email({ body: 'before-lock-marker', subject: 'Locked out' }));
    const parent = await waitFor(() => parentWith('before-lock-marker'), { timeoutMs: 10_000 });

    const released = await holdWriteLock(rig.env.DATABASE_PATH!, 7_000);
    await rig.deliver(email({ body: 'during-lock-marker', subject: 'Arrived while locked' }));
    const msg = rig.slack.postAsUser(CHANNEL, { user: MEMBER, text: 'typed while locked', thread_ts: parent.ts });
    const res = await rig.event(port, threadReply({ threadTs: parent.ts, text: 'typed while locked', ts: msg.ts }));
    expect(res.status).toBe(200);
    await released;

    await waitFor(() => parentWith('during-lock-marker'), { timeoutMs: 20_000 });
    const [sent] = await rig.smtp.waitForMessages(1, 20_000);
    expect(sent!.parsed.text).toContain('typed while locked');
    await sleep(1000);
    expect(rig.smtp.messages).toHaveLength(1);
    const posts = rig.slack.calls('chat.postMessage').filter((c) => c.args.thread_ts && JSON.stringify(c.args.blocks ?? []).includes('during-lock-marker'));
    expect(posts).toHaveLength(1);
  });
});
