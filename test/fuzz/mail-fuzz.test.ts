// A bounded fuzz run: real-looking messages (the product's own fixtures), mutated with a fixed
// seed, go through the parser and through ingestion into a real (in-memory) store. Nothing may
// throw out of them, hang, or grow memory without bound; whatever is stored must be Slack-safe.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { parseEmail } from '../../src/mail/parse/index.ts';
import { createStore, openDb } from '../../src/store/index.ts';
import { ingestEmail } from '../../src/usecases/ingest-email.ts';

const SEED = 0x5eed_2026;
const ROUNDS = 300;
const PER_INPUT_MS = 3_000;

/** mulberry32: small, seedable, good enough to pick mutations. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = join(import.meta.dirname, '..', 'fixtures', 'mail', 'eml');
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.eml'))
  .map((f) => readFileSync(join(dir, f)));

const NASTY = [
  '\r\n--', 'Content-Type: multipart/mixed; boundary=""\r\n', '=?utf-8?B?////?=', '<!channel>', '\u202e\u200b@here',
  'Content-Transfer-Encoding: base64\r\n', '\x00\xff\xfe', '<html><script>x</script>', 'References: ' + '<a@b> '.repeat(500),
  'charset=unknown-8bit', '\r\n\r\n', 'Message-ID: <>\r\n', 'From: \r\n', 'Content-Type: message/rfc822\r\n\r\n',
];

function mutate(input: Buffer, r: () => number): Buffer {
  let b = Buffer.from(input);
  const steps = 1 + Math.floor(r() * 4);
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(r() * Math.max(1, b.length));
    switch (Math.floor(r() * 7)) {
      case 0: // flip bytes
        for (let k = 0; k < 8; k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
        break;
      case 1: // truncate
        b = b.subarray(0, at);
        break;
      case 2: // insert something nasty
        b = Buffer.concat([b.subarray(0, at), Buffer.from(NASTY[Math.floor(r() * NASTY.length)]!, 'latin1'), b.subarray(at)]);
        break;
      case 3: // duplicate a slice (repeated headers, parts)
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.floor(at / 2), at), b.subarray(at)]);
        break;
      case 4: // a very long line
        b = Buffer.concat([b.subarray(0, at), Buffer.alloc(50_000 + Math.floor(r() * 200_000), 'A'), b.subarray(at)]);
        break;
      case 5: // deep nesting
        b = Buffer.concat([Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\n' + '--x\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n'.repeat(200)), b]);
        break;
      default: // swap CRLF for LF or the other way round
        b = Buffer.from(r() < 0.5 ? b.toString('latin1').replace(/\r\n/g, '\n') : b.toString('latin1').replace(/(?<!\r)\n/g, '\r\n'), 'latin1');
    }
  }
  return b;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms))]);
}

describe(`fuzz: ${ROUNDS} mutated messages, seed ${SEED.toString(16)}`, () => {
  it('parses and ingests every one without throwing, hanging or leaking', { timeout: 240_000 }, async () => {
    expect(corpus.length).toBeGreaterThan(10);
    const r = rng(SEED);
    const store = createStore(openDb(':memory:'));
    const [inbox] = store.inboxes.sync([{ key: 'support', name: 'Support', channelId: 'C1', address: 'support@example.com' }]);
    store.imapSync.reset(inbox!.id, 'INBOX', { uidValidity: '1', lastUid: 0, startedAt: 0, rescanPending: false });
    const deps = { store, parse: parseEmail, ourAddresses: new Set(['support@example.com']), ourDomains: ['example.com'], logger: silentLogger() };
    const heapBefore = process.memoryUsage().heapUsed;
    let stored = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const raw = mutate(corpus[Math.floor(r() * corpus.length)]!, r);
      const email = await withTimeout(parseEmail(raw), PER_INPUT_MS, `parse #${i}`);
      expect(typeof email.text).toBe('string');
      for (const field of [email.textMrkdwn, email.replyMrkdwn]) expect(field).not.toMatch(/<!(channel|here|everyone|subteam)|<@[UW]/);
      const outcome = await withTimeout(
        ingestEmail(deps, { identity: { inbox: inbox!, addresses: ['support@example.com'], postBulk: false }, raw, location: { mailbox: 'INBOX', uidValidity: '1', uid: i + 1 }, live: false }),
        PER_INPUT_MS,
        `ingest #${i}`,
      );
      if (outcome.status === 'stored') stored++;
    }
    expect(stored).toBeGreaterThan(ROUNDS / 10);
    expect(store.imapSync.get(inbox!.id, 'INBOX')?.lastUid).toBe(ROUNDS);
    global.gc?.();
    // Bounded memory: the run may keep the store (in memory), not every message it parsed.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(400 * 1024 * 1024);
  });
});

describe('fuzz: mailroom inspect', () => {
  it('gives one JSON line per mutated file, whatever is in it', { timeout: 60_000 }, () => {
    const r = rng(SEED + 1);
    const tmp = mkdtempSync(join(tmpdir(), 'mailroom-fuzz-'));
    try {
      const files = Array.from({ length: 40 }, (_, i) => {
        const f = join(tmp, `m${i}.eml`);
        writeFileSync(f, mutate(corpus[Math.floor(r() * corpus.length)]!, r));
        return f;
      });
      const bin = join(import.meta.dirname, '..', '..', 'bin', 'mailroom.js');
      const out = execFileSync(process.execPath, [bin, 'inspect', '--json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 50_000 });
      const lines = out.split('\n').filter((l) => l.startsWith('{'));
      expect(lines).toHaveLength(files.length);
      for (const [i, line] of lines.entries()) {
        const o = JSON.parse(line) as { file: string; text: unknown; kind: string };
        expect(o.file).toBe(files[i]);
        expect(typeof o.text).toBe('string');
        expect(['human', 'auto-reply', 'bounce', 'report', 'bulk']).toContain(o.kind);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
