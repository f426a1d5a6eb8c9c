// Every Slack listener, registered in one place. Each file handles one surface and calls one
// use case; `deps` carries what they need.
import type { Logger } from 'pino';
import type { Store } from '../../store/index.ts';
import type { QueueReplyDeps } from '../../usecases/queue-reply.ts';
import type { BoltApp } from '../bolt-app.ts';
import { registerThreadMessages } from './events/thread-messages.ts';

export interface ListenerDeps {
  store: Store;
  logger: Logger;
  /** Inbox channels: messages elsewhere are none of our business. */
  channels: Set<string>;
  replies: QueueReplyDeps;
  kickOutbox: () => void;
}

export function registerListeners(app: BoltApp, deps: ListenerDeps): void {
  registerThreadMessages(app, deps);
}
