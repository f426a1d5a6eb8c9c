// Regression: message metadata carried only row ids, which restart at 1 in every database. A
// retry looking for its own earlier post could adopt another install's post in the same
// channel (or this install's, before a database reset). Posts now carry a random install id.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, email, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

const parentWith = (marker: string) =>
  rig.slack.messagesIn(CHANNEL).find((m) => rig.slack.threadOf(CHANNEL, m.ts).some((r) => JSON.stringify(r.blocks ?? []).includes(marker)));

describe('bug: a retry adopted a post of another database', () => {
  it('a second install in the same channel never takes the first one’s thread as its own', async () => {
    const first = rig.build();
    await first.start();
    await waitFor(() => first.store.imapSync.get(1, 'INBOX'), { timeoutMs: 10_000 });
    await rig.deliver(email({ subject: 'First install', body: 'first-install-marker' }));
    const firstParent = await waitFor(() => parentWith('first-install-marker'), { timeoutMs: 10_000 });
    await first.stop();

    // A fresh database (same channel): its conversation #1 is not the first install's #1.
    const second = rig.build({ DATABASE_PATH: join(rig.dir, 'second.db') });
    await second.start();
    await waitFor(() => second.store.imapSync.get(1, 'INBOX'), { timeoutMs: 10_000 });
    rig.slack.failNext('chat.postMessage', { status: 500 }); // the parent's first try fails: the retry looks for it
    await rig.deliver(email({ subject: 'Second install', body: 'second-install-marker' }));
    const secondParent = await waitFor(() => parentWith('second-install-marker'), { timeoutMs: 15_000 });
    await second.stop();

    expect(secondParent.ts).not.toBe(firstParent.ts);
    expect(rig.slack.threadOf(CHANNEL, firstParent.ts).some((m) => JSON.stringify(m.blocks ?? []).includes('second-install-marker'))).toBe(false);
  });
});
