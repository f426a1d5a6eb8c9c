// What OAuth2 token refreshes cost: email → Slack latency with a password, then with OAuth2 tokens
// living 4 s (a refresh every 3.2 s, ahead of expiry, in the background), and for an email
// arriving right after the IMAP session was ended as Exchange ends one at expiry (doveadm kick):
// the reconnect with the fresh token, Dovecot checking it with the provider (RFC 7662), the
// catch-up. The refreshes themselves are timed from the app's log.
import { startBenchRig, type BenchRig, INBOX_ADDRESS } from '../app-rig.ts';
import { createCorpus } from '../mail-corpus.ts';
import type { Row } from '../report.ts';
import type { Section } from '../section.ts';
import { postReader } from '../slack-posts.ts';
import { summarize } from '../stats.ts';
import { sleep, waitFor } from '../../test/support/wait.ts';
import { startFakeOAuth } from '../../test/support/fake-oauth.ts';
import { diffs, measureOne, type Sample } from './email-to-slack.ts';

const SECTION = 'oauth';

async function series(rig: BenchRig, total: number, opts: { kickEvery?: number } = {}): Promise<{ calm: Sample[]; afterKick: Sample[]; reconnectMs: number[] }> {
  const reader = postReader(rig.slack);
  const corpus = createCorpus({ to: INBOX_ADDRESS, seed: 11 });
  const calm: Sample[] = [];
  const afterKick: Sample[] = [];
  const reconnectMs: number[] = [];
  for (let i = 0; i < total; i++) {
    const kick = opts.kickEvery !== undefined && i % opts.kickEvery === opts.kickEvery - 1;
    if (kick) {
      const connectedBefore = rig.logs().filter((e) => e.msg === 'IMAP connected').length;
      const at = Date.now();
      await rig.dovecot.kick(INBOX_ADDRESS);
      const back = await waitFor(() => rig.logs().filter((e) => e.msg === 'IMAP connected')[connectedBefore], { timeoutMs: 15_000 });
      reconnectMs.push(back.time - at);
    }
    const sample = await measureOne(rig, reader, await corpus.newConversation());
    (kick ? afterKick : calm).push(sample);
    await sleep(1500 + Math.floor(Math.random() * 300));
  }
  return { calm, afterKick, reconnectMs };
}

const latency = (samples: Sample[]) => summarize(diffs(samples, (s) => s.appendAt, (s) => s.threadAt));

export const oauth: Section = {
  name: 'oauth',
  title: 'OAuth2: email → Slack with tokens refreshed every 3.2 s and sessions ended as at expiry, against a password',
  async run(ctx) {
    const total = ctx.quick ? 8 : 24;
    const idp = await startFakeOAuth({ lifetimeSeconds: 4 });
    const rig = await startBenchRig({ env: { LOG_LEVEL: 'debug' }, oauth2IntrospectionUrl: idp.introspectionUrl });
    try {
      // The first email pays for lazy loading: not counted.
      await series(rig, 1);
      ctx.log(`  ${total} emails with a password`);
      const password = await series(rig, total);
      await rig.stopApp();
      await rig.startApp({ IMAP_PASSWORD: '', ...idp.env({ OAUTH_REFRESH_TOKEN: idp.issueRefreshToken() }) });
      await series(rig, 1);
      ctx.log(`  ${total} emails with OAuth2, the session ended before every 4th`);
      const withOAuth = await series(rig, total, { kickEvery: 4 });
      const refreshes = rig.logs().filter((e) => e.msg === 'OAuth2 access token obtained');
      const refreshMs = summarize(refreshes.map((e) => Number(e.ms)));
      const a = latency(password.calm);
      const b = latency(withOAuth.calm);
      const k = latency(withOAuth.afterKick);
      const reconnect = summarize(withOAuth.reconnectMs);
      const row = (metric: string, value: number, extra: Partial<Row> = {}): Row => ({ section: SECTION, metric, value, unit: 'ms', ...extra });
      return [
        row('password: email in Slack thread p50', a.p50, { note: `n=${a.count}, new conversations one at a time` }),
        row('password: email in Slack thread p95', a.p95),
        row('OAuth2: email in Slack thread p50', b.p50, { target: { max: a.p50 + 50 }, note: `n=${b.count}; ${refreshes.length} token refreshes during the run (tokens live 4 s)` }),
        row('OAuth2: email in Slack thread p95', b.p95, { target: { max: a.p95 + 100 } }),
        row('OAuth2: token refresh (token endpoint round trip) p50', refreshMs.p50, { note: `n=${refreshMs.count}; the fake provider on loopback: a real one adds its network round trip, off the mail path` }),
        row('OAuth2: session ended → IMAP connected again p50', reconnect.p50, { note: `n=${reconnect.count}; doveadm kick, as Exchange ends a session at expiry; includes Dovecot asking the provider about the token` }),
        row('OAuth2: email right after the session ended p50', k.p50, { note: `n=${k.count}; delivered once the app is connected again` }),
      ];
    } finally {
      await rig.close();
      await idp.stop();
    }
  },
};
