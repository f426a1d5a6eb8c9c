// A raw email (RFC 5322 bytes), held in memory when small and in a temporary file when big, so
// that a 34 MB email with a 25 MB attachment is never in memory whole: it is downloaded into a
// file, parsed from it in pieces, and its attachment streamed from it to Slack.
//
// The file is unlinked as soon as it is created and read through its open descriptor: nothing is
// left on disk when the email is done with, or if the process dies.
import { createHash, randomUUID } from 'node:crypto';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { StoredMessage } from '../core/types.ts';

export interface RawEmail {
  size: number;
  /** The first HEAD_BYTES (all of it when the email is smaller): the header block and the start of the body. */
  head: Buffer;
  /** The whole email when it is held in memory; null when it is in a file. */
  bytes: Buffer | null;
  /** The email from byte `start` on, in pieces. */
  stream(start?: number): Readable;
}

/** A raw email read from somewhere, to be closed when done with (its file, if it has one). */
export interface OpenRawEmail extends RawEmail {
  close(): Promise<void>;
}

/**
 * `use` run on a received email's raw bytes, read again (from the store's spool while it is not
 * yet in Slack, else from its mailbox); null when they can't be had. Big emails are in a file
 * for as long as `use` runs.
 */
export type WithRaw = <T>(message: StoredMessage, use: (raw: RawEmail) => Promise<T>, o?: { timeoutMs?: number }) => Promise<T | null>;

export const HEAD_BYTES = 1024 * 1024;
const PIECE = 64 * 1024;

export function rawFromBytes(bytes: Buffer): RawEmail {
  return {
    size: bytes.length,
    head: bytes.subarray(0, HEAD_BYTES),
    bytes,
    // In pieces: one big Buffer reaches mailparser's base64 decoder as one chunk, decoded through
    // two strings the size of the whole email.
    stream: (start = 0) => Readable.from(pieces(bytes.subarray(start))),
  };
}

export function asRaw(raw: Buffer | RawEmail): RawEmail {
  return Buffer.isBuffer(raw) ? rawFromBytes(raw) : raw;
}

/**
 * Reads `source` through: held in memory up to HEAD_BYTES, and written into an unlinked
 * temporary file (in `dir`) past that.
 */
export async function readRawEmail(source: AsyncIterable<Buffer>, dir = os.tmpdir()): Promise<OpenRawEmail> {
  let held: Buffer[] = [];
  let head: Buffer | null = null;
  let size = 0;
  let file: FileHandle | null = null;
  try {
    for await (const chunk of source) {
      if (!file && size + chunk.length > HEAD_BYTES) {
        file = await openUnlinked(dir);
        const before = Buffer.concat(held, size);
        await writeAll(file, before, 0);
        head = Buffer.concat([before, chunk.subarray(0, HEAD_BYTES - size)]);
        held = [];
      }
      if (file) await writeAll(file, chunk, size);
      else held.push(chunk);
      size += chunk.length;
    }
  } catch (err) {
    await file?.close().catch(() => undefined);
    throw err;
  }
  if (!file || !head) return { ...rawFromBytes(Buffer.concat(held, size)), close: async () => undefined };
  const fh = file;
  let closed = false;
  return {
    size,
    head,
    bytes: null,
    stream: (start = 0) => fh.createReadStream({ start, autoClose: false, highWaterMark: PIECE }),
    async close() {
      if (closed) return;
      closed = true;
      await fh.close().catch(() => undefined);
    },
  };
}

/** The whole email in memory (forwarding attaches it; showing it whole reads it). */
export async function rawBytes(raw: RawEmail): Promise<Buffer> {
  if (raw.bytes) return raw.bytes;
  const out = Buffer.allocUnsafe(raw.size);
  let at = 0;
  for await (const chunk of raw.stream() as AsyncIterable<Buffer>) {
    chunk.copy(out, at);
    at += chunk.length;
  }
  return out.subarray(0, at);
}

/** SHA-256 of the whole email, hex. */
export async function rawSha256(raw: RawEmail): Promise<string> {
  const hash = createHash('sha256');
  if (raw.bytes) return hash.update(raw.bytes).digest('hex');
  for await (const chunk of raw.stream() as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/** A new file, already unlinked: it lives as long as its descriptor. */
async function openUnlinked(dir: string): Promise<FileHandle> {
  const file = path.join(dir, `mailroom-${process.pid}-${randomUUID()}.eml`);
  const fh = await open(file, 'wx+', 0o600);
  await unlink(file).catch(async (err) => {
    await fh.close();
    throw err;
  });
  return fh;
}

async function writeAll(fh: FileHandle, chunk: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, done, chunk.length - done, position + done);
    done += bytesWritten;
  }
}

function* pieces(bytes: Buffer): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += PIECE) yield bytes.subarray(i, i + PIECE);
}
