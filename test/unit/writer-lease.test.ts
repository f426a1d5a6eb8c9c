import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createStore, openDb } from '../../src/store/index.ts';
import { createWriterLease, holderGone } from '../../src/usecases/writer-lease.ts';
import { waitFor } from '../support/wait.ts';

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines, said: (msg: string) => lines.some((l) => String(l.msg).includes(msg)) };
}

describe('the writer lease of a process', () => {
  it('stands by while another holds the database, serving health meanwhile, then takes over once released', async () => {
    const store = createStore(openDb(':memory:'));
    const log = memoryLogger();
    const other = store.lease.acquire('elsewhere:1:ab', Date.now(), 60_000)!;
    const lease = createWriterLease({ store, logger: log.logger, pollMs: 10 });
    let closed = 0;
    const acquired = lease.acquire({ whileStandby: async () => ({ port: 1234, close: async () => void closed++ }) });
    await waitFor(() => lease.role() === 'standby', { timeoutMs: 2000 });
    expect(log.said('standing by')).toBe(true);
    expect(closed).toBe(0);
    store.lease.release(other);
    const token = await acquired;
    expect(token).toMatchObject({ holder: lease.holder, epoch: 2 });
    expect(lease.role()).toBe('holder');
    expect(closed).toBe(1);
    expect(log.said('took over the database lease')).toBe(true);
    await lease.release();
    expect(store.lease.holds(token!, Date.now())).toBe(false);
  });

  it('says in the log when work waits while it stands by', async () => {
    const store = createStore(openDb(':memory:'));
    const log = memoryLogger();
    store.lease.acquire('elsewhere:1:ab', Date.now(), 60_000);
    const lease = createWriterLease({ store, logger: log.logger, pollMs: 5, waitingNoteMs: 20 });
    const [inbox] = store.inboxes.sync([{ key: 's', name: 'S', channelId: 'C1', address: 's@x.com' }]);
    store.outbox.add({ conversationId: null, inboxId: inbox!.id, kind: 'compose', slackUserId: 'U1', payload: {}, messageId: 'm@x.com', sendAt: 0 });
    const acquired = lease.acquire();
    await waitFor(() => log.said('standing by while work waits'), { timeoutMs: 2000 });
    await lease.release();
    expect(await acquired).toBeNull();
  });

  it('stops as lost when a renewal finds the lease taken, once', async () => {
    const store = createStore(openDb(':memory:'));
    const log = memoryLogger();
    let t = 1_000_000;
    const lease = createWriterLease({ store, logger: log.logger, ttlMs: 100, heartbeatMs: 5, now: () => t });
    let lost = 0;
    lease.onLost(() => lost++);
    await lease.acquire();
    t += 200;
    store.lease.acquire('elsewhere:1:ab', t, 100);
    await waitFor(() => lost > 0, { timeoutMs: 2000 });
    await new Promise((r) => setTimeout(r, 30));
    expect(lost).toBe(1);
    expect(lease.role()).toBe('lost');
    expect(log.said('lost the database lease')).toBe(true);
  });

  it('knows a holder of this machine that no longer runs, and not one elsewhere or running', () => {
    const me = { host: 'box', pid: 42 };
    expect(holderGone('box:42:abcdef', me)).toBe(true);
    expect(holderGone(`box:${process.pid}:abcdef`, me)).toBe(false);
    expect(holderGone('box:999999:abcdef', me)).toBe(true);
    expect(holderGone('other:999999:abcdef', me)).toBe(false);
    expect(holderGone('not a holder', me)).toBe(false);
  });
});
