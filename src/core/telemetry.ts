// What the parts count and time, for /metrics (ops/metrics.ts turns it into Prometheus series).
// Inboxes are named by their store id; the metrics side knows their keys.

export interface Telemetry {
  /** An email the watcher fetched, by what ingestion made of it ('stored', 'duplicate', 'own', 'ignored'). */
  emailReceived(inboxId: number, kind: string, outcome: string): void;
  /** An email that could not be stored and was skipped. */
  emailSkipped(inboxId: number): void;
  /** An email is in its Slack thread, `seconds` after it was stored. */
  emailPosted(inboxId: number, seconds: number): void;
  /** An email a teammate wrote was accepted by the SMTP server, `seconds` after it was due. */
  replySent(inboxId: number, kind: string, seconds: number): void;
  /** Not sent, for good (a permanent refusal, or retries given up). */
  replyFailed(inboxId: number): void;
  /** A temporary failure: it will be tried again. */
  replyRetried(inboxId: number): void;
  /** Slack answered 429 to a post. */
  slackRateLimited(): void;
  /** The inbox's IMAP session ended and a new one is being made. */
  imapReconnect(inboxId: number): void;
  /** An OAuth2 token request, and whether it succeeded. */
  tokenRefresh(inboxId: number, ok: boolean): void;
  /** The scheduler fired a timer (sla-warn, sla-breach, snooze-wake, send…), and whether it was late. */
  timerFired(kind: string, late: boolean): void;
  /** The wall clock jumped (NTP, a suspended machine) by more than the scheduler tolerates. */
  clockJumped(): void;
}

const nothing = () => undefined;

/** Telemetry that records nothing (MAILROOM_METRICS=false, and parts built without it). */
export const noTelemetry: Telemetry = {
  emailReceived: nothing,
  emailSkipped: nothing,
  emailPosted: nothing,
  replySent: nothing,
  replyFailed: nothing,
  replyRetried: nothing,
  slackRateLimited: nothing,
  imapReconnect: nothing,
  tokenRefresh: nothing,
  timerFired: nothing,
  clockJumped: nothing,
};
