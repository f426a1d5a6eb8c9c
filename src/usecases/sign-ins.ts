// How each inbox signs in to its mailbox: a password (nothing to keep) or OAuth2, whose token
// source refreshes access tokens and keeps the rotated refresh token in the store. `imapOf` gives
// an inbox's IMAP settings with its token source, for the watcher, the sender's Sent copy and the
// original-email fetch alike.
import type { Logger } from 'pino';
import type { Telemetry } from '../core/telemetry.ts';
import { createTokenSource, type TokenSource } from '../mail/auth/token-source.ts';
import type { Store } from '../store/index.ts';
import { configuredHash } from '../store/oauth-tokens.ts';
import type { Inboxes } from './inboxes.ts';

export function createSignIns(o: { inboxes: Inboxes; store: Store; telemetry: Telemetry; logger: Logger }) {
  const tokens = new Map<number, TokenSource>();
  for (const { inbox, config: c } of o.inboxes.all) {
    if (!c.oauth) continue;
    const onRefresh = (ok: boolean) => o.telemetry.tokenRefresh(inbox.id, ok);
    const logger = o.logger.child({ part: 'sign-in', inbox: c.key });
    tokens.set(inbox.id, createTokenSource({ inboxKey: c.key, oauth: c.oauth, user: c.imap.user, store: o.store.oauthTokens, configuredHash, onRefresh, logger }));
  }
  const imapOf = (inboxId: number) => {
    const c = o.inboxes.byId(inboxId)?.config;
    const t = tokens.get(inboxId);
    return c && { ...c.imap, ...(t ? { tokens: t } : {}) };
  };
  return { tokens, imapOf };
}
