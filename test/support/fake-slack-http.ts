/** HTTP plumbing of the fake Slack API: reading request bodies the way Slack accepts them. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads the whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses a Web API request's arguments from query, form, JSON or multipart bodies. */
export async function parseArgs(req: IncomingMessage, body: Buffer, url: URL): Promise<Record<string, unknown>> {
  const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return args;
  if (type.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object') Object.assign(args, parsed);
  } else if (type.startsWith('multipart/form-data')) {
    for (const [key, value] of await multipart(type, body)) {
      args[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    }
  } else {
    Object.assign(args, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  }
  return args;
}

/** Parses a multipart/form-data body with the platform's own parser. */
export async function multipart(contentType: string, body: Buffer): Promise<[string, string | Blob][]> {
  const request = new Request('http://fake.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body });
  const form = await request.formData();
  return [...form.entries()] as [string, string | Blob][];
}

/** Bytes of an uploaded file: the raw body, or the first file part of a multipart body. */
export async function uploadedBytes(req: IncomingMessage, body: Buffer): Promise<Buffer> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('multipart/form-data')) return body;
  const parts = await multipart(type, body);
  const file = parts.find(([, value]) => typeof value !== 'string') ?? parts[0];
  if (!file) return Buffer.alloc(0);
  return typeof file[1] === 'string' ? Buffer.from(file[1]) : Buffer.from(await file[1].arrayBuffer());
}

/** The bearer token of a request, if any. */
export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
