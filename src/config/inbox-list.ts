// The inboxes taken together: each one's key (from its name), what must differ between them (key,
// channel, addresses), and a rule's move, which names another inbox.
import { ConfigError } from './config-error.ts';
import type { InboxConfig } from './load.ts';
import { moveTargetProblems } from './rules.ts';
import type { InboxSettings } from './schema.ts';

export function inboxKey(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'inbox'
  );
}

/** Gives each inbox its key; throws ConfigError naming every clash between them. */
export function checkInboxes(inboxes: InboxSettings[], where: (i: number, key: string) => string): InboxConfig[] {
  const problems: string[] = [];
  const seen = { key: new Map<string, number>(), channel: new Map<string, number>(), address: new Map<string, number>() };
  const out = inboxes.map((inbox, i) => {
    const key = inboxKey(inbox.name);
    const claim = (kind: keyof typeof seen, value: string, field: string) => {
      const other = seen[kind].get(value);
      if (other !== undefined && other !== i) problems.push(`${where(i, field)} "${value}" is also used by inboxes[${other}]`);
      seen[kind].set(value, i);
    };
    claim('key', key, 'name');
    claim('channel', inbox.channel, 'channel');
    for (const a of [inbox.address, ...inbox.aliases]) claim('address', a, 'address');
    return { ...inbox, key };
  });
  problems.push(...moveTargetProblems(out, where));
  if (problems.length) throw new ConfigError(problems);
  return out;
}
