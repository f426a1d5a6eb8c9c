// A server that advertises IDLE but never announces new mail by itself (as Cyrus without idled, or
// Courier without enhanced IDLE, do for up to a minute): the NOOP check while idling gets each
// email to Slack within IMAP_IDLE_CHECK_SECONDS, once; on a server that pushes, the check adds no
// FETCH; doctor says which kind the server turned out to be.
import { afterEach, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { sleep, waitFor } from '../../support/wait.ts';
import { notExactlyOnce, quiet, taggedEmail, tally, waitAllPosted } from '../inbound-faults/tally.ts';
import { startServerRig, type ServerRig } from './rig.ts';

let rig: ServerRig | undefined;
let app: MailroomApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await rig?.close();
  rig = undefined;
});

/** Waits until the app is idling (its last command is IDLE). */
async function idling(r: ServerRig): Promise<void> {
  await waitFor(() => r.imap.commands().at(-1)?.name === 'IDLE', { timeoutMs: 5000, description: 'the app in IDLE' });
}

describe('lazy IDLE', () => {
  it('bug: new mail waited for the server to look by itself; now the check every IMAP_IDLE_CHECK_SECONDS brings it within that time, once', async () => {
    rig = await startServerRig({ idle: 'lazy' });
    ({ app } = await rig.start({ IMAP_IDLE_CHECK_SECONDS: '1' }));
    const delays: number[] = [];
    for (const t of ['l0', 'l1', 'l2']) {
      await idling(rig);
      const at = Date.now();
      rig.deliver(taggedEmail(t));
      await waitAllPosted(rig.slack, [t], 5000, undefined, 0);
      delays.push(Date.now() - at);
    }
    // Within the check interval, plus the fetch and the post.
    for (const d of delays) expect(d).toBeLessThan(1800);
    await waitFor(() => app!.store.messages.unposted().length === 0, { timeoutMs: 5000 });
    await quiet(rig.slack, 1500);
    expect(notExactlyOnce(rig.slack, ['l0', 'l1', 'l2'])).toEqual([]);
    expect(rig.logs.filter((l) => l.msg === 'IMAP new mail found by the idle check: the server did not announce it by itself')).toHaveLength(3);

    const doctor = await rig.doctor({ IMAP_IDLE_CHECK_SECONDS: '1' });
    expect(doctor.imap).toMatchObject({ ok: true, warning: true });
    expect(doctor.imap.detail).toContain('IDLE supported, but the server does not announce new mail by itself (it announced 0 of 3 emails while idling): Mailroom asks every 1 s (IMAP_IDLE_CHECK_SECONDS)');
  });

  it('with the check off (0), the same server leaves new mail unannounced: what the check is for', async () => {
    rig = await startServerRig({ idle: 'lazy' });
    ({ app } = await rig.start({ IMAP_IDLE_CHECK_SECONDS: '0' }));
    await idling(rig);
    rig.deliver(taggedEmail('z0'));
    await sleep(2500);
    expect(tally(rig.slack, ['z0']).get('z0')).toEqual({ parents: 0, messages: 0 });
    expect(rig.imap.commands('NOOP')).toEqual([]);
    const doctor = await rig.doctor({ IMAP_IDLE_CHECK_SECONDS: '0' });
    expect(doctor.imap.detail).toContain('with IMAP_IDLE_CHECK_SECONDS=0 Mailroom does not check whether the server announces new mail at once');
  });

  it('on a server that pushes, mail comes at once and the checks cost one NOOP each, no FETCH', async () => {
    rig = await startServerRig({ idle: 'push' });
    ({ app } = await rig.start({ IMAP_IDLE_CHECK_SECONDS: '1' }));
    await idling(rig);
    const at = Date.now();
    rig.deliver(taggedEmail('p0'));
    await waitAllPosted(rig.slack, ['p0'], 5000, undefined, 0);
    expect(Date.now() - at).toBeLessThan(700);
    await idling(rig);
    const fetches = rig.imap.commands('UID FETCH').length;
    const noops = rig.imap.commands('NOOP').length;
    await sleep(3500);
    expect(rig.imap.commands('NOOP').length - noops).toBeGreaterThanOrEqual(2);
    expect(rig.imap.commands('UID FETCH').length).toBe(fetches);
    expect(notExactlyOnce(rig.slack, ['p0'])).toEqual([]);
    const doctor = await rig.doctor({ IMAP_IDLE_CHECK_SECONDS: '1' });
    expect(doctor.imap).toMatchObject({ ok: true, warning: false });
    expect(doctor.imap.detail).toContain('IDLE supported, the server announces new mail at once (1 of 1 email while idling)');
  });
});
