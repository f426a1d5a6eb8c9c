// Where a signature goes in an email. Pure. The teammate's signature comes first, then the
// inbox's; in the text part they follow the body after the RFC 3676 signature separator (a line
// of "-- ", dash dash space, which mail clients recognise, and grey out or leave out of quotes);
// in the HTML part the same text, after the same separator, in its own block at the end of the
// body.
import { renderTemplate } from './template-render.ts';

/** RFC 3676 §4.3: the line that starts a signature. */
export const SIGNATURE_SEPARATOR = '-- ';
export const MAX_SIGNATURE = 2000;

export interface EmailParts {
  text: string;
  html: string;
}

/** The signature of one email: the teammate's, then the inbox's, each filled in; null when neither has one. */
export function composeSignature(parts: { teammate?: string | null; inbox?: string | null }, vars: { teammateName: string; inboxName: string }): string | null {
  const filled = [parts.teammate, parts.inbox]
    .map((s) => (s ?? '').trim())
    .filter(Boolean)
    .map((s) => renderTemplate(s, { teammateName: vars.teammateName, inboxName: vars.inboxName }).trim());
  return filled.length ? filled.join('\n\n') : null;
}

const BODY_END = /\n?<\/div><\/body><\/html>\n?$/;

/** The email with the signature after its body: `-- ` then the signature, in text and in HTML. */
export function appendSignature(body: EmailParts, signature: EmailParts | null): EmailParts {
  if (!signature || !signature.text.trim()) return body;
  const text = `${body.text.replace(/\s+$/, '')}\n\n${SIGNATURE_SEPARATOR}\n${signature.text.replace(/\s+$/, '')}\n`;
  const block = `<div class="mailroom-signature" style="color:#555555;margin-top:16px">${SIGNATURE_SEPARATOR}<br>\n${signature.html}\n</div>`;
  const html = BODY_END.test(body.html) ? body.html.replace(BODY_END, `\n${block}\n</div></body></html>\n`) : `${body.html}\n${block}`;
  return { text, html };
}
