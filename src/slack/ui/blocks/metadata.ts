// Message metadata tags every message Mailroom posts, so that after a crash between posting and
// recording, start-up can find the post (conversations.history / replies) and adopt it instead of
// posting again. Payload values are plain ids: nothing from an email goes in here.
import type { MessageMetadata } from '@slack/types';
import { MetadataEvents } from '../ids.ts';

/** `installId` tells this install's posts from another's (ids restart at 1 in every database). */
export function conversationMetadata(p: { conversationId: number; inboxId: number; installId: string }): MessageMetadata {
  return {
    event_type: MetadataEvents.conversation,
    event_payload: { conversation_id: p.conversationId, inbox_id: p.inboxId, install_id: p.installId },
  };
}

/** `messageRowId` is the store's id of the email (messages.id). */
export function emailMetadata(p: { conversationId: number; messageRowId: number; installId: string }): MessageMetadata {
  return {
    event_type: MetadataEvents.email,
    event_payload: { conversation_id: p.conversationId, message_id: p.messageRowId, install_id: p.installId },
  };
}

/** `eventId` is the event-log row the note shows, when there is one. */
export function noteMetadata(p: { conversationId: number; eventId?: number }): MessageMetadata {
  return {
    event_type: MetadataEvents.note,
    event_payload: { conversation_id: p.conversationId, ...(p.eventId !== undefined ? { event_id: p.eventId } : {}) },
  };
}

export interface ReadMetadata {
  eventType: (typeof MetadataEvents)[keyof typeof MetadataEvents];
  conversationId: number;
  inboxId?: number;
  messageRowId?: number;
  eventId?: number;
  installId?: string;
}

/** Reads our metadata back from a message (history payloads); null for anything else. */
export function readMetadata(metadata: unknown): ReadMetadata | null {
  if (!metadata || typeof metadata !== 'object') return null;
  const { event_type: type, event_payload: payload } = metadata as { event_type?: unknown; event_payload?: unknown };
  const known = Object.values(MetadataEvents).find((t) => t === type);
  if (!known || !payload || typeof payload !== 'object') return null;
  const p = payload as Record<string, unknown>;
  const conversationId = num(p.conversation_id);
  if (conversationId === undefined) return null;
  const out: ReadMetadata = { eventType: known, conversationId };
  const inboxId = num(p.inbox_id);
  const messageRowId = num(p.message_id);
  const eventId = num(p.event_id);
  if (inboxId !== undefined) out.inboxId = inboxId;
  if (messageRowId !== undefined) out.messageRowId = messageRowId;
  if (eventId !== undefined) out.eventId = eventId;
  if (typeof p.install_id === 'string') out.installId = p.install_id;
  return out;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}
