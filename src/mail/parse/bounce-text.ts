// Status codes from the prose of a bounce: an enhanced code if the MTA wrote one, else the
// class of its SMTP reply ("550 …" → 5.0.0), else a code for the reason its words give.
// The reason codes follow the widely used convention of bounce analysers (Sisimai): x.0.9yy
// where yy names the reason, so "mailbox full" without any code is 5.0.922.

/** Where the bounce's own words end and the returned message begins. */
const RETURNED_MESSAGE = new RegExp(
  [
    '^-{2,}\\s*(?:this is a copy of|original message|below this line|undelivered message|returned message|message headers? follow|the header of the original)',
    '^\\s*(?:-+\\s*)?(?:original message (?:follows|headers?)|message (?:text )?follows|the original message (?:was|is) |returned mail|unsent message below|included is a copy|copy of the (?:original )?message)',
    '^content-type:\\s*(?:message/rfc822|text/rfc822-headers)',
    '^(?:received|return-path|dkim-signature|x-mailer|mime-version):\\s',
  ].join('|'),
  'im',
);

const ENHANCED_ALL = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/g;
const REPLY_CODE = /(?:^|[\s:(<"'#\]]|said:\s*)([45])[0-5]\d(?:[\s-]|$)/m;

/** The bounce's own text, without the returned message. */
export function errorPart(text: string): string {
  const head = text.slice(0, 200_000);
  const m = RETURNED_MESSAGE.exec(head);
  // A marker in the first lines is the bounce's preamble, not the returned message.
  return m && m.index > 40 ? head.slice(0, m.index) : head;
}

export function statusFromText(text: string): string | null {
  const part = errorPart(text);
  let fallback2xx: string | null = null;
  for (const m of part.matchAll(ENHANCED_ALL)) {
    const code = `${m[1]}.${m[2]}.${m[3]}`;
    if (m[1] === '2') {
      fallback2xx ??= code;
      continue;
    }
    if (Number(m[2]) > 7) continue; // RFC 3463 classes stop at 7 (x.7.y security)
    return code;
  }
  return fallback2xx && /delivered|relayed|success/i.test(part) ? fallback2xx : null;
}

const REASONS: Array<[code: string, pattern: RegExp]> = [
  // Google Groups refuses posts from non-members (or to groups that are gone), in any language.
  ['5.0.918', /groups\.google\.com\/support|customfromdenied|'send mail as'/i],
  ['5.0.947', /\b(?:delivery time expired|retry (?:time|timeout) (?:of .*)?(?:exceeded|expired)|(?:message|envelope) (?:has been |was |is )?(?:expired|delayed|timed out)|delivery failed \d+ attempts|will be retried|has been delayed|delayed for more than|could not be delivered (?:for|within) \d|gave up|giving up|did not accept our requests to connect|connection timed out|too long in (?:the )?queue|time(?:d)? ?out (?:while|waiting)|has not been delivered for|expired after|queue lifetime|maximum time|undelivered for \d)/i],
  ['5.0.922', /\b(?:mailbox (?:is )?full|full mailbox|(?<!relay |sending |daily |rate )quota|over ?quota|exceed(?:ed|s)? (?:the )?(?:storage|mailbox|size)|insufficient (?:disk|storage)|mail ?box size limit|mailbox (?:has exceeded|exceeds)|exceeds allowed size|user(?:'s)? disk|not enough space)/i],
  ['5.0.932', /\b(?:does not accept (?:any )?mail|not accept(?:ing)? mail|null mx|no mx (?:found|record)|no smtp service)/i],
  ['5.0.912', /\b(?:host (?:or domain name )?(?:not found|unknown)|unknown host|no such domain|domain (?:not found|does not exist|name not found|unknown)|unrouteable (?:mail )?domain|name server|nxdomain|dns (?:error|lookup|failure)|host name lookup failure|bad destination host)/i],
  ['5.0.911', /\b(?:user(?:name)? (?:unknown|not found|does not exist)|unknown (?:user|recipient|local[- ]part|mailbox|address)|no such (?:user|mailbox|recipient|person|account|address)|(?:mailbox|account|address|recipient|addressee) (?:does not exist|doesn't exist|not found|unknown|unavailable|not available|is unavailable|invalid|no longer exists)|invalid (?:recipient|mailbox|address|user|final delivery userid)|unable to deliver message to .{0,80}check if address is correct|recipient address rejected|not a valid (?:mailbox|user|recipient)|is not a known user|unrouteable address|no mailbox here|user not listed|address rejected|undeliverable address|bad address|not our customer|no valid recipients?)/i],
  ['5.0.921', /\b(?:suspended|disabled|deactivated|inactive|account (?:is |has been |was )?(?:closed|locked|expired|blocked)|mailbox (?:is )?(?:locked|disabled|inactive))/i],
  ['5.0.980', /\b(?:spam|junk mail|bulk mail|unsolicited|blacklisted (?:url|link|domain in)|uribl|surbl)/i],
  ['5.0.971', /\b(?:blocked|black ?list|block ?list|listed (?:in|at|on)|rbl|spamhaus|dnsbl|client host .* rejected|poor reputation|invalid ip for sending|relay quota|denied by policy|access denied)/i],
  ['5.0.973', /\b(?:ptr record|reverse (?:dns|lookup)|rdns)/i],
  ['5.0.918', /\b(?:sender (?:address )?(?:rejected|denied|verify failed|not allowed)|domain of sender|rejected (?:your|the) (?:message|sender)|not authorized to send|refused)/i],
  ['5.0.910', /\b(?:filter(?:ed)?|content (?:rejected|not allowed)|message (?:rejected|refused) (?:due to|because)|restricted|only accept(?:ing)? mail from)/i],
  ['5.0.944', /\b(?:network (?:error|unreachable)|connection (?:refused|reset|lost)|no route to host|could not connect)/i],
  ['5.0.902', /\b(?:syntax error|malformed (?:recipient )?address|invalid (?:command|syntax))/i],
  ['5.0.939', /\b(?:mailer error|program exited|unknown mailer|pipe to \|\S+|command (?:died|failed))/i],
  ['5.0.930', /\b(?:system error|internal (?:server )?error|temporary (?:local )?problem|local error)/i],
  ['5.0.901', /\b(?:on ?hold|held for)/i],
];

/** The class of an SMTP reply code in the error part ("550 …" → 5.0.0), or null. */
export function statusFromReplyCode(text: string): string | null {
  const reply = REPLY_CODE.exec(errorPart(text));
  return reply ? `${reply[1]}.0.0` : null;
}

/** A reason code (5.0.9yy) from the words of the error part, or null. */
export function statusFromReason(text: string): string | null {
  const part = errorPart(text);
  for (const [code, pattern] of REASONS) if (pattern.test(part)) return code;
  return null;
}
