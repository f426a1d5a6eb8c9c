// Who may act on which inbox, as the compose, reply, templates and /mailroom listeners ask it.
// Membership itself (channel members, a list, a user group) is the directory's; this only picks
// the inboxes and words the refusal.
import type { InboxRuntime, ListenerDeps } from './register-listeners.ts';

type AccessDeps = Pick<ListenerDeps, 'inboxes'>;

export function inboxById(deps: Pick<ListenerDeps, 'inboxes'>, inboxId: number): InboxRuntime | undefined {
  return deps.inboxes.byId(inboxId);
}

/** The inbox whose channel this is, if any. */
export function inboxOfChannel(deps: Pick<ListenerDeps, 'inboxes'>, channelId: string | null | undefined): InboxRuntime | undefined {
  return deps.inboxes.byChannel(channelId);
}

export function isInboxMember(deps: AccessDeps, inboxId: number, userId: string): Promise<boolean> {
  return deps.inboxes.isMember(inboxId, userId);
}

/** Every inbox the user is a member of, in configuration order. */
export async function memberInboxes(deps: AccessDeps, userId: string): Promise<InboxRuntime[]> {
  const checks = await Promise.all(deps.inboxes.all.map((i) => deps.inboxes.isMember(i.inbox.id, userId)));
  return deps.inboxes.all.filter((_, n) => checks[n]);
}

/** Every address of every inbox: never a recipient. */
export function allOurAddresses(deps: Pick<ListenerDeps, 'inboxes'>): string[] {
  return [...deps.inboxes.ourAddresses];
}

/** The private explanation for someone who is not a member of an inbox. */
export function notMemberText(inboxName: string, what: string): string {
  return `Only members of the *${inboxName}* inbox can ${what}. Ask a member, or an admin to add you to the inbox.`;
}

export const NO_INBOX_TEXT =
  'You are not a member of any inbox, so there is nothing here for you yet. Ask an admin to add you to an inbox channel.';

/** What the stats need for response targets: whether any inbox has them, and each clock as it stands. */
export function statsSla(deps: Pick<ListenerDeps, 'inboxes' | 'timekeeper'>) {
  return { enabled: deps.inboxes.all.some((i) => i.config.sla !== null), view: (id: number, now: number) => deps.timekeeper.view(id, now) };
}
