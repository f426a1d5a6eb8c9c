// The configured inboxes, built once at start and shared by every part: each with its store row,
// its configuration, its addresses and who its members are; all our addresses and domains (mail
// from them is never a customer's, and they are never recipients); and membership, asked of the
// Slack directory through the port below.
import type { InboxConfig } from '../config/load.ts';
import type { Inbox } from '../core/types.ts';
import type { Store } from '../store/index.ts';

/** Who the members of an inbox are: a list, a user group, or (the default) its channel's members. */
export interface InboxMembers {
  channelId: string;
  members?: string[] | undefined;
  usergroup?: string | undefined;
}

/** Membership, as the Slack side knows it (slack/outbound/directory.ts). */
export interface MemberDirectory {
  isMember(rule: InboxMembers, userId: string): Promise<boolean>;
  members(rule: InboxMembers): Promise<string[]>;
}

export interface ConfiguredInbox {
  inbox: Inbox;
  config: InboxConfig;
  /** Address and aliases, lower-cased, main address first. */
  addresses: string[];
  members: InboxMembers;
}

export interface Inboxes {
  readonly all: readonly ConfiguredInbox[];
  byId(inboxId: number): ConfiguredInbox | undefined;
  byChannel(channelId: string | null | undefined): ConfiguredInbox | undefined;
  /** Inbox channels: messages elsewhere are none of our business. */
  readonly channels: ReadonlySet<string>;
  /** Every address of every inbox, lower-cased. */
  readonly ourAddresses: ReadonlySet<string>;
  readonly ourDomains: readonly string[];
  isMember(inboxId: number, userId: string): Promise<boolean>;
  members(inboxId: number): Promise<string[]>;
}

export interface InboxesOptions {
  config: { inboxes: readonly InboxConfig[] };
  store: Store;
  directory: MemberDirectory;
}

export const addressesOf = (c: Pick<InboxConfig, 'address' | 'aliases'>): string[] => [c.address, ...c.aliases].map((a) => a.toLowerCase());

export function createInboxes({ config, store, directory }: InboxesOptions): Inboxes {
  const rows = store.inboxes.sync(config.inboxes.map((c) => ({ key: c.key, name: c.name, channelId: c.channel, address: c.address })));
  const all: ConfiguredInbox[] = config.inboxes.map((c, i) => ({
    inbox: rows[i]!,
    config: c,
    addresses: addressesOf(c),
    members: { channelId: c.channel, members: c.members, usergroup: c.usergroup },
  }));
  const byId = new Map(all.map((i) => [i.inbox.id, i]));
  const byChannel = new Map(all.map((i) => [i.inbox.channelId, i]));
  const ourAddresses = new Set(all.flatMap((i) => i.addresses));
  const rule = (inboxId: number) => byId.get(inboxId)?.members;
  return {
    all,
    byId: (id) => byId.get(id),
    byChannel: (channelId) => (channelId ? byChannel.get(channelId) : undefined),
    channels: new Set(byChannel.keys()),
    ourAddresses,
    ourDomains: [...new Set([...ourAddresses].map((a) => a.split('@')[1]!))],
    async isMember(inboxId, userId) {
      const r = rule(inboxId);
      return r ? directory.isMember(r, userId) : false;
    },
    async members(inboxId) {
      const r = rule(inboxId);
      return r ? directory.members(r) : [];
    },
  };
}
