// A bounce's reason said in plain words for the team, with what to do about it. Pure: the
// thread note, the ⚠️ line on a reply and /mailroom stats all say it the same way.

/** Why a bounce happened, in sisimai's vocabulary (the reference bounce parser). */
export const BOUNCE_REASONS = [
  // address and host
  'userunknown', 'hostunknown', 'hasmoved', 'suspend', 'mailboxfull', 'exceedlimit', 'mesgtoobig',
  // filtering and policy
  'filtered', 'rejected', 'blocked', 'spamdetected', 'virusdetected', 'policyviolation', 'securityerror',
  'authfailure', 'requireptr', 'badreputation', 'norelaying', 'notaccept', 'notcompliantrfc',
  'contenterror', 'failedstarttls',
  // transport and server
  'expired', 'networkerror', 'systemerror', 'systemfull', 'mailererror', 'toomanyconn', 'speeding',
  'syntaxerror', 'onhold',
  // nothing known
  'undefined',
] as const;
export type BounceReason = (typeof BOUNCE_REASONS)[number];

export interface BounceWords {
  /** What happened, as the end of "Not delivered to …: ___." */
  what: string;
  /** What the teammate can do. */
  advice: string;
  /** A short label for lists (stats). */
  label: string;
}

const ADMIN = 'Ask your mail administrator: sending it again as it is will meet the same answer.';
const LATER = 'Try again later.';

const WORDS: Record<BounceReason, BounceWords> = {
  userunknown: { what: "the address doesn't exist", advice: 'Check the address with the customer (a typo?), or reach them another way.', label: "address doesn't exist" },
  hostunknown: { what: "their domain doesn't exist", advice: 'Check the part after the @ for a typo.', label: "domain doesn't exist" },
  hasmoved: { what: 'the address is no longer in use (the mailbox moved, with no forwarding)', advice: 'Ask the customer for their new address.', label: 'address moved' },
  suspend: { what: 'their mailbox is disabled or suspended', advice: 'Reach them another way, or ask for another address.', label: 'mailbox disabled' },
  mailboxfull: { what: 'their mailbox is full', advice: 'Try again later, once they have made room.', label: 'mailbox full' },
  exceedlimit: { what: 'the email is larger than their mailbox accepts', advice: 'Send it without attachments, or with a link instead.', label: 'too big for their mailbox' },
  mesgtoobig: { what: 'the email is too big for their server', advice: 'Send it without attachments, or with a link instead.', label: 'email too big' },
  filtered: { what: "their server's filters refused it", advice: 'Check the address, or reach them another way: their server may take mail only from some senders.', label: 'refused by their filters' },
  rejected: { what: 'their server refused our address as the sender', advice: ADMIN, label: 'our address refused' },
  blocked: { what: 'their server blocks mail from our mail server', advice: `${ADMIN} (our sending server may be on a blocklist)`, label: 'our server blocked' },
  spamdetected: { what: 'it was rejected as spam by their server', advice: 'Write it without links or wording that looks like marketing, or reach them another way.', label: 'taken for spam' },
  virusdetected: { what: 'their server found a virus in it', advice: 'Check the attachments and send it without them.', label: 'virus found' },
  policyviolation: { what: "their server's policy refused it", advice: 'Reach them another way: their mail administrator can say why.', label: 'refused by their policy' },
  securityerror: { what: 'their server refused it for security reasons (authentication or encryption)', advice: ADMIN, label: 'security' },
  authfailure: { what: 'their server could not verify that it came from us (SPF, DKIM or DMARC)', advice: "Ask your mail administrator to check the domain's SPF, DKIM and DMARC records.", label: 'not authenticated' },
  requireptr: { what: 'their server wants our mail server to have a proper name in DNS (reverse DNS)', advice: 'Ask your mail administrator to set up reverse DNS for the sending server.', label: 'no reverse DNS' },
  badreputation: { what: "their server distrusts our mail server's reputation", advice: 'Try again later; if it keeps happening, ask your mail administrator.', label: 'poor reputation' },
  norelaying: { what: 'the mail server refused to pass it on (relaying denied)', advice: ADMIN, label: 'relaying denied' },
  notaccept: { what: "their domain doesn't receive email at all", advice: 'Check the address: that domain takes no email.', label: 'domain takes no email' },
  notcompliantrfc: { what: 'their server says the email is malformed', advice: ADMIN, label: 'malformed email' },
  contenterror: { what: 'their server could not take its content (its format or headers)', advice: 'Send it as plain text, without attachments.', label: 'content refused' },
  failedstarttls: { what: 'the two mail servers could not agree on an encrypted connection', advice: ADMIN, label: 'encryption failed' },
  expired: { what: "it timed out: their server didn't accept it for days", advice: 'Try again later; if it times out again, reach them another way.', label: 'timed out' },
  networkerror: { what: 'their server could not be reached (a network or DNS problem)', advice: LATER, label: 'network problem' },
  systemerror: { what: 'their server had an internal error', advice: LATER, label: 'their server failed' },
  systemfull: { what: 'their server is out of storage', advice: LATER, label: 'their server is full' },
  mailererror: { what: 'their mail program failed while delivering it', advice: LATER, label: 'their mail program failed' },
  toomanyconn: { what: 'their server refuses connections for now (too many at once)', advice: LATER, label: 'too many connections' },
  speeding: { what: 'they are receiving mail too fast for now (a rate limit)', advice: LATER, label: 'rate limited' },
  syntaxerror: { what: 'the two mail servers did not understand each other (an SMTP error)', advice: ADMIN, label: 'SMTP error' },
  onhold: { what: 'their server refused it without saying why', advice: "Read the server's answer below; check the address.", label: 'no reason given' },
  undefined: { what: "the bounce doesn't say why", advice: "Read the server's answer below; check the address.", label: 'reason unknown' },
};

/** The words for a reason; a temporary refusal that may lift says so. */
export function bounceWords(reason: BounceReason, retryable = false): BounceWords {
  const w = WORDS[reason] ?? WORDS.undefined;
  if (!retryable || /try again later/i.test(w.advice)) return w;
  return { ...w, advice: `It may pass later. If it doesn't: ${w.advice.charAt(0).toLowerCase()}${w.advice.slice(1)}` };
}

/** A reason as the event log keeps it, in words (one Mailroom does not know is shown as it is). */
export function bounceLabel(reason: string): string {
  return Object.hasOwn(WORDS, reason) ? WORDS[reason as BounceReason].label : reason;
}
