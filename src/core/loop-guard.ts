// Mail-loop guards. Two mailers answering each other (our reply → their auto-reply → …) can burn
// through a sending quota in minutes; these checks keep us from being one of the two.

/** Lower-cased, trimmed address. Local parts are case-sensitive by the RFC but never in practice. */
export function addressKey(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * True when `address` is one of ours, including sub-addresses (`support+x@acme.com` is ours when
 * `support@acme.com` is): a customer copying a tagged variant must not make us mail ourselves.
 */
export function isOwnAddress(address: string, ourAddresses: readonly string[]): boolean {
  const key = addressKey(address);
  const base = withoutSubaddress(key);
  return ourAddresses.some((ours) => {
    const ourKey = addressKey(ours);
    return ourKey === key || ourKey === base;
  });
}

function withoutSubaddress(key: string): string {
  const at = key.lastIndexOf('@');
  if (at <= 0) return key;
  const local = key.slice(0, at);
  const plus = local.indexOf('+');
  return plus > 0 ? `${local.slice(0, plus)}${key.slice(at)}` : key;
}

export interface RecipientRateInput {
  recipients: readonly string[];
  /** Emails already sent to each address in the last hour, keyed by address (any case). */
  sentCounts: Readonly<Record<string, number>>;
  maxPerHour: number;
}

export interface RecipientRateResult {
  /** True when every recipient may get one more email now. */
  ok: boolean;
  /** Recipients (as given) who already had `maxPerHour` emails in the last hour. */
  overLimit: string[];
}

/** Which recipients would exceed `maxPerHour` if one more email went to them now. */
export function checkRecipientRate({ recipients, sentCounts, maxPerHour }: RecipientRateInput): RecipientRateResult {
  const counts = new Map<string, number>();
  for (const [address, count] of Object.entries(sentCounts)) {
    const key = addressKey(address);
    counts.set(key, (counts.get(key) ?? 0) + count);
  }
  const seen = new Set<string>();
  const overLimit: string[] = [];
  for (const recipient of recipients) {
    const key = addressKey(recipient);
    if (seen.has(key)) continue;
    seen.add(key);
    if ((counts.get(key) ?? 0) >= maxPerHour) overLimit.push(recipient);
  }
  return { ok: overLimit.length === 0, overLimit };
}
