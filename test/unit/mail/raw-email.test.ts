// Big emails are never held whole in memory: they are read into an unlinked temporary file, parsed
// from it in pieces, and a big attachment is streamed out of it again when it goes to Slack.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAttachment, parseEmail } from '../../../src/mail/parse/index.ts';
import { HEAD_BYTES, rawBytes, rawFromBytes, rawSha256, readRawEmail, type OpenRawEmail } from '../../../src/mail/raw.ts';
import { composeEmail } from '../../support/mail.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'raw-email-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `bytes` arriving in pieces of `size`, as from an IMAP download. */
async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('reading a raw email', () => {
  it('keeps a small email in memory and leaves no file', async () => {
    const bytes = randomBytes(200_000);
    const raw = await readRawEmail(inPieces(bytes, 65_536), dir);
    expect(raw.bytes?.equals(bytes)).toBe(true);
    expect(raw.size).toBe(bytes.length);
    expect(await readdir(dir)).toEqual([]);
    await raw.close();
  });

  it('puts a big one in a file nobody else can see, and reads it back whole and from any byte', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const raw = await readRawEmail(inPieces(bytes, 1024 * 1024), dir);
    try {
      expect(raw.bytes).toBeNull();
      expect(raw.size).toBe(bytes.length);
      expect(raw.head.equals(bytes.subarray(0, HEAD_BYTES))).toBe(true);
      // Unlinked as soon as it was made: nothing to leak if the process dies.
      expect(await readdir(dir)).toEqual([]);
      expect((await collect(raw.stream())).equals(bytes)).toBe(true);
      expect((await collect(raw.stream(2_000_000))).equals(bytes.subarray(2_000_000))).toBe(true);
      expect((await rawBytes(raw)).equals(bytes)).toBe(true);
      expect(await rawSha256(raw)).toBe(createHash('sha256').update(bytes).digest('hex'));
    } finally {
      await raw.close();
    }
  });

  it('a source that fails part-way rejects, and its file is closed', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield randomBytes(HEAD_BYTES);
      yield randomBytes(HEAD_BYTES);
      throw new Error('connection dropped');
    }
    await expect(readRawEmail(failing(), dir)).rejects.toThrow('connection dropped');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('attachments of a big email', () => {
  const big = randomBytes(3 * 1024 * 1024);
  const small = randomBytes(40_000);
  let eml: Buffer;
  let raw: OpenRawEmail;
  beforeAll(async () => {
    eml = await composeEmail({
      from: 'Carla <carla@customer.example>',
      to: 'support@acme.example',
      subject: 'Scans',
      text: 'The scans are attached.',
      attachments: [
        { filename: 'note.txt', content: small, contentType: 'text/plain' },
        { filename: 'scans.pdf', content: big, contentType: 'application/pdf' },
      ],
    });
    raw = await readRawEmail(inPieces(eml, 1024 * 1024), dir);
  });
  afterAll(async () => {
    await raw?.close();
  });

  it('keeps a small attachment in memory, and only the size of a big one', async () => {
    const email = await parseEmail(raw);
    expect(email.size).toBe(eml.length);
    expect(email.text.trim()).toBe('The scans are attached.');
    const [note, scans] = email.attachments;
    expect(note?.content?.equals(small)).toBe(true);
    expect(scans).toMatchObject({ filename: 'scans.pdf', contentType: 'application/pdf', size: big.length, content: null });
  });

  it('streams an attachment out of the raw email byte for byte, by its place', async () => {
    const scans = await openAttachment(raw, 1);
    expect(scans).not.toBeNull();
    expect((await collect(scans!)).equals(big)).toBe(true);
    const note = await openAttachment(raw, 0);
    expect((await collect(note!)).equals(small)).toBe(true);
  });

  it('has nothing for a place past the last attachment', async () => {
    expect(await openAttachment(raw, 2)).toBeNull();
    expect(await openAttachment(rawFromBytes(Buffer.from('Subject: none\r\n\r\njust text\r\n')), 0)).toBeNull();
  });

  it('parses the same from memory as from the file', async () => {
    const fromMemory = await parseEmail(eml);
    const fromFile = await parseEmail(raw);
    expect(fromFile).toEqual(fromMemory);
  });
});
