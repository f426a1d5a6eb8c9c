// How the Slack side stands, for /healthz and /readyz: in Socket Mode whether the socket is open,
// in HTTP mode whether auth.test has answered; and when Slack last sent us anything.
import type { SlackState } from '../../ops/health.ts';

export function createSlackConnection({ socketMode, identityKnown }: { socketMode: boolean; identityKnown: () => boolean }) {
  let socketOpen = false;
  let lastEventAt: number | null = null;
  return {
    state: (): SlackState => ({ mode: socketMode ? 'socket' : 'http', connected: socketMode ? socketOpen : identityKnown(), lastEventAt }),
    socket(open: boolean): void {
      socketOpen = open;
    },
    eventSeen(at = Date.now()): void {
      lastEventAt = at;
    },
  };
}
export type SlackConnection = ReturnType<typeof createSlackConnection>;
