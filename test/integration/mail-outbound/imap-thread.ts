// A tiny raw IMAP exchange for UID THREAD, which imapflow has no helper for: log in, select a
// mailbox, ask, log out. Test-only; answers are parsed just enough to compare thread shapes.
import net from 'node:net';

export type ThreadTree = Array<number | ThreadTree>;

/** Runs `UID THREAD <algorithm> UTF-8 ALL` and returns the parsed thread list. */
export async function uidThread(opts: { host: string; port: number; user: string; password: string; mailbox: string; algorithm: 'REFERENCES' | 'REFS' }): Promise<ThreadTree[]> {
  const socket = net.connect({ host: opts.host, port: opts.port });
  socket.setEncoding('utf8');
  let buffer = '';
  const waiters: Array<() => void> = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});

  async function waitFor(pattern: RegExp): Promise<string> {
    for (;;) {
      const match = pattern.exec(buffer);
      if (match) {
        const upTo = buffer.slice(0, match.index + match[0].length);
        buffer = buffer.slice(match.index + match[0].length);
        return upTo;
      }
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`IMAP: no ${pattern} in ${JSON.stringify(buffer)}`)), 5000);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  const quote = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;
  async function command(tag: string, text: string): Promise<string> {
    socket.write(`${tag} ${text}\r\n`);
    const response = await waitFor(new RegExp(`^${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`, 'm'));
    if (!new RegExp(`^${tag} OK`, 'm').test(response)) throw new Error(`IMAP ${text.split(' ')[0]} failed: ${response}`);
    return response;
  }

  try {
    await waitFor(/^\* OK[^\r\n]*\r\n/m);
    await command('a1', `LOGIN ${quote(opts.user)} ${quote(opts.password)}`);
    await command('a2', `SELECT ${quote(opts.mailbox)}`);
    const response = await command('a3', `UID THREAD ${opts.algorithm} UTF-8 ALL`);
    const line = /^\* THREAD ?([^\r\n]*)\r\n/m.exec(response);
    if (!line) throw new Error(`no THREAD answer in ${JSON.stringify(response)}`);
    socket.write('a4 LOGOUT\r\n');
    return parseThreads(line[1] as string);
  } finally {
    socket.end();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
    socket.destroy();
  }
}

/** "(1 2 (3)(4))(5)" → [[1, 2, [[3], [4]]], [5]] — nested lists exactly as written. */
export function parseThreads(text: string): ThreadTree[] {
  const stack: ThreadTree[] = [[]];
  for (const token of text.match(/\(|\)|\d+/g) ?? []) {
    if (token === '(') stack.push([]);
    else if (token === ')') {
      const done = stack.pop() as ThreadTree;
      (stack[stack.length - 1] as ThreadTree).push(done);
    } else (stack[stack.length - 1] as ThreadTree).push(Number(token));
  }
  return stack[0] as ThreadTree[];
}

/** Every UID in a thread, flattened. */
export function threadUids(thread: ThreadTree): number[] {
  return thread.flatMap((x) => (typeof x === 'number' ? [x] : threadUids(x)));
}
