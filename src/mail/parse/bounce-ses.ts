// Amazon SES notifications (delivered by SNS as email): JSON instead of a DSN, sometimes as a
// string inside the SNS envelope's JSON, so fields are read with quote-tolerant patterns.

export interface SesNotification {
  type: 'bounce' | 'delivery' | 'complaint';
  permanent: boolean;
  status: string | null;
  recipients: string[];
  /** The receiving server's answer (bouncedRecipients[].diagnosticCode). */
  diagnostic: string | null;
}

const q = '\\\\?"';
const field = (name: string): RegExp => new RegExp(`${q}${name}${q}\\s*:\\s*${q}([^"\\\\]{1,300})${q}`, 'i');

export function sesNotification(text: string): SesNotification | null {
  const head = text.slice(0, 100_000);
  const type = field('notificationType').exec(head)?.[1]?.toLowerCase();
  if (type !== 'bounce' && type !== 'delivery' && type !== 'complaint') return null;
  const recipients = [...head.matchAll(new RegExp(field('emailAddress').source, 'gi'))].map((m) => m[1]!);
  if (type === 'delivery') {
    const list = /"recipients"\s*:\s*\[([^\]]{0,5000})\]/.exec(head.replace(/\\"/g, '"'))?.[1] ?? '';
    recipients.push(...[...list.matchAll(/"([^"]+@[^"]+)"/g)].map((m) => m[1]!));
  }
  return {
    type,
    permanent: /permanent/i.test(field('bounceType').exec(head)?.[1] ?? ''),
    status: /^[245]\.\d{1,3}\.\d{1,3}$/.exec(field('status').exec(head)?.[1] ?? '')?.[0] ?? null,
    recipients: [...new Set(recipients)],
    diagnostic: field('diagnosticCode').exec(head)?.[1]?.replace(/^\s*smtp\s*;\s*/i, '') ?? null,
  };
}
