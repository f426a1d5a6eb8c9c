// What kind of email this is: a person writing, or machinery (an out-of-office, a bounce, a
// feedback or delivery report, a mailing list). Machinery never opens a conversation and is
// never answered automatically, so when in doubt between bounce and auto-reply the stronger
// signals (a DSN, a daemon sender) win.

import type { EmailKind } from '../../core/types.ts';
import { first, type RawHeaders } from './headers.ts';
import { sesNotification } from './bounce-ses.ts';

export interface KindInput {
  headers: RawHeaders;
  fromAddress: string;
  fromName: string;
  subject: string;
  /** MIME types of the message's parts that are not text bodies (attachments, reports). */
  partTypes: string[];
  /** The writer's text, for the few formats that only say what they are in the body. */
  text: string;
  /** Set when delivery-status fields say every recipient was delivered or relayed. */
  deliveredOnly: boolean;
}

const DAEMON_LOCAL = /^(?:mailer-daemon|mailer_daemon|mailerdaemon|postmaster|post_master|mail-daemon|maildaemon|bounce|bounces|mdaemon|mail\.?delivery|smtp|mta|daemon|root|uucp)$/i;
const DAEMON_NAME = /\b(?:mailer[- ]?daemon|mail delivery (?:system|subsystem|service)|postmaster|mail administrator|system administrator|delivery status notification|content[- ]filter|mail ?security|interscan|mail ?gateway)\b/i;

const BOUNCE_SUBJECT = new RegExp(
  [
    'undeliver(?:able|ed)', 'delivery (?:status notification|failure|has failed|failed|problem|report)',
    'mail delivery failed', 'returned mail', 'returning message to sender', 'failure notice',
    'delivery notification', 'could not be delivered', 'not delivered', 'non[- ]?delivery',
    'message (?:delivery )?(?:failure|failed|not delivered|blocked|rejected)', 'mail (?:system )?error',
    'rejected:', 'delivery status', 'unzustellbar', 'nicht zustellbar', 'non remis', 'non distribuable',
    'no entregado', 'não entregue', 'non recapitato', 'onbestelbaar', 'kan inte levereras',
    'ikke levert', 'ei voitu toimittaa', 'nie dostarczono', 'не доставлено', 'недоставлено',
    'warning: message .* delayed', 'delayed mail', 'mail could not be delivered', 'returned to sender',
    'permanent (?:error|failure)', 'temporary (?:error|failure)', 'loop alert',
    'メール配信エラー', '送信エラー', '配信不能', '退信', '投递失败',
  ].join('|'),
  'iu',
);

const VACATION_SUBJECT = new RegExp(
  [
    '^(?:auto(?:matic)?[- ]?(?:reply|response|answer)|autoreply|auto-response|out of (?:the )?office|ooo\\b|away from (?:the )?office|on vacation|on leave)',
    '^(?:automatische antwort|abwesenheitsnotiz|abwesend|réponse automatique|absence|respuesta automática|fuera de la oficina|risposta automatica|fuori ufficio|automatisch antwoord|afwezig|resposta automática|ausente|autosvar|automaattinen vastaus|poissa|odpowiedź automatyczna|автоматический ответ|автоответ|自动回复|自動回覆|自動応答|不在)',
    '\\b(?:out of (?:the )?office|away until|vacation reply|auto(?:matic)? reply)\\b',
  ].join('|'),
  'iu',
);

export function classifyKind(k: KindInput): EmailKind {
  const h = (name: string): string => (first(k.headers, name) ?? '').toLowerCase();
  const contentType = h('content-type');
  const reportType = /report-type\s*=\s*"?([\w-]+)/.exec(contentType)?.[1] ?? '';
  const localPart = k.fromAddress.split('@')[0] ?? '';

  // Reports: abuse/feedback (ARF), unsubscribe requests, delivery-success notices.
  if (reportType === 'feedback-report' || k.partTypes.includes('message/feedback-report')) return 'report';
  if (k.headers.has('x-apple-unsubscribe') || /^feedback-?loop|^fbl@|^abuse@/.test(k.fromAddress.toLowerCase())) return 'report';
  if (/\b(?:abuse report|complaint about message|feedback report|dmarc forensic)\b/i.test(k.subject) && k.partTypes.some((t) => t === 'message/rfc822' || t === 'text/rfc822-headers')) return 'report';
  const dsn = reportType === 'delivery-status' || k.partTypes.some((t) => /delivery-status$/.test(t));
  if (k.deliveredOnly) return 'report';
  const ses = /amazonses\.com|amazonaws\.com/i.test(k.fromAddress) ? sesNotification(k.text) : null;
  if (ses) return ses.type === 'bounce' ? 'bounce' : 'report';

  // Bounces: a DSN, a failed-recipients header, a daemon sender with a failure subject.
  if (dsn || k.headers.has('x-failed-recipients')) return 'bounce';
  // A mailing list manager's own address (fml's list-admin, Mailman's list-owner…) reports errors too.
  const listManager = /^owner-|-(?:admin|owner)$/i.test(localPart) && k.headers.has('x-mlserver');
  const daemon = DAEMON_LOCAL.test(localPart) || DAEMON_NAME.test(k.fromName) || (!k.fromAddress && /mailer-daemon/i.test(k.fromName)) || listManager;
  const nullSender = /^<\s*>$/.test(h('return-path').trim());
  if (daemon && (BOUNCE_SUBJECT.test(k.subject) || nullSender || /mailer-daemon|post_?master/i.test(localPart))) return 'bounce';
  if ((daemon || nullSender) && BOUNCE_SUBJECT.test(k.subject)) return 'bounce';
  if (BOUNCE_SUBJECT.test(k.subject) && k.partTypes.some((t) => t === 'message/rfc822' || t === 'text/rfc822-headers')) return 'bounce';

  // Auto-replies: RFC 3834, the vendor headers that predate it, and out-of-office subjects.
  const autoSubmitted = h('auto-submitted').trim();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return 'auto-reply';
  if (k.headers.has('x-autoreply') || k.headers.has('x-autorespond') || k.headers.has('x-autoresponder')) return 'auto-reply';
  if (/auto[_-]?reply/.test(h('precedence')) || h('x-auto-response-suppress') && VACATION_SUBJECT.test(k.subject)) return 'auto-reply';
  if (/^(?:oof|autoreply)/.test(h('x-ms-exchange-inbox-rules-loop')) || h('x-ms-exchange-generated-message-source').includes('oof')) return 'auto-reply';
  if (VACATION_SUBJECT.test(k.subject)) return 'auto-reply';

  // Bulk: mailing lists and newsletters.
  if (k.headers.has('list-id') || k.headers.has('list-unsubscribe-post')) return 'bulk';
  if (/^(?:bulk|list|junk)\b/.test(h('precedence').trim())) return 'bulk';
  return 'human';
}
