// Doctor's Slack checks: the bot token, its scopes, each inbox channel, and the connection mode.
import { describeError } from '../errors.ts';
import type { InboxConfig } from '../config/load.ts';
import { BOT_SCOPES } from '../slack/ui/manifest.ts';
import { createWebClient, slackErrorCode } from '../slack/outbound/web.ts';
import { CheckTimeout, fail, pass, warn, withTimeout, type CheckContext, type DoctorCheck } from './checks.ts';

/** Bot scopes the app uses: the manifest's own list (src/slack/ui/manifest.ts). */
export const REQUIRED_BOT_SCOPES = BOT_SCOPES;

export function missingScopes(granted: readonly string[], required: readonly string[] = REQUIRED_BOT_SCOPES): string[] {
  const have = new Set(granted.map((s) => s.trim()));
  return required.filter((s) => !have.has(s));
}

export async function checkSlack(ctx: CheckContext): Promise<{ global: DoctorCheck[]; channels: DoctorCheck[][] }> {
  const { config, timeoutMs } = ctx;
  // The client's own limit comes a little later than the check's, so ours is the one reported.
  const web = createWebClient({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger: ctx.logger, timeoutMs: timeoutMs + 1000 });
  const modeCheck = checkSlackMode(ctx);
  const name = 'Slack auth.test';
  let auth: Awaited<ReturnType<typeof web.auth.test>>;
  try {
    auth = await withTimeout(web.auth.test(), timeoutMs);
  } catch (err) {
    return { global: [fail(name, slackFailure(err, 'SLACK_BOT_TOKEN', config.slack.apiUrl)), await modeCheck], channels: [] };
  }
  const global = [pass(name, `token valid: bot @${auth.user ?? '?'} (${auth.user_id ?? '?'}) in team ${auth.team ?? '?'} (${auth.team_id ?? '?'})`)];
  global.push(scopesCheck(auth.response_metadata?.scopes), await modeCheck);
  const bot = `@${auth.user ?? 'Mailroom'}`;
  const channels = await Promise.all(config.inboxes.map(async (inbox, i) => [await checkChannel(ctx, web, inbox, i, bot)]));
  return { global, channels };
}

function scopesCheck(granted: string[] | undefined): DoctorCheck {
  const name = 'Slack scopes';
  if (!granted) return warn(name, 'Slack did not say which scopes the token has (no X-OAuth-Scopes header), so they were not checked');
  const missing = missingScopes(granted);
  if (!missing.length) return pass(name, `all ${REQUIRED_BOT_SCOPES.length} bot scopes the app needs are granted`);
  return fail(
    name,
    `missing ${missing.length} bot scope${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}. Add ${missing.length === 1 ? 'it' : 'them'} ` +
      'under OAuth & Permissions → Bot Token Scopes (or paste the manifest `npx mailroom manifest` prints under App Manifest), then reinstall the app to the workspace',
  );
}

async function checkChannel(ctx: CheckContext, web: ReturnType<typeof createWebClient>, inbox: InboxConfig, i: number, bot: string): Promise<DoctorCheck> {
  const name = `Slack channel ${inbox.channel} (${inbox.name})`;
  try {
    const info = await withTimeout(web.conversations.info({ channel: inbox.channel }), ctx.timeoutMs);
    const channel = info.channel;
    const label = `#${channel?.name ?? inbox.channel}`;
    if (channel?.is_archived) return fail(name, `${label} is archived: unarchive it, or set ${ctx.name(i, 'channel')} to another channel`);
    if (!channel?.is_member) return fail(name, `the bot is not in ${label}: invite ${bot} to ${label} (type /invite ${bot} in the channel)`);
    return pass(name, `the bot is a member of ${label}`);
  } catch (err) {
    const code = slackErrorCode(err);
    if (code === 'channel_not_found')
      return fail(
        name,
        `no channel ${inbox.channel} that the bot can see: check ${ctx.name(i, 'channel')} is the channel's ID (channel details, at the bottom); ` +
          `for a private channel, invite ${bot} first`,
      );
    return fail(name, slackFailure(err, 'SLACK_BOT_TOKEN', ctx.config.slack.apiUrl));
  }
}

async function checkSlackMode(ctx: CheckContext): Promise<DoctorCheck> {
  const { slack } = ctx.config;
  if (!slack.appToken) {
    return pass('Slack HTTP mode', `SLACK_SIGNING_SECRET is set; Slack must reach this host's public URL at /slack/events (listening on port ${slack.port})`);
  }
  const name = 'Slack Socket Mode';
  const web = createWebClient({ token: slack.appToken, apiUrl: slack.apiUrl, logger: ctx.logger, timeoutMs: ctx.timeoutMs + 1000 });
  try {
    await withTimeout(web.apps.connections.open(), ctx.timeoutMs);
    return pass(name, 'SLACK_APP_TOKEN valid: apps.connections.open issued a Socket Mode connection URL');
  } catch (err) {
    return fail(name, slackFailure(err, 'SLACK_APP_TOKEN', slack.apiUrl));
  }
}

/** What a failed Slack call means for the person running doctor. */
export function slackFailure(err: unknown, tokenName: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN', apiUrl: string): string {
  const code = slackErrorCode(err);
  const app = tokenName === 'SLACK_APP_TOKEN';
  switch (code) {
    case undefined:
      if (err instanceof CheckTimeout || /aborted due to timeout|ETIMEDOUT|ECONNABORTED/.test(describeError(err)))
        return `${err instanceof CheckTimeout ? err.message : 'no answer in time'} from Slack at ${apiUrl}: check the network, proxy or SLACK_API_URL`;
      return `could not reach Slack at ${apiUrl} (${networkReason(err)}): check the network, proxy or SLACK_API_URL`;
    case 'invalid_auth':
    case 'not_authed':
      return app
        ? `${tokenName} was refused (${code}): create an app-level token with the connections:write scope (Basic Information → App-Level Tokens) and set it`
        : `${tokenName} was refused (${code}): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions`;
    case 'token_revoked':
    case 'account_inactive':
    case 'token_expired':
      return `${tokenName} no longer works (${code}): the app was uninstalled or the token revoked; reinstall the app and set the new token`;
    case 'not_allowed_token_type':
      return `${tokenName} is the wrong kind of token (${code}): it must be ${app ? 'an app-level token (xapp-…)' : 'the bot token (xoxb-…)'}`;
    case 'missing_scope': {
      const needed = (err as { data?: { needed?: unknown } }).data?.needed;
      return `${tokenName} lacks a scope (${code}${typeof needed === 'string' ? `: needs ${needed}` : ''}): ${app ? 'give the app-level token connections:write' : 'add it under OAuth & Permissions and reinstall the app'}`;
    }
    default:
      return `Slack answered ${code}${app ? ': check that Socket Mode is turned on in the app settings (Settings → Socket Mode)' : ''}`;
  }
}

/** The network error under @slack/web-api's "A request error occurred: fetch failed". */
function networkReason(err: unknown): string {
  const cause = (err as { original?: { cause?: { code?: unknown; message?: unknown } } } | null)?.original?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return describeError(err);
}
