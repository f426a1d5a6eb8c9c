// Realistic customer emails for the benchmarks: a few KB each, text and HTML alternatives, new
// text above a quoted history and a signature, like what a support inbox really receives. Each
// carries a marker (in its new text, so it survives quote trimming) that finds its Slack post.
import { composeEmail } from '../test/support/mail.ts';

export interface BenchEmail {
  raw: Buffer;
  messageId: string;
  /** Unique text in the new part of the body; appears in the Slack thread message. */
  marker: string;
  subject: string;
  from: { name: string; address: string };
  /** Opens a conversation (as opposed to following up on one). */
  opens: boolean;
}

const FIRST = ['Carla', 'Jonas', 'Amara', 'Wei', 'Lucía', 'Mateus', 'Priya', 'Olu', 'Sofia', 'Henrik', 'Yuki', 'Fatima'];
const LAST = ['Cliente', 'Becker', 'Okafor', 'Chen', 'Ortega', 'Silva', 'Raman', 'Adeyemi', 'Rossi', 'Lund', 'Sato', 'Haddad'];
const TOPICS = [
  { subject: 'Order {n} arrived damaged', ask: 'The parcel for order {n} arrived today with the box crushed and two of the glasses broken.' },
  { subject: 'Invoice {n}: VAT number missing', ask: 'Our accounts team cannot book invoice {n} because our VAT number is missing from it.' },
  { subject: 'Cannot log in since the update', ask: 'Since yesterday\'s update none of us can log in; the page just reloads after the password step.' },
  { subject: 'Question about the annual plan', ask: 'We are thinking of moving from the monthly to the annual plan and have a few questions first.' },
  { subject: 'Delivery address change for order {n}', ask: 'I made a mistake in the delivery address of order {n}; the flat number should be 4B, not 48.' },
  { subject: 'Refund for cancelled booking {n}', ask: 'Booking {n} was cancelled by you three weeks ago and the refund has still not reached my card.' },
];
const FILLER = [
  'I have attached nothing this time, but I can send photos if that helps.',
  'We have been customers for several years and this is the first time something like this happened.',
  'Could you please let me know what the next steps are and how long they usually take?',
  'I tried the help centre article about this, but the steps there do not match what I see.',
  'If it is easier, you can also call me on the number below any weekday after 10am.',
  'Thanks in advance for looking into it; I know you are probably busy this time of year.',
];

/** A small seeded PRNG, so every run sends the same mail (and builds the same store). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const quote = (text: string) => text.split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n');
const htmlParas = (paras: string[]) => paras.map((p) => `<p style="margin:0 0 12px 0;font-family:Arial,sans-serif;font-size:14px">${escapeHtml(p)}</p>`).join('\n');

export interface CorpusOptions {
  /** The inbox address the mail is sent to. */
  to: string;
  seed?: number;
  /** Distinguishes runs (markers and Message-IDs). */
  runId?: string;
}

export function createCorpus(o: CorpusOptions) {
  const random = rng(o.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const runId = o.runId ?? Date.now().toString(36);
  let sequence = 0;

  async function build(p: {
    from: { name: string; address: string };
    subject: string;
    paras: string[];
    quoted: { who: string; date: Date; text: string };
    opens: boolean;
    inReplyTo?: string;
    references?: string[];
  }): Promise<BenchEmail> {
    const n = ++sequence;
    const marker = `BX-${runId}-${String(n).padStart(4, '0')}`;
    const messageId = `<${runId}.${n}.${Math.floor(random() * 1e9)}@mail.customer.example>`;
    const paras = [...p.paras, `Reference for your records: ${marker}`];
    const signature = `${p.from.name}\n${pick(['Operations lead', 'Office manager', 'Founder', 'Purchasing'])}, ${pick(['Nordlicht GmbH', 'Casa Verde Lda', 'Kite & Co', 'Blue Harbour Ltd'])}\n+1 555 01${String(n % 100).padStart(2, '0')}`;
    const intro = `On ${p.quoted.date.toUTCString()}, ${p.quoted.who} wrote:`;
    const text = `Hello,\n\n${paras.join('\n\n')}\n\nBest regards,\n-- \n${signature}\n\n${intro}\n${quote(p.quoted.text)}\n`;
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{color:#222}</style></head><body>
<div dir="ltr"><p style="margin:0 0 12px 0">Hello,</p>
${htmlParas(paras)}
<p>Best regards,</p>
<div class="gmail_signature">-- <br>${escapeHtml(signature).replace(/\n/g, '<br>')}</div></div>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">${escapeHtml(intro)}<br></div>
<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">
${htmlParas(p.quoted.text.split('\n\n'))}
</blockquote></div></body></html>`;
    const raw = await composeEmail({
      from: { name: p.from.name, address: p.from.address },
      to: o.to,
      subject: p.subject,
      text,
      html,
      messageId,
      date: new Date(),
      ...(p.inReplyTo ? { inReplyTo: p.inReplyTo } : {}),
      ...(p.references ? { references: p.references } : {}),
      headers: { 'X-Mailer': 'Bench Mail 1.0', 'Content-Language': 'en-GB' },
    });
    return { raw, messageId, marker, subject: p.subject, from: p.from, opens: p.opens };
  }

  return {
    /** A customer's first email to the inbox (itself quoting an earlier shop email). */
    newConversation(): Promise<BenchEmail> {
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      const address = `${name.toLowerCase().normalize('NFD').replace(/[^a-z ]/g, '').replace(' ', '.')}.${sequence + 1}@customer.example`;
      const topic = pick(TOPICS);
      const orderNo = String(10000 + Math.floor(random() * 89999));
      const fill = (s: string) => s.replace(/\{n\}/g, orderNo);
      const paras = [fill(topic.ask), pick(FILLER), pick(FILLER), pick(FILLER)];
      const history = [
        `Thank you for your order ${orderNo}. We are getting it ready and will let you know as soon as it ships.`,
        'Order summary: 6 x Tumbler glass, clear (EUR 8.50 each); 1 x Gift wrap (EUR 3.00); shipping EUR 4.90. Total EUR 58.90, paid by card ending 4242.',
        'Questions? Just reply to this email; our team answers within one business day.',
        'Kind regards,\nThe Acme Shop team',
      ].join('\n\n');
      return build({
        from: { name, address },
        subject: fill(topic.subject),
        paras,
        quoted: { who: 'Acme Shop <orders@shop.example>', date: new Date(Date.now() - 5 * 86400_000), text: history },
        opens: true,
      });
    },
    /** The same customer writing again in the conversation, quoting their first email. */
    followUp(first: BenchEmail): Promise<BenchEmail> {
      const paras = ['Just following up on my email below, as I have not heard back yet.', pick(FILLER)];
      return build({
        from: first.from,
        subject: `Re: ${first.subject}`,
        paras,
        quoted: { who: `${first.from.name} <${first.from.address}>`, date: new Date(Date.now() - 86400_000), text: pick(FILLER) + '\n\n' + pick(FILLER) },
        opens: false,
        inReplyTo: first.messageId,
        references: [first.messageId],
      });
    },
  };
}
export type Corpus = ReturnType<typeof createCorpus>;

/**
 * `total` emails as opener and follow-up pairs, spread over `connections` batches (one per IMAP
 * connection) so that each pair is delivered in order.
 */
export async function pairedBatches(corpus: Corpus, total: number, connections: number): Promise<{ emails: BenchEmail[]; batches: Buffer[][] }> {
  const emails: BenchEmail[] = [];
  const batches: Buffer[][] = Array.from({ length: connections }, () => []);
  for (let i = 0; i < total; i += 2) {
    const opener = await corpus.newConversation();
    const pair = i + 1 < total ? [opener, await corpus.followUp(opener)] : [opener];
    emails.push(...pair);
    batches[(i / 2) % connections]!.push(...pair.map((e) => e.raw));
  }
  return { emails, batches };
}

