/**
 * A small IMAP server of our own (node:net on 127.0.0.1), for the servers that are not Dovecot.
 * It speaks enough of RFC 3501 / RFC 9051 for imapflow — greeting, CAPABILITY, LOGIN and
 * AUTHENTICATE PLAIN, NAMESPACE (RFC 2342), LIST and LSUB with special-use flags (RFC 6154),
 * SELECT/EXAMINE, STATUS, SEARCH, FETCH, IDLE (RFC 2177), NOOP, APPEND (with UIDPLUS's APPENDUID),
 * CREATE with USE (CREATE-SPECIAL-USE), SUBSCRIBE, LOGOUT — and can behave as other servers
 * do: leave UIDNEXT out, give a mailbox a new UIDVALIDITY at every login, advertise IDLE and never
 * announce anything, end every session soon after login. Behaviour can change while it runs.
 * Mail is kept in memory. Commands it does not know are answered BAD and recorded.
 */
import net from 'node:net';
import { CommandReader, headerFields, imapDate, inSet, isSequenceSet, parseImapDate, parseSearchDate, quote, splitMessage, str, tokenize, type RawCommand, type Token } from './imap-wire.ts';

export interface ImapServerBehaviour {
  /** UIDNEXT in the SELECT/EXAMINE answer (RFC 3501 lets a server leave it out; Courier does). */
  uidNextInSelect: boolean;
  /** UIDNEXT in STATUS answers. */
  uidNextInStatus: boolean;
  /**
   * `push`: an IDLE-ing client hears of new mail at once. `lazy`: IDLE is advertised, but new mail
   * is told only in answer to a command (NOOP…), as servers that check every minute or so behave.
   * false: no IDLE capability.
   */
  idle: 'push' | 'lazy' | false;
  /** When a login gives a mailbox a new UIDVALIDITY: never, only while it is empty, or always. */
  newUidValidity: 'never' | 'while-empty' | 'always';
  /** Every session is ended (BYE, then closed) this long after its login; null: never. */
  endSessionsAfterLoginMs: number | null;
  /** LIST tells special-use flags (SPECIAL-USE). */
  specialUse: boolean;
  /** CREATE takes a USE parameter (CREATE-SPECIAL-USE). */
  createSpecialUse: boolean;
  /** CREATE … (USE …) is answered NO [USEATTR], as a server that can't give that use does. */
  refuseSpecialUse: boolean;
}

export interface ImapServerOptions extends Partial<ImapServerBehaviour> {
  users?: { user: string; password: string }[];
  /** The personal namespace (RFC 2342). Default: no prefix, "/" as delimiter. */
  namespace?: { prefix: string; delimiter: string };
  /** Mailboxes besides INBOX, with their special use (e.g. '\\Sent'). */
  mailboxes?: { name: string; specialUse?: string }[];
}

export interface StoredMessage {
  uid: number;
  raw: Buffer;
  flags: Set<string>;
  internalDate: Date;
}

interface Mailbox {
  name: string;
  specialUse: string | null;
  uidValidity: number;
  uidNext: number;
  messages: StoredMessage[];
  subscribed: boolean;
}

export interface ImapCommandRecord {
  at: number;
  session: number;
  /** e.g. "UID FETCH", "EXAMINE"; arguments of LOGIN and AUTHENTICATE are left out. */
  name: string;
  args: string;
}

export interface TestImapServer {
  host: string;
  port: number;
  users: { user: string; password: string }[];
  /** Changes how the server behaves from the next command or login on. */
  set(behaviour: Partial<ImapServerBehaviour>): void;
  /** Adds a message (as a delivery would) and tells the sessions that have the mailbox open. */
  append(mailbox: string, raw: string | Buffer, o?: { date?: Date; flags?: string[] }): number;
  /** A mailbox as it is now (null when there is none). */
  mailbox(name: string): { name: string; specialUse: string | null; uidValidity: number; uidNext: number; messages: StoredMessage[] } | null;
  mailboxNames(): string[];
  /** When each successful login happened. */
  logins(): number[];
  commands(name?: string): ImapCommandRecord[];
  /** Sessions open now. */
  openSessions(): number;
  /** Ends every open session with a BYE. */
  endSessions(reason?: string): void;
  /** imapflow-style settings for the first user. */
  imapOptions(): { host: string; port: number; secure: false; auth: { user: string; pass: string } };
  stop(): Promise<void>;
}

const SPECIAL_USES = new Set(['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash']);

export async function startImapServer(o: ImapServerOptions = {}): Promise<TestImapServer> {
  const behaviour: ImapServerBehaviour = {
    uidNextInSelect: o.uidNextInSelect ?? true,
    uidNextInStatus: o.uidNextInStatus ?? true,
    idle: o.idle ?? 'push',
    newUidValidity: o.newUidValidity ?? 'never',
    endSessionsAfterLoginMs: o.endSessionsAfterLoginMs ?? null,
    specialUse: o.specialUse ?? true,
    createSpecialUse: o.createSpecialUse ?? true,
    refuseSpecialUse: o.refuseSpecialUse ?? false,
  };
  const users = o.users ?? [{ user: 'support@example.com', password: 'support-password' }];
  const ns = o.namespace ?? { prefix: '', delimiter: '/' };
  let validity = 3_000_000 + Math.floor(Math.random() * 1_000_000);
  const mailboxes = new Map<string, Mailbox>();
  const addMailbox = (name: string, specialUse: string | null) =>
    mailboxes.set(name, { name, specialUse, uidValidity: ++validity, uidNext: 1, messages: [], subscribed: true });
  addMailbox('INBOX', null);
  for (const m of o.mailboxes ?? []) addMailbox(m.name, m.specialUse ?? null);
  const logins: number[] = [];
  const commandLog: ImapCommandRecord[] = [];
  const sessions = new Set<Session>();
  let sessionIds = 0;

  const find = (name: string | null) => (name === null ? undefined : mailboxes.get(name.toUpperCase() === 'INBOX' ? 'INBOX' : name));
  const capabilities = () =>
    ['IMAP4rev1', 'AUTH=PLAIN', 'NAMESPACE', 'UIDPLUS', ...(behaviour.idle ? ['IDLE'] : []), ...(behaviour.specialUse ? ['SPECIAL-USE'] : []), ...(behaviour.createSpecialUse ? ['CREATE-SPECIAL-USE'] : [])].join(' ');

  class Session {
    readonly id = ++sessionIds;
    state: 'login' | 'auth' | 'selected' | 'logout' = 'login';
    selected: Mailbox | null = null;
    readOnly = false;
    /** Messages of the selected mailbox this client has been told of. */
    known = 0;
    idling: string | null = null;
    sasl: string | null = null;
    private endTimer: NodeJS.Timeout | undefined;
    private readonly reader: CommandReader;

    constructor(readonly socket: net.Socket) {
      this.reader = new CommandReader(
        (c) => this.command(c),
        () => this.line('+ Ready for literal data'),
      );
      socket.on('data', (d: Buffer) => this.reader.push(d));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(this.endTimer);
        sessions.delete(this);
      });
      this.line(`* OK [CAPABILITY ${capabilities()}] Mailroom test IMAP server ready`);
    }

    line(text: string | (string | Buffer)[]): void {
      if (this.socket.destroyed || !this.socket.writable) return;
      const parts = typeof text === 'string' ? [text] : text;
      this.socket.write(Buffer.concat([...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)), Buffer.from('\r\n')]));
    }

    bye(reason: string): void {
      this.line(`* BYE ${reason}`);
      this.state = 'logout';
      this.socket.end();
    }

    /** New mail in the selected mailbox, told as EXISTS (RFC 3501 7.3.1). */
    flush(): void {
      if (this.selected && this.selected.messages.length > this.known) {
        this.known = this.selected.messages.length;
        this.line(`* ${this.known} EXISTS`);
      }
    }

    private loggedIn(tag: string, user: string | null, password: string | null): void {
      if (!users.some((u) => u.user === user && u.password === password)) return this.line(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials`);
      this.state = 'auth';
      logins.push(Date.now());
      for (const m of mailboxes.values())
        if (behaviour.newUidValidity === 'always' || (behaviour.newUidValidity === 'while-empty' && m.messages.length === 0)) m.uidValidity = ++validity;
      this.line(`${tag} OK [CAPABILITY ${capabilities()}] Logged in`);
      const after = behaviour.endSessionsAfterLoginMs;
      if (after !== null) this.endTimer = setTimeout(() => this.bye('Session ended by the server'), after);
    }

    private command(raw: RawCommand): void {
      if (this.state === 'logout') return;
      if (this.idling !== null) {
        const tag = this.idling;
        if (raw.text.trim().toUpperCase() !== 'DONE') return this.line(`${tag} BAD Expected DONE`);
        this.idling = null;
        this.flush();
        return this.line(`${tag} OK IDLE terminated`);
      }
      if (this.sasl !== null) {
        const tag = this.sasl;
        this.sasl = null;
        commandLog.push({ at: Date.now(), session: this.id, name: 'AUTHENTICATE (response)', args: '' });
        return this.plain(tag, raw.text.trim());
      }
      const tokens = tokenize(raw);
      const tag = str(tokens[0]);
      let name = str(tokens[1])?.toUpperCase() ?? '';
      let args = tokens.slice(2);
      if (!tag || !name) return this.line('* BAD Empty command');
      if (name === 'UID') {
        name = `UID ${str(args[0])?.toUpperCase() ?? ''}`;
        args = args.slice(1);
      }
      const secret = name === 'LOGIN' || name === 'AUTHENTICATE';
      commandLog.push({ at: Date.now(), session: this.id, name, args: secret ? '' : raw.text.replace(/^\S+ +(UID +)?\S+ ?/i, '').slice(0, 300) });
      try {
        this.run(tag, name, args);
      } catch (err) {
        this.line(`${tag} BAD ${(err as Error).message}`);
      }
    }

    private plain(tag: string, response: string): void {
      const parts = Buffer.from(response, 'base64').toString('utf8').split('\0');
      this.loggedIn(tag, parts[1] ?? null, parts[2] ?? null);
    }

    private run(tag: string, name: string, args: Token[]): void {
      const ok = (text = `${name} completed`) => {
        if (this.selected) this.flush();
        this.line(`${tag} OK ${text}`);
      };
      const authed = this.state === 'auth' || this.state === 'selected';
      const selected = this.state === 'selected' && this.selected;
      switch (name) {
        case 'CAPABILITY':
          this.line(`* CAPABILITY ${capabilities()}`);
          return ok();
        case 'NOOP':
        case 'CHECK':
          return ok();
        case 'LOGOUT':
          this.line('* BYE Logging out');
          this.line(`${tag} OK LOGOUT completed`);
          this.state = 'logout';
          this.socket.end();
          return;
        case 'LOGIN':
          if (this.state !== 'login') return this.line(`${tag} BAD Already logged in`);
          return this.loggedIn(tag, str(args[0]), str(args[1]));
        case 'AUTHENTICATE': {
          if (this.state !== 'login') return this.line(`${tag} BAD Already logged in`);
          if (str(args[0])?.toUpperCase() !== 'PLAIN') return this.line(`${tag} NO Unsupported mechanism`);
          const initial = str(args[1]);
          if (initial) return this.plain(tag, initial);
          this.sasl = tag;
          return this.line('+ ');
        }
      }
      if (!authed) return this.line(`${tag} BAD Log in first`);
      switch (name) {
        case 'NAMESPACE':
          this.line(`* NAMESPACE ((${quote(ns.prefix)} ${quote(ns.delimiter)})) NIL NIL`);
          return ok();
        case 'LIST':
        case 'LSUB':
          return this.list(tag, name, args);
        case 'SUBSCRIBE':
        case 'UNSUBSCRIBE': {
          const box = find(str(args[0]));
          if (!box) return this.line(`${tag} NO No such mailbox`);
          box.subscribed = name === 'SUBSCRIBE';
          return ok();
        }
        case 'CREATE':
          return this.create(tag, args);
        case 'SELECT':
        case 'EXAMINE':
          return this.select(tag, name, args);
        case 'STATUS':
          return this.status(tag, args);
        case 'APPEND':
          return this.appendCommand(tag, args);
        case 'IDLE':
          if (!behaviour.idle) return this.line(`${tag} BAD Unknown command`);
          this.idling = tag;
          this.line('+ idling');
          if (behaviour.idle === 'push') this.flush();
          return;
        case 'CLOSE':
        case 'UNSELECT':
          this.selected = null;
          this.state = 'auth';
          return ok();
      }
      if (!selected) return this.line(`${tag} BAD No mailbox selected`);
      switch (name) {
        case 'FETCH':
        case 'UID FETCH':
          this.fetch(selected, name === 'UID FETCH', args);
          return ok();
        case 'SEARCH':
        case 'UID SEARCH':
          this.line(`* SEARCH ${search(selected, name === 'UID SEARCH', args).join(' ')}`.trimEnd());
          return ok();
      }
      this.line(`${tag} BAD Unknown command ${name}`);
    }

    private list(tag: string, name: string, args: Token[]): void {
      const pattern = `${str(args[0]) ?? ''}${str(args[1]) ?? ''}`;
      if (pattern === '') {
        this.line(`* ${name} (\\Noselect) ${quote(ns.delimiter)} ""`);
        return this.line(`${tag} OK ${name} completed`);
      }
      const d = ns.delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const source = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, `[^${d}]*`);
      const re = new RegExp(`^${source}$`);
      for (const box of mailboxes.values()) {
        if (name === 'LSUB' && !box.subscribed) continue;
        // INBOX is the one name matched case-insensitively (RFC 3501 5.1).
        if (!re.test(box.name) && !(box.name === 'INBOX' && new RegExp(`^${source}$`, 'i').test('INBOX'))) continue;
        const children = [...mailboxes.keys()].some((k) => k.startsWith(`${box.name}${ns.delimiter}`));
        const flags = [children ? '\\HasChildren' : '\\HasNoChildren', ...(behaviour.specialUse && box.specialUse ? [box.specialUse] : [])];
        this.line(`* ${name} (${flags.join(' ')}) ${quote(ns.delimiter)} ${quote(box.name)}`);
      }
      this.line(`${tag} OK ${name} completed`);
    }

    private create(tag: string, args: Token[]): void {
      const name = (str(args[0]) ?? '').replace(new RegExp(`[${ns.delimiter.replace(/[\]\\^-]/g, '\\$&')}]$`), '');
      if (!name) return this.line(`${tag} BAD Missing mailbox name`);
      if (find(name)) return this.line(`${tag} NO [ALREADYEXISTS] Mailbox exists`);
      let use: string | null = null;
      const params = args[1];
      if (params) {
        // RFC 6154: CREATE name (USE (\Sent)).
        if (!behaviour.createSpecialUse || params.t !== 'list') return this.line(`${tag} BAD CREATE takes no parameters here`);
        const [key, uses] = params.v;
        if (str(key)?.toUpperCase() !== 'USE' || uses?.t !== 'list') return this.line(`${tag} BAD Unknown CREATE parameter`);
        const wanted = uses.v.map((u) => str(u) ?? '');
        if (wanted.length !== 1 || !SPECIAL_USES.has(wanted[0]!) || behaviour.refuseSpecialUse) return this.line(`${tag} NO [USEATTR] Cannot give that special use`);
        use = wanted[0]!;
      }
      addMailbox(name, use);
      this.line(`${tag} OK CREATE completed`);
    }

    private select(tag: string, name: string, args: Token[]): void {
      const box = find(str(args[0]));
      if (!box) {
        this.selected = null;
        this.state = 'auth';
        return this.line(`${tag} NO Mailbox does not exist`);
      }
      this.selected = box;
      this.state = 'selected';
      this.readOnly = name === 'EXAMINE';
      this.known = box.messages.length;
      this.line('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)');
      this.line(`* OK [PERMANENTFLAGS (${this.readOnly ? '' : '\\Answered \\Flagged \\Deleted \\Seen \\Draft'})] Flags permitted`);
      this.line(`* ${box.messages.length} EXISTS`);
      this.line('* 0 RECENT');
      this.line(`* OK [UIDVALIDITY ${box.uidValidity}] UIDs valid`);
      if (behaviour.uidNextInSelect) this.line(`* OK [UIDNEXT ${box.uidNext}] Predicted next UID`);
      this.line(`${tag} OK [${this.readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${name} completed`);
    }

    private status(tag: string, args: Token[]): void {
      const box = find(str(args[0]));
      if (!box) return this.line(`${tag} NO Mailbox does not exist`);
      const items = args[1]?.t === 'list' ? args[1].v.map((t) => str(t)?.toUpperCase()) : [];
      const values: string[] = [];
      for (const item of items) {
        if (item === 'MESSAGES') values.push(`MESSAGES ${box.messages.length}`);
        else if (item === 'RECENT') values.push('RECENT 0');
        else if (item === 'UIDVALIDITY') values.push(`UIDVALIDITY ${box.uidValidity}`);
        else if (item === 'UNSEEN') values.push(`UNSEEN ${box.messages.filter((m) => !m.flags.has('\\Seen')).length}`);
        else if (item === 'UIDNEXT' && behaviour.uidNextInStatus) values.push(`UIDNEXT ${box.uidNext}`);
      }
      this.line(`* STATUS ${quote(box.name)} (${values.join(' ')})`);
      if (this.selected) this.flush();
      this.line(`${tag} OK STATUS completed`);
    }

    private appendCommand(tag: string, args: Token[]): void {
      const box = find(str(args[0]));
      const content = args.find((a) => a.t === 'literal');
      if (!content || content.t !== 'literal') return this.line(`${tag} BAD Missing message literal`);
      if (!box) return this.line(`${tag} NO [TRYCREATE] Mailbox does not exist`);
      const flags = args.find((a) => a.t === 'list');
      const dateToken = args.slice(1).find((a) => a.t === 'string');
      const date = dateToken ? parseImapDate(str(dateToken)!) : null;
      const uid = append(box, content.v, { ...(date ? { date } : {}), flags: flags?.t === 'list' ? flags.v.map((f) => str(f) ?? '') : [] });
      this.line(`${tag} OK [APPENDUID ${box.uidValidity} ${uid}] APPEND completed`);
    }

    private fetch(box: Mailbox, byUid: boolean, args: Token[]): void {
      const set = str(args[0]) ?? '';
      if (!isSequenceSet(set)) throw new Error('Bad sequence set');
      const spec = args[1];
      let items = (spec?.t === 'list' ? spec.v : spec ? [spec] : []).map((t) => str(t) ?? '');
      items = items.flatMap((i) => {
        const u = i.toUpperCase();
        if (u === 'FAST') return ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'];
        if (u === 'ALL' || u === 'FULL') return ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'];
        return [i];
      });
      if (byUid && !items.some((i) => i.toUpperCase() === 'UID')) items.unshift('UID');
      const max = byUid ? (box.messages.at(-1)?.uid ?? 0) : box.messages.length;
      box.messages.forEach((m, index) => {
        const seq = index + 1;
        if (!max || !inSet(set, byUid ? m.uid : seq, max)) return;
        const out: (string | Buffer)[] = [`* ${seq} FETCH (`];
        items.forEach((item, n) => {
          if (n) out.push(' ');
          out.push(...fetchItem(m, item, this.readOnly));
        });
        out.push(')');
        this.line(out);
      });
    }
  }

  function fetchItem(m: StoredMessage, item: string, readOnly: boolean): (string | Buffer)[] {
    const u = item.toUpperCase();
    if (u === 'UID') return [`UID ${m.uid}`];
    if (u === 'FLAGS') return [`FLAGS (${[...m.flags].join(' ')})`];
    if (u === 'INTERNALDATE') return [`INTERNALDATE "${imapDate(m.internalDate)}"`];
    if (u === 'RFC822.SIZE') return [`RFC822.SIZE ${m.raw.length}`];
    const body = /^BODY(\.PEEK)?\[([^\]]*)\](?:<(\d+)\.(\d+)>)?$/i.exec(item);
    if (!body) throw new Error(`FETCH ${item} is not supported by this test server`);
    const section = body[2]!;
    const s = section.toUpperCase();
    const { header, body: text } = splitMessage(m.raw);
    let data: Buffer;
    if (s === '') data = m.raw;
    else if (s === 'HEADER') data = header;
    else if (s === 'TEXT') data = text;
    else if (s.startsWith('HEADER.FIELDS')) {
      const names = new Set((/\(([^)]*)\)/.exec(section)?.[1] ?? '').split(/\s+/).filter(Boolean).map((n) => n.toLowerCase()));
      const not = s.startsWith('HEADER.FIELDS.NOT');
      const lines = headerFields(m.raw).filter((f) => names.has(f.name) !== not);
      data = Buffer.from(`${lines.map((f) => `${f.line}\r\n`).join('')}\r\n`);
    } else throw new Error(`FETCH section ${section} is not supported by this test server`);
    let key = `BODY[${section}]`;
    if (body[3] !== undefined) {
      const start = Number(body[3]);
      data = data.subarray(start, start + Number(body[4]));
      key += `<${start}>`;
    }
    if (!body[1] && !readOnly) m.flags.add('\\Seen');
    return [`${key} {${data.length}}\r\n`, data];
  }

  function search(box: Mailbox, byUid: boolean, args: Token[]): number[] {
    const maxUid = box.messages.at(-1)?.uid ?? 0;
    const count = box.messages.length;
    const matches = (m: StoredMessage, seq: number, tokens: Token[]): boolean => {
      let i = 0;
      const one = (): boolean => {
        const t = tokens[i++];
        if (!t) throw new Error('Missing search criterion');
        if (t.t === 'list') return matches(m, seq, t.v);
        const key = (str(t) ?? '').toUpperCase();
        const arg = () => str(tokens[i++]) ?? '';
        switch (key) {
          case 'ALL':
            return true;
          case 'UID':
            return inSet(arg(), m.uid, maxUid);
          case 'NOT':
            return !one();
          case 'OR': {
            const a = one();
            const b = one();
            return a || b;
          }
          case 'HEADER': {
            const field = arg().toLowerCase();
            const value = arg().toLowerCase();
            return headerFields(m.raw).some((f) => f.name === field && f.line.slice(f.line.indexOf(':') + 1).toLowerCase().includes(value));
          }
          case 'SINCE':
          case 'BEFORE': {
            const day = parseSearchDate(arg());
            if (!day) throw new Error('Bad search date');
            const start = Date.UTC(m.internalDate.getUTCFullYear(), m.internalDate.getUTCMonth(), m.internalDate.getUTCDate());
            return key === 'SINCE' ? start >= day.getTime() : start < day.getTime();
          }
          case 'SEEN':
          case 'UNSEEN':
            return m.flags.has('\\Seen') === (key === 'SEEN');
          case 'DELETED':
          case 'UNDELETED':
            return m.flags.has('\\Deleted') === (key === 'DELETED');
        }
        if (isSequenceSet(key)) return inSet(key, seq, count);
        throw new Error(`SEARCH ${key} is not supported by this test server`);
      };
      while (i < tokens.length) if (!one()) return false;
      return true;
    };
    const criteria = str(args[0])?.toUpperCase() === 'CHARSET' ? args.slice(2) : args;
    return box.messages.flatMap((m, index) => (matches(m, index + 1, criteria) ? [byUid ? m.uid : index + 1] : []));
  }

  function append(box: Mailbox, raw: Buffer, a: { date?: Date; flags?: string[] }): number {
    const uid = box.uidNext++;
    box.messages.push({ uid, raw: Buffer.from(raw), flags: new Set(a.flags ?? []), internalDate: a.date ?? new Date() });
    for (const s of sessions) if (s.selected === box && s.idling !== null && behaviour.idle === 'push') s.flush();
    return uid;
  }

  const server = net.createServer((socket) => {
    const session = new Session(socket);
    sessions.add(session);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    users,
    set(b) {
      Object.assign(behaviour, b);
    },
    append(name, raw, a = {}) {
      const box = find(name);
      if (!box) throw new Error(`no mailbox ${name}`);
      return append(box, typeof raw === 'string' ? Buffer.from(raw) : raw, a);
    },
    mailbox(name) {
      const box = find(name);
      return box ? { name: box.name, specialUse: box.specialUse, uidValidity: box.uidValidity, uidNext: box.uidNext, messages: [...box.messages] } : null;
    },
    mailboxNames: () => [...mailboxes.keys()],
    logins: () => [...logins],
    commands: (name) => commandLog.filter((c) => !name || c.name === name),
    openSessions: () => sessions.size,
    endSessions(reason = 'Session ended by the server') {
      for (const s of sessions) s.bye(reason);
    },
    imapOptions: () => ({ host: '127.0.0.1', port, secure: false as const, auth: { user: users[0]!.user, pass: users[0]!.password } }),
    async stop() {
      for (const s of sessions) s.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
