// Why a bounce happened, in the vocabulary of sisimai (the reference bounce parser), so reports
// and tools that speak it line up: the status code says it when it is specific, the server's
// words say it otherwise, and a pseudo status x.0.9yy names the reason when no code was given.

import { BOUNCE_REASONS, type BounceReason } from '../../core/bounce-words.ts';

/** The x.0.9yy code of each reason (the convention of bounce analysers for "no code given"). */
const PSEUDO: Record<BounceReason, number> = {
  undefined: 900, onhold: 901, syntaxerror: 902, norelaying: 909, filtered: 910, userunknown: 911,
  hostunknown: 912, hasmoved: 916, rejected: 918, suspend: 921, mailboxfull: 922, exceedlimit: 923,
  authfailure: 926, systemerror: 930, systemfull: 931, notaccept: 932, mesgtoobig: 934,
  mailererror: 939, networkerror: 944, toomanyconn: 945, speeding: 946, expired: 947,
  contenterror: 960, securityerror: 970, blocked: 971, policyviolation: 972, requireptr: 973,
  notcompliantrfc: 974, badreputation: 975, failedstarttls: 976, spamdetected: 980, virusdetected: 981,
};

/** "5.0.922" for mailboxfull; the class is 4 when the failure was temporary. */
export function pseudoStatus(reason: BounceReason, temporary = false): string {
  return `${temporary ? 4 : 5}.0.${PSEUDO[reason]}`;
}

function reasonOfPseudo(status: string): BounceReason | null {
  const m = /^[45]\.0\.(9\d\d)$/.exec(status);
  if (!m) return null;
  const n = Number(m[1]);
  return (Object.keys(PSEUDO) as BounceReason[]).find((r) => PSEUDO[r] === n) ?? null;
}

/**
 * What the enhanced status codes of RFC 3463 and the IANA registry mean, as reasons: by the
 * subject.detail part, separately for permanent (5.x.x) and temporary (4.x.x) failures. Codes
 * that say little on their own (x.0.0, x.5.0, most temporary x.7.y) are left to the words.
 */
const PERMANENT_STATUS: Record<string, BounceReason> = {
  '1.0': 'userunknown', '1.1': 'userunknown', '1.2': 'hostunknown', '1.3': 'userunknown', '1.4': 'filtered',
  '1.6': 'hasmoved', '1.7': 'rejected', '1.8': 'rejected', '1.9': 'systemerror', '1.10': 'notaccept',
  '2.0': 'filtered', '2.1': 'filtered', '2.2': 'mailboxfull', '2.3': 'exceedlimit', '2.4': 'filtered',
  '3.0': 'systemerror', '3.1': 'systemfull', '3.2': 'notaccept', '3.3': 'systemerror', '3.4': 'mesgtoobig', '3.5': 'systemerror',
  '4.0': 'networkerror', '4.3': 'systemerror', '4.4': 'hostunknown',
  '5.2': 'syntaxerror', '5.3': 'toomanyconn', '5.4': 'systemerror', '5.5': 'systemerror', '5.6': 'syntaxerror',
  '6.0': 'contenterror', '6.1': 'contenterror', '6.2': 'contenterror', '6.3': 'contenterror', '6.5': 'contenterror',
  '6.6': 'contenterror', '6.7': 'contenterror', '6.8': 'contenterror', '6.9': 'contenterror',
  '7.0': 'securityerror', '7.1': 'securityerror', '7.2': 'securityerror', '7.3': 'securityerror', '7.4': 'securityerror',
  '7.5': 'securityerror', '7.6': 'securityerror', '7.7': 'securityerror', '7.8': 'securityerror', '7.9': 'securityerror',
  '7.10': 'securityerror', '7.11': 'securityerror', '7.13': 'suspend', '7.14': 'securityerror', '7.15': 'securityerror',
  '7.16': 'mesgtoobig', '7.17': 'hasmoved', '7.18': 'hasmoved', '7.19': 'securityerror', '7.20': 'authfailure',
  '7.21': 'authfailure', '7.22': 'authfailure', '7.23': 'authfailure', '7.24': 'authfailure', '7.25': 'requireptr',
  '7.26': 'authfailure', '7.27': 'notaccept', '7.28': 'spamdetected', '7.29': 'authfailure', '7.30': 'failedstarttls',
};
const TEMPORARY_STATUS: Record<string, BounceReason> = {
  '1.6': 'hasmoved', '1.7': 'rejected', '1.8': 'rejected', '1.9': 'systemerror',
  '2.1': 'blocked', '2.2': 'mailboxfull', '2.3': 'exceedlimit', '2.4': 'filtered',
  '3.1': 'systemfull', '3.2': 'notaccept', '3.3': 'systemerror', '3.5': 'systemerror',
  '4.1': 'expired', '4.2': 'networkerror', '4.3': 'systemerror', '4.4': 'networkerror', '4.5': 'systemfull',
  '4.6': 'networkerror', '4.7': 'expired', '4.8': 'networkerror', '5.3': 'systemerror', '5.5': 'systemerror',
  '6.0': 'contenterror', '6.2': 'contenterror', '6.5': 'contenterror', '7.1': 'blocked', '7.2': 'blocked',
  '7.5': 'securityerror', '7.6': 'securityerror', '7.7': 'securityerror', '7.12': 'securityerror', '7.15': 'securityerror',
  '7.16': 'mesgtoobig', '7.24': 'authfailure', '7.25': 'requireptr', '7.26': 'authfailure',
};

/** Codes specific enough to outweigh the words around them (which often quote an address or a domain). */
const DECISIVE = new Set(['1.6', '1.7', '1.8', '1.10', '2.2', '2.3', '3.4', '7.13', '7.17', '7.18', '7.20', '7.21', '7.22', '7.23', '7.24', '7.25', '7.26', '7.27', '7.30']);

/** Reasons about the sender, the recipient or the message, which a refusal on connecting cannot be. */
const AFTER_CONNECT = new Set<BounceReason>(['rejected', 'userunknown', 'filtered', 'onhold', 'undefined']);

/** A temporary failure is never about an address or a domain that does not exist: a lookup failed. */
const NOT_WHEN_TEMPORARY: Partial<Record<BounceReason, BounceReason>> = { hostunknown: 'networkerror' };

function detail(status: string): string | null {
  return /^[45]\.(\d{1,3}\.\d{1,3})$/.exec(status)?.[1] ?? null;
}

export function reasonFromStatus(status: string | null): BounceReason | null {
  if (!status) return null;
  const pseudo = reasonOfPseudo(status);
  if (pseudo) return pseudo;
  const d = detail(status);
  if (!d) return null;
  return (status.startsWith('4') ? TEMPORARY_STATUS[d] : PERMANENT_STATUS[d]) ?? null;
}

/**
 * What servers say, reason by reason. Order matters: the first match wins, so the narrow
 * phrases come before the broad ones ("Recipient address rejected: Mailbox full" is a full
 * mailbox; "Recipient address rejected" alone, last, is an unknown address).
 */
/** An unknown address said by the reporting system itself (never a filter's refusal). */
const DIRECTORY = 'directory' as const;

const BY_WORDS: Array<[BounceReason | typeof DIRECTORY, RegExp]> = [
  ['virusdetected', /\b(?:virus|malware|infected|trojan)\b/i],
  ['notcompliantrfc', /\b(?:not (?:rfc ?\d{3,4} )?compliant|multiple (?:addresses in from|subject|from|to|date|message-id)\b|rfc ?5322 (?:specific|non-?compliant))/i],
  ['spamdetected', /\b(?:rejected due to spam classification|blacklisted url|url (?:is )?(?:black|block)listed|uribl|surbl|(?:scored|classified) as (?:spam|junk)|spam (?:content|message|score))/i],
  ['authfailure', /\b(?:dmarc|spf (?:check|validation) fail|fails? to pass spf|spf (?:hard ?)?fail|dkim(?: signature)?(?: check)? (?:fail|did not pass|invalid)|unauthenticated email|does not have authentication information|sender is unauthenticated|must pass either spf or dkim|authenticate with either spf or dkim)/i],
  ['failedstarttls', /\b(?:starttls (?:failed|required|is required|not (?:supported|offered))|tls (?:negotiation|handshake) (?:failed|error)|must (?:issue|use) (?:a )?starttls|requiretls)/i],
  ['securityerror', /\b(?:unauthenticated senders? not allowed|smtp auth(?:entication)? (?:is )?required|turn on smtp authentication|authentication (?:is )?required|authentication (?:credentials )?(?:invalid|failed)|encryption (?:is )?required|must authenticate|not authorized to send (?:as|from|on behalf))/i],
  ['norelaying', /\b(?:relay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed))|not (?:permitted|allowed) to relay|unable to relay|(?:we )?do not relay|no relaying|relay not permitted|open relay)/i],
  ['requireptr', /\b(?:ptr record|reverse dns|reverse lookup|rdns|no ptr|mismatches client ip)/i],
  ['badreputation', /\b(?:reputation|unexpected volume or user complaints|\[tss0[34]\])/i],
  ['toomanyconn', /\b(?:too many (?:connections|concurrent|sessions|simultaneous)|connection (?:frequency|rate|count) limit|(?:ip|connection) frequency limited|connection limit|concurrent connections? (?:limit|exceeded))/i],
  ['speeding', /\b(?:receiving (?:mail|messages) at a rate|rate (?:limit(?:ed)?|exceeded)|too many (?:messages|emails|mails)|sending rate|exceeded the (?:sending )?rate|(?:messages|mails) per (?:hour|minute|day))/i],
  ['mailboxfull', /\b(?:mailbox (?:[\w ]{1,30} )?(?:is )?full|full mailbox|over ?quota|(?<!relay |sending |daily |rate )quota (?:exceeded|full|violation)|exceeded (?:the |their |his |her )?(?:storage |mailbox )?quota|out of storage space|insufficient storage for|mailbox size limit|exceeded storage allocation|storage (?:allocation|space) exceeded|user'?s? (?:disk|mailbox) (?:is )?full|mailbox (?:has exceeded|exceeds) (?:its|the|his|her|allowed)|exceeds allowed size|not enough (?:space|storage) (?:in|on) (?:the )?(?:mailbox|account))/i],
  ['exceedlimit', /\b(?:message length exceeds (?:administrative )?limit|too large for this recipient|recipsizelimit|exceeds (?:the )?(?:recipient'?s?|per-mailbox) (?:message )?size limit|message length exceeds limit set by recipient)/i],
  ['mesgtoobig', /\b(?:message (?:is |was )?too (?:big|large|long)|message size (?:exceeds|too large|limit)|exceeds? (?:the |our )?(?:maximum )?(?:message |mail )?size|size (?:limit )?exceeded|message file too big|mail size limit)/i],
  ['hasmoved', /\b(?:no longer (?:on (?:this )?server|at this address|in use)|has moved|mailbox (?:has been )?moved)/i],
  ['mailererror', /\b(?:mailer error|program exited|unknown mailer|pipe to \|\S+|command (?:died|failed)|exit status \d|procmail|maildrop)/i],
  ['systemerror', /\b(?:system error|internal (?:server |system )?error|queue file write error|duplicated? message-id|unable to contact ldap|local error in processing)/i],
  ['contenterror', /\b(?:media error|headers? (?:too large|too long|exceeds?)|content(?:-type)? (?:error|not (?:allowed|supported))|illegal (?:attachment|content)|unsupported (?:media|content)|(?:8bit|binary) (?:data|mime) not (?:allowed|accepted)|conversion (?:required|failed))/i],
  ['suspend', /\b(?:(?:account|mailbox|recipient|address|user) (?:\S+ )?(?:is |has been |was )?(?:temporar(?:y|ily) )?(?:disabled|suspended|deactivated|inactive|frozen|locked|blocked|discontinued|closed)|disabled (?:recipient|user|account|mailbox)|disabled or discontinued|account that you tried to reach is (?:disabled|inactive)|compte .{0,30}bloque)/i],
  ['blocked', /\b(?:blocked using|black ?list(?:ed)?|block ?list(?:ed)?|listed (?:in|at|on|by) |rbl\b|dnsbl|spamhaus|sorbs|spamcop|client host (?:\S+ )?(?:rejected|blocked)|banned sending ip|ip (?:source )?(?:address )?(?:is )?(?:blocked|bloquee|banned)|invalid ip for sending|refused to talk to me|use the smtp server of your isp|blocked\s*-\s*see|blocked for spamming|on our block ?list|dynamic ip|daily relay quota|service refuse)/i],
  ['spamdetected', /\b(?:spam|ube\b|unsolicited|junk mail|bulk mail|blacklisted url|uribl|surbl|content rejected|mail rejete)/i],
  ['policyviolation', /\b(?:policy reasons|(?:local )?policy violation|(?:denied|rejected|refused) (?:by|due to|for) (?:local )?polic(?:y|ies)|violates? (?:our )?(?:local )?polic(?:y|ies)|header error)/i],
  ['syntaxerror', /\b(?:syntax error|command (?:parameter )?not implemented|command unrecognized|unrecognized command|bad sequence of commands|invalid (?:command|syntax)|malformed (?:recipient )?address|incorrectly constructed)/i],
  ['userunknown', /\b(?:recipient address rejected: (?:access denied|invalid user|unknown user|user unknown))/i],
  // What a mail system says about its own directory: nothing to do with a filter.
  [DIRECTORY, /\b(?:recipient name is not recognized|invalid final delivery userid|check if address is correct|not listed in (?:the )?(?:directory|address book))/i],
  ['rejected', /\b(?:sender (?:address )?(?:rejected|refused|denied|blocked|verify failed|verification failed|not allowed|unknown)|domain of sender (?:address )?(?:\S+ )?does not exist|purported responsible address|sender domain (?:does not exist|unknown|must exist)|your (?:address|domain) (?:is|has been) (?:rejected|blocked)|mail from .{0,80} rejected|not a registered gateway user|access denied|groups\.google\.com\/support|customfromdenied|'send mail as')/i],
  ['filtered', /\b(?:message filtered|filtered|recipient preferences|content filter|refused by (?:the )?recipient'?s? (?:filter|rules)|user refuses to receive|you have been blocked by the recipient)/i],
  ['notaccept', /\b(?:does not accept (?:any )?mail|(?:doesn't|does not|not) (?:receive|accept(?:ing)?) (?:e-?mail|mail|messages)|null mx|couldn't find a mail exchanger|no mx (?:record|found|host)|no (?:valid )?mail exchanger|no smtp service|system not accepting network messages)/i],
  ['hostunknown', /\b(?:host (?:or domain name )?(?:not found|unknown)|host \S+ not found|unknown host|no such domain|domain (?:name )?(?:not found|does not exist|unknown|is not reachable|not reachable)|unrouteable (?:mail )?domain|host name lookup failure|bad destination (?:host|system)|nxdomain|name or service not known)/i],
  ['userunknown', /\b(?:user(?:name)? (?:unknown|not found|does not exist|not exist|doesn'?t exist)|unknown (?:user|recipient|local[- ]?part|mailbox|address)|no such (?:user|mailbox|recipient|person|account|address)|(?:mailbox|account|address|recipient|addressee|user|e-?mail address) (?:does not exist|doesn'?t exist|not found|unknown|invalid|no longer exists|not listed)|invalid (?:recipient|mailbox|address|user|destination|final delivery userid)|not a valid (?:mailbox|user|recipient|address)|is not a known user|unrouteable address|no mailbox here|user not listed|undeliverable address|bad (?:destination mailbox )?address|not our customer|no valid recipients?|recipnotfound|recipient not found|doesn'?t have a .{1,40} account|account that you tried to reach does not exist|inactive (?:e-?mail )?address|mailbox unavailable|destinataire invalide|check if address is correct)/i],
  ['expired', /\b(?:delivery time expired|message expired|queue\.expired|retry (?:time|timeout)(?: of .*)? (?:exceeded|expired)|(?:message|envelope) (?:has been |was |is )?(?:expired|timed out)|delivery failed \d+ attempts|has been delayed|delayed for more than|could not be delivered (?:for|within) \d|gave up|giving up|did not accept our requests to connect|host not reachable|connection timed out|timed out|too long in (?:the )?queue|has not been delivered for|expired after|queue lifetime|maximum time|undelivered for \d|unable to deliver in \d)/i],
  ['networkerror', /\b(?:network (?:error|unreachable|is unreachable)|connection (?:refused|reset|lost|closed)|no route to host|could not connect|unable to (?:establish|open) (?:an? )?(?:smtp )?connection|wasn't able to establish|routing loop|mail loop|too many hops|hop count exceeded|dns (?:error|lookup|failure)|name (?:service|server) (?:error|failure|reply)|malformed or unexpected name server reply)/i],
  ['systemfull', /\b(?:insufficient (?:disk|system) (?:space|storage)|mail system full|disk (?:is )?full|no space left)/i],
  ['systemerror', /\b(?:temporary (?:local )?(?:problem|failure)|local error|server error|server busy|service (?:is )?(?:currently )?unavailable)/i],
  ['userunknown', /\b(?:recipient (?:address )?rejected|address rejected|recipient (?:invalid|unknown))/i],
  ['onhold', /\b(?:on ?hold|held for|quarantined)/i],
];

/**
 * Large providers answer with their own published codes, which say more than the words around
 * them: Cox's and Charter/Spectrum's AUP codes, Orange's (Wanadoo) OFR/LPN codes, Gmail's help
 * topics, Yahoo's "this user doesn't have an account".
 */
const PROVIDER_CODES: Array<[BounceReason, RegExp]> = [
  ['blocked', /\bAUP#(?:CDRBL|RBL|BL|CXBL|DNSBL)\b/i],
  ['toomanyconn', /\bAUP#(?:In|Out)-13\d\d\b/i],
  ['userunknown', /\b(?:LPN007_4(?:16|18)|OFR_4(?:16|18))\b|this user doesn'?t have a \S+ account|\?p=NoSuchUser\b/i],
  ['spamdetected', /\b(?:OFR_506|\?p=UnsolicitedMessageError)\b/i],
  ['mailboxfull', /\?p=OverQuota(?:Perm|Temp)\b/i],
  ['suspend', /\?p=DisabledUser\b|\bLPN007_426\b/i],
  ['speeding', /\?p=ReceivingRate(?:Perm|Temp)?\b/i],
  ['notcompliantrfc', /\?p=RfcMessageNonCompliant\b/i],
];

export function reasonFromWords(text: string): BounceReason | null {
  const found = wordsMatch(text);
  return found === DIRECTORY ? 'userunknown' : found;
}

function wordsMatch(text: string): BounceReason | typeof DIRECTORY | null {
  if (!text) return null;
  for (const [reason, pattern] of BY_WORDS) if (pattern.test(text)) return reason;
  return null;
}

export interface ReasonInput {
  status: string | null;
  /** The remote server's own line (a DSN's Diagnostic-Code, or the line of prose with the reply). */
  diagnostic: string | null;
  /** The bounce's own words (without the returned message), for bounces with no server line. */
  text: string;
  /** The SMTP command the server refused, when the bounce says it (rcpt, data, mail, connect). */
  command: string | null;
  /** A remote server answered (the diagnostic carries an SMTP reply code). */
  replied: boolean;
  /** A DSN's Diagnostic-Code type when it is not smtp (`x-unix`: a local program failed). */
  diagnosticType: string | null;
}

export function bounceReason(input: ReasonInput): BounceReason {
  const temporary = !!input.status?.startsWith('4');
  const byStatus = reasonFromStatus(input.status);
  const d = input.status ? detail(input.status) : null;
  if (byStatus && input.status && (reasonOfPseudo(input.status) || (d && DECISIVE.has(d)))) return byStatus;
  if (input.diagnosticType === 'x-unix') return 'mailererror';
  const provider = input.replied ? PROVIDER_CODES.find(([, pattern]) => pattern.test(input.diagnostic ?? ''))?.[0] : undefined;
  if (provider) return provider;
  const words = wordsMatch(input.diagnostic ?? '') ?? (byStatus ? null : wordsMatch(input.text));
  if (words === DIRECTORY) return 'userunknown';
  // Nothing said why, but a server did answer: sisimai's "onhold" (not enough to decide).
  let reason = words ?? byStatus ?? (input.replied ? 'onhold' : 'undefined');
  // A "no such user" that did not answer the recipient's address (RCPT TO) — it came after the
  // message itself, or at a step the bounce does not name, with no code that points at the
  // address — is the recipient's filter speaking.
  const beforeContent = input.command === 'rcpt' || input.command === 'mail' || input.command === 'connect';
  if (reason === 'userunknown' && byStatus !== 'userunknown' && !beforeContent) reason = 'filtered';
  // Refused on connecting, before any address or content was sent: it was about the client host.
  if (input.command === 'connect' && AFTER_CONNECT.has(reason)) reason = 'blocked';
  if (temporary) reason = NOT_WHEN_TEMPORARY[reason] ?? reason;
  return reason;
}

/**
 * Whether sending the same email again later may get it delivered: the recipient's side is
 * busy, full or down, not refusing the address or the message. A temporary (4.x.x) refusal on
 * grounds of policy, reputation or blocking may lift too.
 */
const RETRYABLE = new Set<BounceReason>(['mailboxfull', 'expired', 'networkerror', 'systemerror', 'systemfull', 'mailererror', 'toomanyconn', 'speeding']);
const NEVER_RETRYABLE = new Set<BounceReason>(['userunknown', 'hostunknown', 'hasmoved', 'notaccept', 'mesgtoobig', 'exceedlimit', 'virusdetected', 'notcompliantrfc', 'syntaxerror']);

export function isRetryable(reason: BounceReason, status: string | null): boolean {
  if (RETRYABLE.has(reason)) return true;
  if (NEVER_RETRYABLE.has(reason)) return false;
  return !!status?.startsWith('4');
}
