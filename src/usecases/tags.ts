// Tagging a conversation (the ⋯ menu's tag picker, the "Tag conversation" shortcut,
// `/mailroom tag #42 billing`, `/mailroom untag #42 billing`, a routing rule): normalised words,
// within the inbox's fixed list when it has one. The parent shows them, the thread says who
// changed what, and the event log keeps it.
import { applyTagChange, MAX_TAGS_PER_CONVERSATION, normaliseTags, outsideVocabulary, vocabularyRefusal } from '../core/tags.ts';
import type { Conversation } from '../core/types.ts';
import { AppError } from '../errors.ts';
import type { Store } from '../store/index.ts';
import { activeConversation, requireMember, type ActionDeps } from './conversation-actions.ts';

export interface TagDeps extends ActionDeps {
  /** The inbox's fixed list of tags, or null when any tag goes. */
  vocabulary: (inboxId: number) => readonly string[] | null;
}

export interface TagChange {
  conversationId: number;
  actorUserId: string;
  /** Words as typed or picked; normalised here. */
  add?: readonly string[];
  remove?: readonly string[];
  /** The picker sends the whole set: what is not in it is removed. */
  set?: readonly string[];
}

export interface TagOutcome {
  conversation: Conversation;
  tags: string[];
  added: string[];
  removed: string[];
}

/** The words as tags of this inbox, or a refusal (`tag.invalid`, `tag.not_allowed`) that names the bad ones. */
export function checkTags(words: readonly string[], o: { allowed: readonly string[] | null; inboxName: string }): string[] {
  const { tags, invalid } = normaliseTags(words);
  if (invalid.length)
    throw new AppError('tag.invalid', `not tags: ${invalid.join(', ')}`, `${invalid.map((w) => `\`${w.replace(/[`<>&*]/g, '').slice(0, 40)}\``).join(', ')} can't be a tag: a tag is letters a-z, digits and -, up to 30 characters.`);
  const outside = outsideVocabulary(tags, o.allowed);
  if (outside.length) throw new AppError('tag.not_allowed', `outside the inbox's tags: ${outside.join(', ')}`, vocabularyRefusal(outside, o.allowed ?? [], o.inboxName));
  return tags;
}

export async function changeTags(deps: TagDeps, input: TagChange): Promise<TagOutcome> {
  const c = activeConversation(deps.store, input.conversationId);
  const inbox = await requireMember(deps, c, input.actorUserId, 'tag');
  const allowed = deps.vocabulary(c.inboxId);
  const check = (words: readonly string[] | undefined) => checkTags(words ?? [], { allowed, inboxName: inbox.name });
  const current = deps.store.tags.of(c.id);
  // Only new tags are checked: one from before the list was set can stay, and can always go.
  const wanted = input.set ? normaliseTags(input.set).tags : null;
  const remove = wanted ? current.filter((t) => !wanted.includes(t)) : normaliseTags(input.remove ?? []).tags;
  const add = check(wanted ? (input.set ?? []).filter((w) => !current.includes(normaliseTags([w]).tags[0] ?? '')) : input.add);
  const outcome = recordTagChange(deps.store, c, { add, remove, by: input.actorUserId });
  if (outcome.added.length || outcome.removed.length) {
    deps.logger.info({ conversation: c.id, added: outcome.added, removed: outcome.removed, by: input.actorUserId }, 'conversation tags changed');
    deps.refreshParent(c.id);
    deps.postNote(c, { kind: 'tagged', added: outcome.added, removed: outcome.removed, byUserId: input.actorUserId });
  }
  return { conversation: c, ...outcome };
}

/**
 * Stores a change already checked, with its event, in one transaction (also what a routing rule
 * calls inside ingestion's). `by`: a Slack user id, or `rule:<n>`.
 */
export function recordTagChange(store: Store, c: Conversation, o: { add: readonly string[]; remove: readonly string[]; by: string; rule?: string }) {
  return store.transaction(() => {
    const change = applyTagChange(store.tags.of(c.id), o.add, o.remove);
    if (change.tags.length > MAX_TAGS_PER_CONVERSATION)
      throw new AppError('tag.too_many', `${change.tags.length} tags`, `A conversation can have at most ${MAX_TAGS_PER_CONVERSATION} tags.`);
    if (!change.added.length && !change.removed.length) return change;
    store.tags.remove(c.id, change.removed);
    store.tags.add(c.id, change.added, o.by);
    const actor = o.by.startsWith('rule:') ? null : o.by;
    store.events.record({ type: 'conversation.tagged', inboxId: c.inboxId, conversationId: c.id, actorUserId: actor, data: { added: change.added, removed: change.removed, ...(o.rule ? { rule: o.rule } : {}) } });
    return change;
  });
}
