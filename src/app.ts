// The composition root: builds every part from the configuration, in dependency order, and wires
// them together. `main` (and every integration test) calls buildApp, then start() and stop().
// Logic lives in the parts; here are only their constructions.
export type { AppOverrides, RunningApp } from './app-options.ts';
import { ConfigError } from './config/config-error.ts';
import type { Config } from './config/load.ts';
import { describeError } from './errors.ts';
import { createLogger, defaultLogFormat } from './logger.ts';
import { createWithRaw } from './mail/inbound/fetch-original.ts';
import { createImapWatcher } from './mail/inbound/imap-watcher.ts';
import { createLoginLimiter } from './mail/inbound/login-limiter.ts';
import { createInboxMail } from './mail/outbound/inbox-mail.ts';
import type { ParseEmail } from './mail/types.ts';
import type { RawEmail } from './mail/raw.ts';
import { given, type AppOverrides, type RunningApp } from './app-options.ts';
import { noTelemetry } from './core/telemetry.ts';
import { createHealth } from './ops/health.ts';
import { startOpsServer } from './ops/http.ts';
import { createWriterLease } from './usecases/writer-lease.ts';
import { createMetrics } from './ops/metrics.ts';
import { createSlackConnection } from './slack/inbound/connection.ts';
import { createBoltApp, startBolt } from './slack/inbound/bolt-app.ts';
import { registerListeners, type ListenerDeps } from './slack/inbound/listeners/register-listeners.ts';
import { sendAssignmentDm } from './slack/outbound/direct-messages.ts';
import { createDirectory } from './slack/outbound/directory.ts';
import { createEmailPoster } from './slack/outbound/email-poster.ts';
import { createSlackFeedback } from './slack/outbound/feedback.ts';
import { downloadFile } from './slack/outbound/files.ts';
import { createIdentity } from './slack/outbound/identity.ts';
import { createPostQueue } from './slack/outbound/post-queue.ts';
import { createThreadReader } from './slack/outbound/thread-reader.ts';
import { createTimerPosts } from './slack/outbound/timer-posts.ts';
import { createWebClient } from './slack/outbound/web.ts';
import { backupDb } from './store/backup.ts';
import { closeDb, createStore, LeaseLost, openDb } from './store/index.ts';
import { isBusy } from './store/busy.ts';
import { createAutoAssigner } from './usecases/auto-assign.ts';
import { createReplyCatchUp } from './usecases/catch-up-replies.ts';
import { createCollisionTracker } from './usecases/collision.ts';
import { createDailyBackups } from './usecases/daily-backups.ts';
import { createForwardBuilder } from './usecases/forward-conversation.ts';
import { createInboxes } from './usecases/inboxes.ts';
import { receiveThreadReply, type ThreadReplyDeps } from './usecases/queue-reply.ts';
import { createEmailReceiver } from './usecases/receive-email.ts';
import { createOutboxWorker } from './usecases/send-outbox.ts';
import { createSignIns } from './usecases/sign-ins.ts';
import { createSignInNotes } from './usecases/sign-in-notes.ts';
import { createMailboxReports } from './usecases/mailbox-notes.ts';
import { createTimekeeper } from './usecases/time-keeping.ts';
import { createTimeScheduler } from './usecases/timer-firing.ts';
import { ticketView } from './usecases/tickets.ts';

export function buildApp(config: Config, overrides: AppOverrides = {}) {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, format: config.logFormat ?? defaultLogFormat() });
  const part = (name: string, extra: Record<string, string> = {}) => logger.child({ part: name, ...extra });
  // The parser (mailparser, html-to-text…) loads with the first email, not at start.
  const parse: ParseEmail = overrides.parse ?? (async (raw) => (await import('./mail/parse/index.ts')).parseEmail(raw));
  const db = openDb(config.databasePath);
  const store = createStore(db, { secretKey: config.secretKey });
  const keyProblem = store.oauthTokens.keyProblem();
  if (keyProblem) {
    closeDb(db);
    throw new ConfigError([keyProblem]);
  }

  // Slack, outward; the inboxes and how each signs in to its mailbox.
  const web = createWebClient({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger: part('slack') });
  const identity = createIdentity({ web, logger: part('slack') });
  const teamUrl = () => identity.get()?.url ?? null;
  // One writer per database: a second process stands by; every post, send and IMAP mark is fenced.
  const lease = createWriterLease({ store, logger: part('lease') });
  const queue = createPostQueue({ postsPerSecond: config.postsPerSecond, burst: config.postsBurst, beforePost: store.fence, logger: part('post-queue'), ...given('retryDelayMs', overrides.slackRetryDelayMs) });
  const directory = createDirectory({ web, logger: part('directory') });
  const inboxes = createInboxes({ config, store, directory });
  const timekeeper = createTimekeeper({ store, settings: (id) => inboxes.byId(id)?.config });
  const metrics = config.metrics ? createMetrics({ inboxes, outboxDepth: () => store.outbox.depth(), queueDepth: (channel) => queue.depth(channel) }) : null;
  const telemetry = metrics ?? noTelemetry;
  queue.onRateLimited(() => telemetry.slackRateLimited());
  const { tokens, imapOf } = createSignIns({ inboxes, store, telemetry, logger });
  const withRaw = createWithRaw({ spooled: (id) => store.messages.spool.get(id)?.raw, located: (id) => store.mailLocations.of(id), imapOf, logger });

  // Email → Slack: the poster, automatic assignment, the intake, one IMAP watcher per inbox.
  const feedback = createSlackFeedback({ web, queue });
  const collision = createCollisionTracker({ pendingReplies: (now) => store.pendingReplies.inUndoWindow(now) });
  const openAttachment = async (raw: RawEmail, index: number) => (await import('./mail/parse/index.ts')).openAttachment(raw, index);
  const poster = createEmailPoster({ store, withRaw, openAttachment, web, queue, parse, telemetry, logger: part('poster'), teamUrl, replying: (id) => collision.replying(id), ticketOf: (id) => ticketView(store, id), clockOf: (id) => timekeeper.view(id) });
  const refreshParent = (id: number) => poster.refreshParent(id);
  collision.onChange(refreshParent);
  const postNote: ListenerDeps['postNote'] = (c, note) => void feedback.note(c, note);
  const autoAssigner = createAutoAssigner({
    store, postNote, teamUrl, logger: part('auto-assign'), rules: new Map(inboxes.all.map((i) => [i.inbox.id, i.config.assign])),
    members: (inboxId) => inboxes.members(inboxId), isPerson: (userId) => directory.isPerson(userId), dm: (userId, vm) => sendAssignmentDm(web, userId, vm),
    afterPosts: (channel, key, job, priority) => queue.enqueue(channel, { key, run: () => job() }, priority),
  });
  const receiver = createEmailReceiver({ store, parse, inboxes, autoAssigner, timekeeper, posting: poster, feedback, telemetry, logger: part('ingest') });
  const reportsOf = createMailboxReports({ store, feedback });
  const imapTimings = { ...given('pollIntervalMs', overrides.imapPollIntervalMs), ...given('backoffMs', overrides.imapBackoffMs), ...given('signInRetryMs', overrides.signInRetryMs), ...given('healthyAfterMs', overrides.imapHealthyAfterMs), ...given('failingNoteAfterMs', overrides.imapFailingNoteMs) };
  // Many inboxes log in a few at a time, not all in the same second (login-limiter.ts).
  const loginLimiter = createLoginLimiter();
  const watchers = inboxes.all.map((i) =>
    createImapWatcher({
      imap: { ...imapOf(i.inbox.id)!, mailbox: i.config.imap.mailbox },
      backfillDays: i.config.backfillDays,
      idleCheckMs: i.config.imap.idleCheckSeconds * 1000,
      ...reportsOf(i),
      logger: part('imap', { inbox: i.inbox.key }),
      state: { get: () => store.imapSync.get(i.inbox.id, i.config.imap.mailbox), reset: (s) => store.imapSync.reset(i.inbox.id, i.config.imap.mailbox, s) },
      deliver: (m) => receiver.deliver(i, m),
      skip: (m, err) => receiver.skip(i, m, err),
      // A locked database, or a lease lost while paused: nothing wrong with the email.
      isTransient: (err) => isBusy(err) || err instanceof LeaseLost,
      loginLimiter,
      onReconnect: () => telemetry.imapReconnect(i.inbox.id),
      ...imapTimings,
    }),
  );

  // Slack → email: each inbox's mail side, the outbox worker, and what a sign-in change says.
  const mails = new Map(inboxes.all.map((i) => [i.inbox.id, createInboxMail({ config: i.config, imap: imapOf(i.inbox.id)!, tokens: tokens.get(i.inbox.id) ?? null, smtpTls: overrides.smtpTls, logger })]));
  const outbox = createOutboxWorker({
    store, inboxes, mail: (id) => mails.get(id), feedback: { ...feedback, refreshParent }, logger: part('outbox'),
    builders: { forward: createForwardBuilder({ withRaw }) },
    displayName: (id) => directory.displayName(id), namesIn: (text) => directory.namesIn(text),
    download: (ref) => downloadFile(ref, config.slack.botToken, part('files')),
    maxPerRecipientPerHour: config.maxEmailsPerRecipientPerHour, telemetry, timekeeper,
    ...given('retryDelaysMs', overrides.outboxRetryDelaysMs), ...given('signInRetryMs', overrides.signInRetryMs),
  });
  // Every due time (SLA, snoozes, auto-close, reminders, scheduled sends): one timer loop over the store.
  const timerPosts = createTimerPosts({ web, queue, store, refreshParent });
  const scheduler = createTimeScheduler({ store, timekeeper, slack: timerPosts, kickOutbox: () => outbox.kick(), teamUrl, logger: part('scheduler'), telemetry, ...given('clock', overrides.schedulerClock), ...given('paceMs', overrides.schedulerPaceMs) });
  const signInChanged = createSignInNotes({ feedback, signedIn: (id) => outbox.signedIn(id) });
  for (const [id, t] of tokens) t.onStatus((status, previous) => signInChanged(inboxes.byId(id)!, status, previous));

  // Slack, inward: the Bolt app and its listeners; replies typed while stopped are read back.
  const kickOutbox = () => void (outbox.kick(), collision.syncPending());
  const replies: ThreadReplyDeps = { store, feedback, kickOutbox, isMember: (inboxId, userId) => inboxes.isMember(inboxId, userId), sendDelayMs: config.sendDelaySeconds * 1000, logger: part('replies') };
  let serving = false;
  const connection = createSlackConnection({ socketMode: !!config.slack.appToken, identityKnown: () => !!identity.get() });
  const health = createHealth({ inboxes, watchers, signIns: tokens, slack: connection.state, outboxDepth: (id) => store.outbox.depth(id), queueDepth: (channel) => queue.depth(channel), serving: () => serving, role: lease.role });
  const ops = { health, metrics: metrics ? () => metrics.render() : null };
  const bolt = createBoltApp({ config, identity, connection, ops, logger: part('bolt'), ...given('processBeforeResponse', overrides.processBeforeResponse) });
  bolt.error(async (err) => logger.error({ err: describeError(err) }, 'unhandled error in a Slack listener'));
  registerListeners(bolt, { store, parse, withRaw, config, inboxes, directory, replies, kickOutbox, refreshParent, postNote, teamUrl, collision, timekeeper, scheduledSettled: timerPosts.scheduledSettled, logger, postParent: (id) => poster.postParent(id) });
  const catchUp = createReplyCatchUp({ store, threads: createThreadReader({ web }), handle: (m) => receiveThreadReply(replies, m, { quiet: true }), logger: part('catch-up'), ...given('pauseMs', overrides.catchUpPauseMs) });
  const backups = config.backup.dir
    ? createDailyBackups({ dir: config.backup.dir, keep: config.backup.keep, backup: (file) => backupDb(db, file), logger: part('backup'), ...given('firstDelayMs', overrides.backupFirstDelayMs) })
    : null;

  let listening: Awaited<ReturnType<typeof startBolt>> | null = null;
  const leaseLost = new Promise<void>((resolve) => lease.onLost(resolve));
  return {
    store,
    logger,
    async start(): Promise<RunningApp> {
      // A standby answers /healthz (role standby) and /readyz (503) while it waits.
      const token = await lease.acquire({ whileStandby: () => startOpsServer({ ...ops, host: config.slack.host, port: config.slack.port }) });
      if (!token) return { port: null };
      identity.learn();
      const resumed = poster.resumeUnposted();
      if (resumed) logger.info({ count: resumed }, 'resuming emails not yet in Slack');
      const { port } = (listening = await startBolt({ bolt, config, ops, logger: part('bolt') }));
      for (const w of watchers) w.start();
      // Replies left waiting when the app stopped may have been deleted in Slack since.
      await catchUp.beforeSending();
      await outbox.start();
      await scheduler.start();
      catchUp.start();
      backups?.start();
      serving = true;
      logger.info({ inboxes: config.inboxes.map((i) => i.key), mode: config.slack.appToken ? 'socket' : 'http', port }, 'Mailroom started');
      // The parser and nodemailer load lazily (a fast start); load them now, before mail arrives.
      setImmediate(() => void Promise.all([import('./mail/parse/index.ts'), import('nodemailer')]).catch(() => undefined));
      return { port };
    },
    async stop(): Promise<void> {
      serving = false;
      await backups?.stop();
      await catchUp.stop();
      identity.stop();
      collision.stop();
      await Promise.all(watchers.map((w) => w.stop()));
      await scheduler.stop();
      await outbox.stop();
      await queue.stop();
      for (const m of mails.values()) m.sender.close();
      for (const t of tokens.values()) t.stop();
      await lease.release();
      await listening?.close();
      closeDb(db);
      logger.info('Mailroom stopped');
    },
    /** Tests and benchmarks: wait until every queued Slack post is done. */
    drained: () => queue.drained(),
    /** Resolves if this process loses the writer lease (paused past its expiry): it must stop. */
    leaseLost,
    outbox,
    scheduler,
  };
}
export type MailroomApp = ReturnType<typeof buildApp>;
