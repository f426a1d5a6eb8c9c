// Every Slack listener, registered in one place. Each file handles one surface and calls one
// use case; `deps` carries what they need.
import type { Logger } from 'pino';
import type { Store } from '../../store/index.ts';
import type { BoltApp } from '../bolt-app.ts';

export interface ListenerDeps {
  store: Store;
  logger: Logger;
}

export function registerListeners(_app: BoltApp, _deps: ListenerDeps): void {
  // Listeners arrive with the outbound and commands work.
}
