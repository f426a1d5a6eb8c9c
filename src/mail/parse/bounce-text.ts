// What the prose of a bounce says: where its own words end, the enhanced status code if the MTA
// wrote one, the class of its SMTP reply ("550 …" → 5.0.0), the server's own line and the SMTP
// command that was refused.

/** Where the bounce's own words end and the returned message begins. */
const RETURNED_MESSAGE = new RegExp(
  [
    '^-{2,}\\s*(?:this is a copy of|original message|below this line|undelivered message|returned message|message headers? follow|the header of the original)',
    '^\\s*(?:-+\\s*)?(?:original message (?:follows|headers?)|message (?:text )?follows|the original message (?:was|is) |returned mail|unsent message below|included is a copy|copy of the (?:original )?message)',
    '^content-type:\\s*(?:message/rfc822|text/rfc822-headers)',
    '^(?:received|return-path|dkim-signature|x-mailer|mime-version):\\s',
  ].join('|'),
  'im',
);

const ENHANCED_ALL = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/g;
const REPLY_CODE = /(?:^|[\s:(<"'#\]]|said:\s*)([45])[0-5]\d(?:[\s,;-]|$)/m;

/** The bounce's own text, without the returned message. */
export function errorPart(text: string): string {
  const head = text.slice(0, 200_000);
  const m = RETURNED_MESSAGE.exec(head);
  // A marker in the first lines is the bounce's preamble, not the returned message.
  return m && m.index > 40 ? head.slice(0, m.index) : head;
}

/** The first enhanced code in the error part (that `accept` takes, when given). */
export function statusFromText(text: string, accept?: (code: string) => boolean): string | null {
  const part = errorPart(text);
  let fallback2xx: string | null = null;
  for (const m of part.matchAll(ENHANCED_ALL)) {
    const code = `${m[1]}.${m[2]}.${m[3]}`;
    if (accept && !accept(code)) continue;
    if (m[1] === '2') {
      fallback2xx ??= code;
      continue;
    }
    if (Number(m[2]) > 7) continue; // RFC 3463 classes stop at 7 (x.7.y security)
    return code;
  }
  return fallback2xx && /delivered|relayed|success/i.test(part) ? fallback2xx : null;
}

/** The class of an SMTP reply code in the error part ("550 …" → 5.0.0), or null. */
export function statusFromReplyCode(text: string): string | null {
  const reply = REPLY_CODE.exec(errorPart(text));
  return reply ? `${reply[1]}.0.0` : null;
}

/** The server's own words: the first line of the error part with an SMTP reply, with its continuation. */
export function serverLine(text: string): string | null {
  const lines = errorPart(text).split(/\r?\n/);
  const at = lines.findIndex((l) => REPLY_CODE.test(l) || /(?<![\d.])[45]\.\d{1,3}\.\d{1,3}(?![\d]|\.\d)/.test(l));
  if (at < 0) return null;
  const out = [lines[at]!];
  for (const l of lines.slice(at + 1, at + 6)) {
    if (!/^\s+\S/.test(l)) break;
    out.push(l);
  }
  return out.join(' ').replace(/\s+/g, ' ').trim() || null;
}

/** The SMTP command a refusal answered, when the bounce says so: rcpt, data, mail or connect. */
export function refusedCommand(text: string): string | null {
  const part = errorPart(text);
  const flat = part.replace(/\s+/g, ' ');
  const said =
    /in reply to (?:the )?(end of data|data|rcpt to|rcpt|mail from|mail|helo|ehlo|connect)\b/i.exec(flat)?.[1] ??
    /\bafter (end of data|data|rcpt to|mail from|initial connection|helo|ehlo)\b/i.exec(flat)?.[1] ??
    /\bfor (text|data|rcpt|mail) command\b/i.exec(flat)?.[1] ??
    /\[(rcpt_to|mail_from|data)\]/i.exec(flat)?.[1] ??
    /\berror following (rcpt|mail|data) command\b/i.exec(flat)?.[1] ??
    /\bsmtp:(rcpt|mail|data)\b/i.exec(flat)?.[1] ??
    // A transcript: the command sent just before the first refusal.
    /^>>> (DATA|RCPT|MAIL|EHLO|HELO)\b[^\n]*\n(?:(?!>>>)[^\n]*\n){0,3}?<<< [45]\d\d/im.exec(part)?.[1] ??
    null;
  if (!said) return null;
  const c = said.toLowerCase();
  if (c === 'text' || c.includes('data')) return 'data';
  if (c.startsWith('rcpt')) return 'rcpt';
  if (c.startsWith('mail')) return 'mail';
  return 'connect';
}

/**
 * For bounces with no SMTP reply: what the text says about the recipient, on the line that
 * names it ("<a@b>: This account has been disabled"), or on the line after a bare address.
 */
export function recipientLine(text: string, recipient: string | null): string | null {
  if (!recipient) return null;
  const lines = text.split(/\r?\n/);
  const lower = recipient.toLowerCase();
  const at = lines.findIndex((l) => l.toLowerCase().includes(lower));
  if (at < 0) return null;
  const rest = lines[at]!.replace(/<?[^\s<>]+@[^\s<>]+>?/g, '').replace(/[\s:;,.()[\]-]+/g, ' ').trim();
  if (/[a-z]{3,}/i.test(rest)) return lines[at]!.trim();
  const next = lines.slice(at + 1, at + 3).find((l) => l.trim());
  return next && !/^\s*<?[^\s<>]+@[^\s<>]+>?:?\s*$/.test(next) ? `${lines[at]!.trim()} ${next.trim()}` : null;
}
