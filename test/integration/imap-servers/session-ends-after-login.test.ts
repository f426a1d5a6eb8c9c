// A server that ends every session right after the login succeeds (a locked or over-quota account
// behaves so): Mailroom backs off — a few logins a minute after the first minute, not one a second
// — tells /healthz and, after a while, the channel; once sessions last, it says so, the backoff
// starts afresh, and the mail that waited is posted once. doctor tells what is going on. The
// schedule is the real one, run 20 times faster (a minute takes 3 s).
import { afterEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { reconnectDelayMs } from '../../../src/mail/inbound/reconnect.ts';
import { CHANNEL } from '../../helpers/mailroom.ts';
import { sleep, waitFor } from '../../support/wait.ts';
import { notExactlyOnce, taggedEmail, waitAllPosted } from '../inbound-faults/tally.ts';
import { startServerRig, type ServerRig } from './rig.ts';

const SPEED = 20;
const MINUTE = 60_000 / SPEED;

let rig: ServerRig | undefined;
let app: MailroomApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await rig?.close();
  rig = undefined;
});

const channelLines = (r: ServerRig, text: string) => r.slack.messagesIn(CHANNEL).filter((m) => (m.text ?? '').includes(text));

describe('a server that ends every session after login', () => {
  it('bug: Mailroom logged in about once a second; now the backoff grows across sessions that fail after login, and resets once one lasts', async () => {
    rig = await startServerRig();
    const steps: number[] = [];
    app = rig.build({}, {
      imapBackoffMs: (step) => {
        steps.push(step);
        return reconnectDelayMs(step) / SPEED;
      },
      imapHealthyAfterMs: 60_000 / SPEED,
      // Said in the channel after 4 (fast) minutes here; 10 in production (unit-tested).
      imapFailingNoteMs: 4 * MINUTE,
    });
    const port = (await app.start()).port!;
    await waitFor(() => app!.store.imapSync.get(1, 'INBOX'), { timeoutMs: 5000 });
    // From now on the server ends every session 100 ms after its login: after EXAMINE, in IDLE.
    rig.imap.set({ endSessionsAfterLoginMs: 100 });
    const t0 = Date.now();
    const before = rig.imap.logins().length;
    rig.imap.endSessions();
    await sleep(3 * MINUTE);
    const logins = rig.imap.logins().slice(before).map((t) => t - t0);
    // The first "minute": about six logins; each later one: at most two or three.
    expect(logins.filter((t) => t < MINUTE).length).toBeLessThanOrEqual(8);
    expect(logins.filter((t) => t >= MINUTE && t < 2 * MINUTE).length).toBeLessThanOrEqual(3);
    expect(logins.filter((t) => t >= 2 * MINUTE && t < 3 * MINUTE).length).toBeLessThanOrEqual(3);
    expect(steps.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    const health = await rig.healthz(port);
    expect(health.imap).toEqual({ 'acme-support': false });
    expect(health.imapFailing['acme-support']!.failures).toBeGreaterThanOrEqual(logins.length);
    expect(rig.logs.filter((l) => l.msg === 'IMAP session ended').at(-1)).toMatchObject({ err: 'the server ended the session: Session ended by the server' });

    // After a while of failing, one line in the channel.
    await waitFor(() => channelLines(rig!, 'has not been able to read its mailbox').length === 1, { timeoutMs: 4 * MINUTE, description: 'the failing line in the channel' });
    expect(rig.logs.some((l) => l.msg === 'IMAP keeps failing: said in the channel')).toBe(true);
    // Sessions that last a little longer (still not a healthy minute): doctor's own short session
    // gets through, and what the app saw is said as a warning.
    rig.imap.set({ endSessionsAfterLoginMs: 1000 });
    const doctor = await rig.doctor();
    expect(doctor.imap).toMatchObject({ ok: true, warning: true });
    expect(doctor.imap.detail).toMatch(/Mailroom's own IMAP sessions have failed \d+ times in a row since .* UTC \(as of .* UTC; last: the server ended the session: Session ended by the server\)$/);

    // Mail waits meanwhile; the server stops ending sessions; it is posted once.
    rig.deliver(taggedEmail('w0'));
    rig.imap.set({ endSessionsAfterLoginMs: null });
    await waitAllPosted(rig.slack, ['w0'], 5 * MINUTE);
    await waitFor(() => channelLines(rig!, 'reaches its mailbox at').length === 1, { timeoutMs: 3 * MINUTE, description: 'the "works again" line' });
    expect((await rig.healthz(port)).imapFailing).toEqual({});
    expect(channelLines(rig, 'has not been able to read its mailbox')).toHaveLength(1);
    const healthyDoctor = await rig.doctor();
    expect(healthyDoctor.imap).toMatchObject({ ok: true, warning: false });

    // A healthy session reset the backoff: the next failure waits the first step again.
    steps.length = 0;
    rig.imap.endSessions();
    await waitFor(() => steps.length > 0, { timeoutMs: 5000 });
    expect(steps[0]).toBe(0);
    rig.deliver(taggedEmail('w1'));
    await waitAllPosted(rig.slack, ['w1'], 5000);
    expect(notExactlyOnce(rig.slack, ['w0', 'w1'])).toEqual([]);
  }, 60_000);

  it('doctor fails a server that ends the session right after the login, and names the password when the login is refused', async () => {
    rig = await startServerRig({ endSessionsAfterLoginMs: 0 });
    const ended = await rig.doctor();
    expect(ended.imap.ok).toBe(false);
    expect(ended.imap.detail).toMatch(/^logged in, but the server ended the session at once \(Session ended by the server\): Mailroom would keep reconnecting, a little less often each time, and read no mail/);
    rig.imap.set({ endSessionsAfterLoginMs: null });
    const refused = await rig.doctor({ IMAP_PASSWORD: 'wrong-password' });
    expect(refused.imap.detail).toMatch(/^login refused for support@example\.com/);
  });

  it('a refused login backs off the same way', async () => {
    rig = await startServerRig();
    app = rig.build({ IMAP_PASSWORD: 'wrong-password' }, { imapBackoffMs: (step) => reconnectDelayMs(step) / SPEED });
    await app.start();
    await sleep(2 * MINUTE);
    expect(rig.imap.logins()).toEqual([]);
    const attempts = rig.imap.commands('AUTHENTICATE').length;
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(9);
  });
});
