// A Slack message as events and conversations.history / replies carry it: the fields Mailroom
// reads (events add `channel`; edits and deletes carry the message before and after).
export interface SlackMessage {
  type?: string;
  subtype?: string;
  channel?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  files?: unknown[];
  message?: SlackMessage;
  previous_message?: SlackMessage;
  deleted_ts?: string;
}
