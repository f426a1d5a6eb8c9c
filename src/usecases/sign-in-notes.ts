// What the team hears about an inbox's OAuth2 sign-in: one line in its channel when the provider
// refuses it for good (which mailbox, why, what to do), one when it works again, and then the
// replies that waited for it go at once.
import type { SignInState, SignInStatus } from '../mail/auth/token-source.ts';
import type { SignInLineVM } from '../slack/ui/blocks/sign-in-line.ts';
import type { ConfiguredInbox } from './inboxes.ts';

export interface SignInFeedback {
  signIn(channelId: string, key: string, vm: SignInLineVM): void;
}

export interface SignInNotesOptions {
  feedback: SignInFeedback;
  /** Sends what waited for this inbox's sign-in. */
  signedIn(inboxId: number): void;
}

export function createSignInNotes(o: SignInNotesOptions) {
  let notes = 0;
  return function signInChanged(c: ConfiguredInbox, status: SignInStatus, previous: SignInState): void {
    const { inbox, config } = c;
    const key = `signin:${inbox.id}:${++notes}`;
    if (status.state === 'failed' && status.failure && config.oauth)
      o.feedback.signIn(inbox.channelId, key, { kind: 'refused', inboxName: config.name, address: config.address, reason: status.failure.reason, grant: config.oauth.grant });
    else if (status.state === 'ok' && previous === 'failed') {
      o.feedback.signIn(inbox.channelId, key, { kind: 'restored', inboxName: config.name, address: config.address });
      o.signedIn(inbox.id);
    }
  };
}
