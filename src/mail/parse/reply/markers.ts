// Lines that mark where the writer's own text ends: separators, the header block Outlook
// writes above history, forward separators and signatures, in the languages clients use.

/** "-----Original Message-----" and the like: words between runs of dashes (also bold `*…*`). */
const DASHED_TITLE = /^\s*[*_]*\s*-{2,}\s*[^-\s][^\n]{1,80}?\s*-{2,}\s*[*_]*\s*$/u;

/** Punctuation-only lines: `--`, `____`, `====`, `***`, `###`, `~~~`, `+++`, and Gmail's `ᐧ`. */
const RULE_LINE = /^\s*(?:[-_=*#~+•]{2,}|ᐧ|\u1427)\s*$/u;

const ORIGINAL_MESSAGE =
  /^\s*[*_]*\s*-*\s*(?:original message|original-nachricht|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|origineel bericht|mensagem original|originalmeddelande|ursprungligt meddelande|opprinnelig melding|oprindelig meddelelse|alkuperäinen viesti|исходное сообщение|wiadomość oryginalna|původní zpráva|pôvodná správa|eredeti üzenet|orijinal mesaj|originalna poruka|izvorna poruka|mesajul original|αρχικό μήνυμα|原始邮件|原始郵件|元のメッセージ|원본 메시지)\s*-*\s*[*_]*\s*$/iu;

/** "---------- Forwarded message ---------", "Begin forwarded message:" and translations. */
export const FORWARD_SEPARATOR =
  /^\s*[*_]*\s*-*\s*(?:forwarded message|forwarded e-?mail|begin forwarded message|weitergeleitete nachricht|anfang der weitergeleiteten nachricht|message transféré|début du message (?:réexpédié|transféré)|mensaje reenviado|comienzo del mensaje reenviado|messaggio inoltrato|inizio messaggio inoltrato|doorgestuurd bericht|begin doorgestuurd bericht|mensagem encaminhada|início da mensagem (?:reencaminhada|encaminhada)|vidarebefordrat meddelande|vidarebefordrat brev|videresendt melding|videresendt meddelelse|start på videresendt (?:besked|melding)|välitetty viesti|edelleenlähetetty viesti|пересылаемое сообщение|пересланное сообщение|начало переадресованного сообщения|przekazana wiadomość|wiadomość przekazana|přeposlaná zpráva|začátek přeposlané zprávy|preposlaná správa|továbbított üzenet|továbbított levél|iletilen mesaj|ileti başlangıcı|proslijeđena poruka|mesaj redirecționat|προωθημένο μήνυμα|переслане повідомлення|转发的邮件|轉寄的郵件|転送されたメッセージ|전달된 메시지)\b[^\n]{0,40}$/iu;

/** The names of "From" in an Outlook-style header block, in the languages Outlook writes. */
const FROM_NAMES =
  'from|von|de|de la|da|från|fra|van|od|от|від|lähettäjä|feladó|kimden|expéditeur|remitente|afzender|avsändare|nadawca|odesílatel|saatja|siuntėjas|nuo|pošiljatelj|šalje|pošiljalac|αποστολέας|από|dari|từ|מאת|من|จาก|发件人|發件人|寄件者|差出人|送信者|보낸 사람|gönderen|mittente';
const FROM_LABEL = new RegExp(`^\\s*[>*_\\s]*(?:${FROM_NAMES})\\s*[*_]*\\s*[:：]\\s*[*_]*\\s*\\S`, 'iu');

/** Names of the other lines of such a block: Sent, Date, To, Subject, Cc… in the same languages. */
const OTHER_NAMES =
  'sent|date|to|subject|cc|bcc|reply-to|importance|gesendet|datum|an|betreff|wichtigkeit|envoyé|date|à|objet|enviado(?: el)?|enviada(?: el)?|enviat(?: el)?|fecha|para|per a|asunto|inviato|data|a|oggetto|risposta|verzonden|aan|onderwerp|skickat|till|ämne|kopia|sendt|til|emne|kopi|lähetetty|vastaanottaja|aihe|päivämäärä|wysłano|wysłane|do|temat|dw|отправлено|кому|тема|дата|копия|изпратено|до|надіслано|assunto|elküldve|címzett|tárgy|dátum|gönderildi|tarih|kime|konu|odesláno|odoslané|komu|předmět|poslano|poslato|prima|za|zadeva|predmet|išsiųsta|kam|saadetud|adressaat|teema|trimis|către|subiect|στάλθηκε|ημερομηνία|προς|θέμα|dikirim|kepada|perihal|subjek|đã gửi|đến|chủ đề|נשלח|אל|נושא|תאריך|تم الإرسال|إلى|الموضوع|التاريخ|ส่ง|ถึง|เรื่อง|发送时间|發送時間|时间|日期|收件人|抄送|主题|主旨|送信日時|日付|宛先|件名|보낸 날짜|받는 사람|제목';
const OTHER_LABEL = new RegExp(`^\\s*[>*_\\s]*(?:${OTHER_NAMES})\\s*[*_]*\\s*[:：]`, 'iu');
/** A whole block on one line, as some clients flatten it: "From: A <a@x> Sent: … To: … Subject: …". */
const INLINE_LABEL = new RegExp(`\\s[*_]*(?:${OTHER_NAMES})[*_]*\\s?[:：]\\s`, 'giu');

/**
 * True when line `i` starts a header block above history: a "From:" line with Sent:/To:/… lines
 * after it, a block that starts with its date ("Gesendet: …" then "Von: …", as GMX and Outlook
 * for Mac write it), or the whole block flattened onto one line.
 */
export function headerBlockAt(lines: readonly string[], i: number): boolean {
  const line = lines[i] ?? '';
  if (line.length > 1000) return false;
  if (FROM_LABEL.test(line)) {
    if ((line.match(INLINE_LABEL)?.length ?? 0) >= 2) return true;
    return labelFollows(lines, i, OTHER_LABEL);
  }
  // Date first: it needs the From line and one more label below it.
  return OTHER_LABEL.test(line) && labelFollows(lines, i, FROM_LABEL) && labelFollows(lines, i + 1, OTHER_LABEL);
}

/** A line matching `label` among the next few, before a blank line ends the block. */
function labelFollows(lines: readonly string[], i: number, label: RegExp): boolean {
  for (let k = i + 1; k < Math.min(lines.length, i + 6); k++) {
    const next = lines[k] ?? '';
    if (label.test(next)) return true;
    // Outlook wraps long "From:" values (many addresses) onto the next lines.
    if (next.trim() === '' && k > i + 1) return false;
  }
  return false;
}

/** The "From: …" line of a header block, in a language Mailroom knows ("Von: …", "差出人: …"). */
export function isFromLine(line: string): boolean {
  return FROM_LABEL.test(line);
}

export function isDelimiter(line: string): boolean {
  return RULE_LINE.test(line) || ORIGINAL_MESSAGE.test(line) || DASHED_TITLE.test(line);
}

export function isForwardSeparator(line: string): boolean {
  return line.length < 200 && FORWARD_SEPARATOR.test(line.replace(/^[\s>]+/, ''));
}

// "Sent from my iPhone" and friends, in the languages phones and apps use. Kept to short lines
// that begin like a device signature, so "Sent the invoice yesterday" is never one.
const DEVICE_SIGNATURE = new RegExp(
  [
    '^[(<\\[]*\\s*(?:sent|get|envoyé|enviado|inviato|verzonden|verstuurd|gesendet|skickat|sendt|lähetetty|wysłane|wysłano|отправлено|odesláno|odoslané|elküldve|gönderildi|trimis)\\s+(?:from|via|with|using|by|on|on my|de|desde|depuis|do|da|dal|met|vanaf|van|von|mit|från|med|fra|z|с|из|z mého|az|ile|de pe|from my)\\b',
    '^[(<\\[]*\\s*(?:sent|envoyé|enviado|inviato|verzonden|gesendet|skickat|sendt|wysłane|отправлено)\\s+(?:from|depuis|desde|do|da|dal|vanaf|von|från|fra|z|с)\\s+(?:my|mon|ma|mi|meu|minha|il mio|mijn|meinem|min|mitt|moj|mojego|моего|моєї)\\b',
    '^(?:from|envoyé de|depuis) my (?:iphone|ipad|android|mobile|phone|samsung|galaxy|blackberry)',
    '^get outlook for\\b',
    '^get \\[?outlook for\\b',
    '^von meinem\\b.{0,60}\\bgesendet',
    '^diese nachricht wurde von meinem\\b',
    '^verzonden (?:met|vanaf|van)\\b',
    '^(?:从|從)我的.{0,30}(?:发送|發送)',
    '^.{0,30}から送信$',
    '^enviado (?:desde|do|de) (?:mi|meu|o meu|my)\\b',
    '^inviato da\\b',
    '^skickat från\\b',
    '^sendt fra\\b',
    '^lähetetty\\b.{0,40}(?:iphone|android|puhelim)',
    '^wysłane z\\b',
    '^отправлено (?:с|из)\\b',
    '^\\(?sent from a\\b',
  ].join('|'),
  'iu',
);

export function isSignatureStart(line: string): boolean {
  const t = line.trim();
  if (/^--\s*$/.test(line) || line === '-- ') return true;
  return t.length > 0 && t.length <= 120 && DEVICE_SIGNATURE.test(t);
}
