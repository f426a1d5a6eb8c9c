// Quoted history in HTML is marked by the client that quoted it, which is more reliable than
// any text heuristic: everything from the first such marker on is history (or signature).

import { isFromLine } from './markers.ts';

const MARKERS: RegExp[] = [
  // Gmail: the quote container and the signature block.
  /<div\b[^>]{0,2000}\bclass\s*=\s*["']?[^"'>]{0,500}\bgmail_quote(?:_container)?\b/i,
  /<(?:div|span)\b[^>]{0,2000}\b(?:class\s*=\s*["']?[^"'>]{0,500}\bgmail_signature\b|data-smartmail\s*=\s*["']?gmail_signature)/i,
  // Outlook (web, new, mobile, desktop): reply/forward header and the markers around it.
  /<(?:div|span)\b[^>]{0,2000}\bid\s*=\s*["']?(?:x_)*(?:divRplyFwdMsg|appendonsend|mail-editor-reference-message-container|OLK_SRC_BODY_SECTION)\b/i,
  /<hr\b[^>]{0,2000}\bid\s*=\s*["']?(?:x_)*stopSpelling\b/i,
  /<div\b[^>]{0,2000}\bclass\s*=\s*["']?[^"'>]{0,500}\b(?:OutlookMessageHeader|ms-outlook-mobile-reference-message|reference-message-container)\b/i,
  /<div\b[^>]{0,2000}\bstyle\s*=\s*["'][^"']{0,2000}border-top\s*:\s*solid\s+#(?:E1E1E1|B5C4DF)\s+1(?:\.0)?pt/i,
  // Apple Mail, Thunderbird and most others: the cited quote and its attribution line.
  /<div\b[^>]{0,2000}\bclass\s*=\s*["']?[^"'>]{0,500}\bmoz-cite-prefix\b/i,
  /<blockquote\b[^>]{0,2000}\btype\s*=\s*["']?cite\b/i,
  // Yahoo, ProtonMail, Zimbra, Zoho, AOL.
  /<div\b[^>]{0,2000}\b(?:class|id)\s*=\s*["']?[^"'>]{0,500}\b(?:yahoo_quoted|protonmail_quote|zmail_extra|AOLMsgPart)/i,
  /<hr\b[^>]{0,2000}\bid\s*=\s*["']?zwchr\b/i,
];

/** Only the start of an HTML body is searched; past this size the marker search is not worth it. */
const MAX_SCAN = 1_000_000;

/** An element with a top border: Outlook draws one over the header block of the history. */
const BORDER_TOP = /<(?:div|p)\b[^>]{0,2000}\bstyle\s*=\s*["'][^"']{0,2000}\bborder-top\s*:\s*(?:solid\b|[\d.]+(?:pt|px)\s+solid\b)[^>]{0,2000}>/gi;
/** A header line: a short label and a colon ("From:", "Gesendet:", "Nosūtīts:", "보낸 사람:"). */
const LABEL_LINE = /^[^\s:：<>]{1,24}(?: [^\s:：<>]{1,24}){0,2}\s?[:：]/u;

/**
 * The first element with a top border whose text begins like a header block, in whatever
 * colour: three label lines, one of them a "From:" Mailroom knows or carrying an address (so a
 * bordered box of the writer's own "Order: … Date: …" is not taken for history).
 */
function borderedHeaderBlock(head: string): number {
  BORDER_TOP.lastIndex = 0;
  for (let m = BORDER_TOP.exec(head), n = 0; m && n < 50; m = BORDER_TOP.exec(head), n++) {
    const inner = head.slice(m.index + m[0].length, m.index + m[0].length + 3000);
    const lines = inner
      .replace(/<(?:br|\/p|\/div|\/tr)\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, '')
      .replace(/&nbsp;|\u00a0/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 3);
    if (lines.length === 3 && lines.every((l) => LABEL_LINE.test(l)) && lines.some((l) => isFromLine(l) || /\S@\S/.test(l))) return m.index;
  }
  return -1;
}

/** The HTML before the first quote marker, or null when the HTML has no marker. */
export function htmlBeforeQuote(html: string): string | null {
  const head = html.length > MAX_SCAN ? html.slice(0, MAX_SCAN) : html;
  let cut = borderedHeaderBlock(head);
  for (const marker of MARKERS) {
    const m = marker.exec(head);
    if (m && (cut < 0 || m.index < cut)) cut = m.index;
  }
  return cut < 0 ? null : head.slice(0, cut);
}
