// Quoted history in HTML is marked by the client that quoted it, which is more reliable than
// any text heuristic: everything from the first such marker on is history (or signature).

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

/** The HTML before the first quote marker, or null when the HTML has no marker. */
export function htmlBeforeQuote(html: string): string | null {
  const head = html.length > MAX_SCAN ? html.slice(0, MAX_SCAN) : html;
  let cut = -1;
  for (const marker of MARKERS) {
    const m = marker.exec(head);
    if (m && (cut < 0 || m.index < cut)) cut = m.index;
  }
  return cut < 0 ? null : head.slice(0, cut);
}
