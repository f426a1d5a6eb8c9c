/**
 * The bytes of IMAP (RFC 3501, RFC 9051) for the test server in imap-server.ts: reading a client's
 * command (lines with literals in between) into tokens, and writing the server's answers (quoted
 * strings, literals, dates, sequence sets). Written from the RFCs' grammar, for what imapflow sends.
 */

export type Token =
  | { t: 'atom'; v: string }
  | { t: 'string'; v: string }
  | { t: 'literal'; v: Buffer }
  | { t: 'list'; v: Token[] };

/** Where a literal sat in a command's text (its bytes are in `literals`, in order). */
const LITERAL_MARK = '\u0001';

export interface RawCommand {
  /** The command's text with LITERAL_MARK where each literal was. */
  text: string;
  literals: Buffer[];
}

/**
 * Splits a client's byte stream into commands. A line ending in `{n}` announces n bytes of
 * literal: the reader asks `onContinue` to send the "+" continuation (RFC 3501 7.5), takes the
 * bytes, and the command goes on after them.
 */
export class CommandReader {
  private buffer = Buffer.alloc(0);
  private text = '';
  private literals: Buffer[] = [];
  private literalLeft = -1;

  constructor(
    private readonly onCommand: (command: RawCommand) => void,
    private readonly onContinue: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.literalLeft >= 0) {
        if (this.buffer.length < this.literalLeft) return;
        this.literals.push(this.buffer.subarray(0, this.literalLeft));
        this.buffer = this.buffer.subarray(this.literalLeft);
        this.text += LITERAL_MARK;
        this.literalLeft = -1;
        continue;
      }
      const eol = this.buffer.indexOf('\r\n');
      if (eol < 0) return;
      const line = this.buffer.subarray(0, eol).toString('utf8');
      this.buffer = this.buffer.subarray(eol + 2);
      const literal = /\{(\d+)(\+?)\}$/.exec(line);
      if (literal) {
        this.text += line.slice(0, literal.index);
        this.literalLeft = Number(literal[1]);
        if (!literal[2]) this.onContinue();
        continue;
      }
      this.text += line;
      const command = { text: this.text, literals: this.literals };
      this.text = '';
      this.literals = [];
      this.onCommand(command);
    }
  }
}

const ATOM_END = new Set([' ', '(', ')', '"', LITERAL_MARK]);

/** The tokens of a command's text (after its tag and name, or the whole of it). */
export function tokenize(command: RawCommand): Token[] {
  const { text, literals } = command;
  let i = 0;
  let literal = 0;
  const readList = (close: string | null): Token[] => {
    const out: Token[] = [];
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === ' ') {
        i++;
      } else if (ch === close) {
        i++;
        return out;
      } else if (ch === '(') {
        i++;
        out.push({ t: 'list', v: readList(')') });
      } else if (ch === '"') {
        i++;
        let s = '';
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          s += text[i++] ?? '';
        }
        i++;
        out.push({ t: 'string', v: s });
      } else if (ch === LITERAL_MARK) {
        i++;
        out.push({ t: 'literal', v: literals[literal++] ?? Buffer.alloc(0) });
      } else {
        // An atom; a section in brackets (BODY.PEEK[HEADER.FIELDS (A B)]) is part of it.
        let s = '';
        while (i < text.length && !ATOM_END.has(text[i]!)) {
          if (text[i] === '[') {
            const end = text.indexOf(']', i);
            const stop = end < 0 ? text.length : end + 1;
            s += text.slice(i, stop);
            i = stop;
          } else s += text[i++];
        }
        out.push({ t: 'atom', v: s });
      }
    }
    return out;
  };
  return readList(null);
}

/** A token's text: atoms, quoted strings and literals alike (astring, RFC 3501 9). */
export function str(token: Token | undefined): string | null {
  if (!token || token.t === 'list') return null;
  return token.t === 'literal' ? token.v.toString('utf8') : token.v;
}

/** A quoted string, or a literal when the text can't be quoted. */
export function quote(s: string): string {
  if (/[\r\n\u0080-\uffff]/.test(s)) return `{${Buffer.byteLength(s)}}\r\n${s}`;
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** INTERNALDATE as RFC 3501 writes it: "17-Jul-1996 02:44:25 +0000" (in UTC here). */
export function imapDate(d: Date): string {
  return `${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** A date-time an APPEND gives, or null when it is not one. */
export function parseImapDate(s: string): Date | null {
  const m = /^\s?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(s);
  if (!m) return null;
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase());
  if (month < 0) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return new Date(Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset);
}

/** A search date ("1-Feb-1994"): the start of that day, UTC. */
export function parseSearchDate(s: string): Date | null {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(s);
  const month = m ? MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase()) : -1;
  return m && month >= 0 ? new Date(Date.UTC(Number(m[3]), month, Number(m[1]))) : null;
}

/**
 * Whether `n` is in a sequence set (RFC 3501 9, sequence-set), `*` being `max`. A range is the
 * same either way round, so `7:*` holds the largest number even when it is below 7.
 */
export function inSet(set: string, n: number, max: number): boolean {
  const value = (s: string) => (s === '*' ? max : Number(s));
  for (const part of set.split(',')) {
    const [a, b] = part.split(':') as [string, string | undefined];
    const lo = value(a);
    const hi = b === undefined ? lo : value(b);
    if (n >= Math.min(lo, hi) && n <= Math.max(lo, hi)) return true;
  }
  return false;
}

export const isSequenceSet = (s: string) => /^(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*$/.test(s);

/** A raw message's header block (with its blank line) and body. */
export function splitMessage(raw: Buffer): { header: Buffer; body: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { header: raw, body: Buffer.alloc(0) };
  return { header: raw.subarray(0, end + 4), body: raw.subarray(end + 4) };
}

/** The unfolded header fields of a message, in order. */
export function headerFields(raw: Buffer): { name: string; line: string }[] {
  const text = splitMessage(raw).header.toString('utf8');
  const out: { name: string; line: string }[] = [];
  for (const line of text.split('\r\n')) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1]!.line += `\r\n${line}`;
    else if (line.includes(':')) out.push({ name: line.slice(0, line.indexOf(':')).trim().toLowerCase(), line });
  }
  return out;
}
