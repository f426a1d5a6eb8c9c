// What /healthz says: per inbox, whether its IMAP session is up and how its sign-in stands, and
// whether Slack (auth.test) has been reached. Never a secret.
import type { SignInStatus } from '../mail/auth/token-source.ts';
import type { Inboxes } from './inboxes.ts';

export interface HealthSources {
  inboxes: Inboxes;
  /** Each inbox's watcher, in `inboxes.all` order. */
  watchers: readonly { readonly connected: boolean }[];
  signIns: ReadonlyMap<number, { status(): SignInStatus }>;
  slackKnown: () => boolean;
}

export function createHealth(o: HealthSources) {
  return () => ({
    ok: true,
    detail: {
      imap: Object.fromEntries(o.inboxes.all.map((i, n) => [i.inbox.key, o.watchers[n]!.connected])),
      signIn: Object.fromEntries([...o.signIns].map(([id, t]) => [o.inboxes.byId(id)!.inbox.key, t.status().state])),
      slack: o.slackKnown(),
    },
  });
}
