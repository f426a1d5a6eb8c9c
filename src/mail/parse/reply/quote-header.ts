// Quote headers: the line(s) a mail client writes above quoted history, such as
// "On Mon, 1 Feb 2016 at 4:58, Ann <ann@x.org> wrote:". Clients wrap them over up to five lines
// (Gmail wraps before "wrote:" or inside the address), put them in the user's language, and some
// (Gmail in ISO locales) leave out the verb: "2016-03-03 17:21 GMT+01:00 Ann <ann@x.org>:".

/** "wrote:" and its translations, as the last words of a quote header. */
const VERB =
  '(?:wrote|writes|has written|schrieb|schreibt|geschrieben|schreef|het volgende geschreven|a écrit|à écrit|écrit|escribió|escribio|escreveu|escrevia|ha scritto|scrisse|napisał\\(a\\)|napisała?|pisze|napisal\\(a\\)|napisal|napsal\\(a\\)|napsala?|napísal\\(a\\)|napísala?|skrev|skriver|kirjoitti|написал\\(а\\)|написала?|пишет|написав|пише|писал|a scris|írta|yazdı|έγραψε|kirjutas|rašė|rakstīja|je napisao|napisao|je napisal|כתב|كتب|写道|寫道|书写|書きました|が書きました|のメッセージ|님이 작성|님이 작성함)';

/** The end of a header: the verb and a colon (ASCII or full-width), or Zoho's `wrote ----`. */
const ENDS_WITH_VERB = new RegExp(`${VERB}\\s*(?:[:：]|-{2,})\\s*$`, 'iu');
/** The verb mid-way, the header still ending in a colon: "Am 3.2.2016 schrieb Max <m@x.de>:",
 *  "Max <m@x.de> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:". */
const HAS_VERB = new RegExp(`(?:^|[\\s,"'>)])${VERB}(?=[\\s:：]|$)`, 'iu');
const ENDS_WITH_COLON = /[:：]\s*$/u;

/** Words a localised header starts with ("On", "Am", "Le", "El", "Il", "Op", "Em", "Den",
 *  "Dnia", "W dniu", "Στις", "В", "Dne", "Dňa", "Pe", "At", "在", …) or a date/weekday. */
const STARTS_LIKE_HEADER =
  /^(?:-{2,}\s*)?(?:\p{L}{2,4}\.?,?\s+\d{1,2}[.\s]|(?:on|am|le|el|il|op|em|den|dnia|w dniu|στις|в|dne|dňa|pe|at|kl\.?|в сообщении)(?=[\s,])|在|于|於|\d|(?:mon|tue|wed|thu|fri|sat|sun|lun|mar|mer|jeu|ven|sam|dim|lu|ma|mi|ju|vi|sá|do|mo|di|mi|do|fr|sa|so|ons|tor|fre|lør|søn|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)\w*[,.])/iu;

const HAS_DATE_OR_TIME = /\d{1,4}[:./年-]\d{1,2}|\d{1,2}:\d{2}|\b\d{4}\b|\d+\s*(?:年|月|日)/u;
const ENDS_WITH_ADDRESS_COLON = /<[^<>\s]+@[^<>\s]+>\s*[:：]\s*$/u;
const HAS_ADDRESS = /[^\s<>()"]+@[^\s<>()"]+\.[^\s<>()"]+/u;

/** Gmail without a verb: an ISO or CJK date first, then a time zone, an address, or a colon. */
const DATE_LED = /^\d{4}[-/.年]\s?\d{1,2}[-/.月]\s?\d{1,2}/u;
const DATE_LED_END = /(?:GMT|UTC)\s?[+-]\d{1,2}(?::?\d{2})?|[^\s<>()"]+@[^\s<>()"]+|[:：]\s*$/iu;

const MAX_LINES = 6;
const MAX_HEADER_CHARS = 400;

/**
 * Number of lines (from `start`) that form a quote header, or 0. `lines` are already without
 * quote markers when the caller looks inside a quote.
 */
export function quoteHeaderLength(lines: readonly string[], start: number): number {
  const first = (lines[start] ?? '').trim();
  if (!first || first.length > MAX_HEADER_CHARS) return 0;
  const headerish = STARTS_LIKE_HEADER.test(first) || HAS_ADDRESS.test(first) || /^"?[\p{L}][\p{L} .'-]{0,60}"?\s*</u.test(first);
  let joined = '';
  let blanks = 0;
  for (let k = 0; k < MAX_LINES && start + k < lines.length; k++) {
    const line = (lines[start + k] ?? '').trim();
    if (!line) {
      if (++blanks > 2) break;
      continue;
    }
    joined = joined ? `${joined} ${line}` : line;
    if (joined.length > MAX_HEADER_CHARS) break;
    if (ENDS_WITH_VERB.test(joined) && (headerish || k === 0)) {
      if (isPlausibleHeader(joined)) return k + 1;
    }
    if (headerish && ENDS_WITH_COLON.test(joined) && HAS_VERB.test(joined) && isPlausibleHeader(joined)) {
      return k + 1;
    }
    if (DATE_LED.test(first) && /[:：]\s*$/.test(joined) && HAS_ADDRESS.test(joined)) return k + 1;
    // Gmail in some locales has no verb: "вт, 5 мар. 2024 г. в 10:11, Имя <a@b.ru>:".
    if (headerish && ENDS_WITH_ADDRESS_COLON.test(joined) && HAS_DATE_OR_TIME.test(joined) && STARTS_LIKE_HEADER.test(first)) return k + 1;
    // A header's inner lines are fragments ("… schrieb am Fr., 28."); a finished sentence
    // ends the search, so "On this day … I wrote something." never runs into a real header.
    if (k > 0 && /[.!?]$/.test(line) && !/\b\d{1,2}\.$|\b[\p{L}]{1,5}\.$/u.test(line)) break;
    // A first line that is a finished sentence is prose, unless it ends in a date's "28.".
    if (k === 0 && /[.!?]$/.test(line) && !/\b\d{1,2}\.$/.test(line)) break;
  }
  if (DATE_LED.test(first) && first.length <= 200 && DATE_LED_END.test(first)) return 1;
  return nameLedLength(lines, start);
}

/**
 * Thunderbird in some languages puts the name first and the date after the verb: "Ann Lee
 * kirjoitti 5.3.2024 klo 10.11:", "Ann Lee írta (2024. 03. 05. 10:11):". Without a word that
 * starts like a header, only a `>` quote right below makes it one (prose can say "I wrote on…:").
 */
function nameLedLength(lines: readonly string[], start: number): number {
  let joined = '';
  for (let k = 0; k < 2 && start + k < lines.length; k++) {
    const line = (lines[start + k] ?? '').trim();
    // A finished sentence is prose, not the first half of a header.
    if (!line || (k === 0 && /[.!?]$/.test(line))) return 0;
    joined = joined ? `${joined} ${line}` : line;
    if (ENDS_WITH_COLON.test(joined) && HAS_VERB.test(joined) && HAS_DATE_OR_TIME.test(joined)) {
      let j = start + k + 1;
      while (j < lines.length && !(lines[j] ?? '').trim()) j++;
      return /^\s*>/.test(lines[j] ?? '') ? k + 1 : 0;
    }
  }
  return 0;
}

function isPlausibleHeader(joined: string): boolean {
  // A bare "X wrote:" with neither a date nor an address is prose ("Here's what Bob wrote:"),
  // unless it starts like a header ("On Sunday, Bob wrote:").
  return HAS_DATE_OR_TIME.test(joined) || HAS_ADDRESS.test(joined) || STARTS_LIKE_HEADER.test(joined);
}
