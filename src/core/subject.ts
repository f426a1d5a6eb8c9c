// Subject normalisation, shared by threading (inbound) and reply headers (outbound).
// Mail clients prefix replies and forwards in their own language, sometimes counted
// (`Re[2]:`, `Re^2:`), sometimes with a space or a full-width colon before the text, and
// gateways add warning tags like `[EXT]`. The base subject is what is left once all of them
// are gone, so that `AW: WG: [EXT] Re: Order 12` and `Order 12` are the same conversation.

/** Reply prefixes by language: Re (most), Aw/Antw/Antwort (de, nl), SV/Svar (sv, da, no, is),
 *  VS (fi), R/Rif/Risposta (it), RES/Resp (pt), Odp (pl, cs), Odg (hr), YNT (tr), Vá (hu),
 *  Atb (lv), Ats (lt), Vast (et), Отв/Ответ (ru), ΑΠ/ΣΧΕΤ (el), 回复/回覆/答复 (zh), 返信 (ja). */
const REPLY_WORDS = [
  're', 'aw', 'antw', 'antwort', 'sv', 'svar', 'vs', 'r', 'rif', 'risposta', 'res', 'resp', 'odp',
  'odg', 'ynt', 'vá', 'va', 'atb', 'ats', 'vast', 'отв', 'ответ', 'απ', 'σχετ', 'תגובה', 'השב',
  'رد', '回复', '回覆', '答复', '答覆', '返信', '회신', '답장',
];

/** Forward prefixes: Fwd/Fw (most), WG (de), TR/Trs (fr), RV/Reenviar (es), I/Inoltro (it),
 *  ENC (pt), PD (pl, cs), VB (sv), VS (no, da), VL (fi), Doorst (nl), Továbbítás (hu), İLT (tr),
 *  Redir. (es, redirected), Пересл (ru), ΠΡΘ (el), 转发/轉寄/轉發 (zh), 転送 (ja), 전달 (ko). */
const FORWARD_WORDS = [
  'fwd', 'fw', 'wg', 'tr', 'trs', 'rv', 'reenviar', 'i', 'inoltro', 'enc', 'pd', 'vb', 'vs', 'vl',
  'doorst', 'továbbítás', 'ilt', 'İlt', 'İLT', 'redir', 'пересл', 'πρθ', '转发', '轉寄', '轉發', '転送',
  '전달',
];

/** Tags that mail gateways put in front of a subject; part of no conversation's name. */
const GATEWAY_TAG =
  /^(?:\[\s*(?:ext|external|extern|externe?|external email|external sender|caution|warning|spam|suspected spam|possible spam|phishing|bulk)\s*\]|\*{1,3}\s*(?:external|spam|caution)\s*\*{1,3}|(?:ext|external|caution)\s*:)\s*/iu;

const escapeRe = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordAlternation = (words: string[]): string =>
  [...words].sort((a, b) => b.length - a.length).map(escapeRe).join('|');

// A prefix word, an optional count (`[2]`, `(2)`, `^2`, `*2`), optional dot (`Redir.`), spaces,
// then an ASCII or full-width colon. The lookahead keeps words like "Rev: 2" from matching only
// because "R" is a prefix: the word must end right before the count/colon.
const prefixPattern = (words: string[]): RegExp =>
  new RegExp(
    `^(?:${wordAlternation(words)})(?:\\s*[[(]\\s*\\d{1,4}\\s*[\\])]|\\^\\d{1,4}|\\*\\d{1,4})?\\.?\\s*[:：]\\s*`,
    'iu',
  );

const REPLY_PREFIX = prefixPattern(REPLY_WORDS);
const FORWARD_PREFIX = prefixPattern(FORWARD_WORDS);
const ANY_PREFIX = prefixPattern([...REPLY_WORDS, ...FORWARD_WORDS]);
const MAX_PREFIXES = 50;

/** The subject without reply/forward prefixes (any number, any mix) and gateway tags. */
export function baseSubject(subject: string): string {
  let s = cleanSubject(subject);
  for (let i = 0; i < MAX_PREFIXES; i++) {
    const next = s.replace(GATEWAY_TAG, '').replace(ANY_PREFIX, '');
    if (next === s) break;
    s = next;
  }
  return s.trim();
}

/** `Re: <base subject>`, the subject of a reply as RFC 5322 (3.6.5) suggests. */
export function replySubject(subject: string): string {
  const base = baseSubject(subject);
  return base ? `Re: ${base}` : 'Re:';
}

/** `Fwd: <base subject>`, the subject of a forward. */
export function forwardSubject(subject: string): string {
  const base = baseSubject(subject);
  return base ? `Fwd: ${base}` : 'Fwd:';
}

/** True when the outermost prefix (after gateway tags) marks a forward: `Fwd:`, `WG:`, `TR:`… */
export function hasForwardPrefix(subject: string): boolean {
  return FORWARD_PREFIX.test(stripTags(cleanSubject(subject)));
}

/** True when the outermost prefix (after gateway tags) marks a reply: `Re:`, `AW:`, `SV:`… */
export function hasReplyPrefix(subject: string): boolean {
  const s = stripTags(cleanSubject(subject));
  // `VS:` is a reply in Finnish and a forward in Danish/Norwegian: count it as either.
  return REPLY_PREFIX.test(s);
}

function stripTags(s: string): string {
  let out = s;
  for (let i = 0; i < MAX_PREFIXES; i++) {
    const next = out.replace(GATEWAY_TAG, '');
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Unfolded, single-spaced, without control characters. */
function cleanSubject(subject: string): string {
  return String(subject ?? '')
    .slice(0, 2000)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
