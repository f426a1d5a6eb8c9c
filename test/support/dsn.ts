/** A Postfix-style delivery status notification (RFC 3464) about our email `originalId`, as a mail server sends it back. */
let count = 0;

export function deliveryReport(o: {
  /** The team address the report goes to. */
  to: string;
  recipient: string;
  originalId: string;
  status: string;
  diagnostic: string;
  action?: string;
}): string {
  const b = `dsn-${Date.now()}-${++count}`;
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
    `To: ${o.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <${b}@mx.example.com>`,
    `Date: ${new Date().toUTCString()}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `I'm sorry to have to inform you that your message could not be delivered to ${o.recipient}.`,
    '',
    `--${b}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.com',
    '',
    `Final-Recipient: rfc822; ${o.recipient}`,
    `Action: ${o.action ?? 'failed'}`,
    `Status: ${o.status}`,
    `Diagnostic-Code: smtp; ${o.diagnostic}`,
    '',
    `--${b}`,
    'Content-Type: text/rfc822-headers',
    '',
    `From: Support <${o.to}>`,
    `To: ${o.recipient}`,
    'Subject: Re: About the order',
    `Message-ID: ${o.originalId}`,
    '',
    `--${b}--`,
    '',
  ].join('\r\n');
}
