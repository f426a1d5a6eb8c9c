-- Search (SQLite FTS5): one row per conversation, rowid = the conversation's id, so results come
-- newest first straight from the index. Columns: the subject, the senders (names and addresses
-- of everyone who wrote), the emails' text (the new text of each email in and out) and the
-- internal notes. Kept current by the store (store/search.ts); this fills it from existing mail:
-- subjects, senders, the start of each conversation's first email (the stored snippet) and the
-- text of the replies already sent (the outbox keeps it).
CREATE VIRTUAL TABLE `search_index` USING fts5(subject, senders, body, notes, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `search_index` (rowid, subject, senders, body, notes)
SELECT
  c.id,
  c.subject,
  trim(coalesce(ct.name, '') || ' ' || coalesce(ct.email, '') || ' ' || coalesce((
    SELECT group_concat(w, ' ') FROM (SELECT DISTINCT m.from_name || ' ' || m.from_address AS w FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in')
  ), '')),
  trim(c.snippet || ' ' || coalesce((
    SELECT group_concat(json_extract(o.payload, '$.text'), ' ') FROM outbox o WHERE o.conversation_id = c.id AND o.status = 'sent' AND o.kind IN ('reply', 'compose')
  ), '')),
  ''
FROM conversations c
LEFT JOIN contacts ct ON ct.id = c.contact_id
WHERE c.moved_to_id IS NULL;
