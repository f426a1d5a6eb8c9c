// The manifests are the whole Slack-side set-up: every shortcut they declare must reach a
// listener (callback ids from ids.ts), and every command the app listens for must be declared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { MailroomApp } from '../../../src/app.ts';
import { Shortcuts } from '../../../src/slack/ui/ids.ts';
import { CHANNEL, MEMBER, startRig, type Rig } from '../../helpers/mailroom.ts';
import { DEFAULT_IDENTITY } from '../../support/fake-slack-state.ts';
import { triggerId } from '../../support/slack-requests.ts';
import { waitFor } from '../../support/wait.ts';
import { interact, postedConversation, shortcutOn } from './actions-rig.ts';

interface Manifest {
  features: { slash_commands: { command: string }[]; shortcuts: { callback_id: string; type: 'message' | 'global' }[] };
}
const manifests = ['http.yaml', 'socket-mode.yaml'].map((f) => ({ file: f, m: parse(readFileSync(join(import.meta.dirname, '../../../manifests', f), 'utf8')) as Manifest }));

describe('manifests', () => {
  it('declare only shortcut ids the app defines, the same in both, and the commands it listens for', () => {
    const ids = Object.values(Shortcuts) as string[];
    for (const { file, m } of manifests) {
      for (const s of m.features.shortcuts) expect(ids, `${file}: ${s.callback_id}`).toContain(s.callback_id);
      expect(m.features.slash_commands.map((c) => c.command).sort()).toEqual(['/assign', '/close', '/compose', '/mailroom']);
    }
    expect(manifests[0]!.m.features.shortcuts).toEqual(manifests[1]!.m.features.shortcuts);
  });
});

describe('every declared shortcut has a listener', () => {
  let rig: Rig;
  let app: MailroomApp;
  let port: number;
  beforeAll(async () => {
    rig = await startRig();
    app = rig.build();
    port = (await app.start()).port!;
    await waitFor(() => app.store.imapSync.get(1, 'INBOX'), { timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await app?.stop();
    await rig?.close();
  });

  it('answers each one with a modal or a private message', async () => {
    const c = await postedConversation(rig, app);
    for (const s of manifests[0]!.m.features.shortcuts) {
      rig.slack.clearCalls();
      const payload =
        s.type === 'message'
          ? shortcutOn({ callbackId: s.callback_id, user: MEMBER, ts: c.emailTs, threadTs: c.parentTs })
          : { type: 'shortcut', callback_id: s.callback_id, trigger_id: triggerId(), user: { id: MEMBER, username: 'ana', team_id: DEFAULT_IDENTITY.teamId }, team: { id: DEFAULT_IDENTITY.teamId, domain: DEFAULT_IDENTITY.teamDomain }, token: 't', action_ts: '1.2' };
      const res = await interact(port, payload);
      expect(res.status, s.callback_id).toBe(200);
      await waitFor(() => rig.slack.calls().find((call) => ['views.open', 'chat.postEphemeral'].includes(call.method) && call.status === 200), {
        timeoutMs: 3000,
        description: `an answer to the ${s.callback_id} shortcut`,
      });
    }
    expect(rig.slack.calls('chat.postEphemeral').filter((e) => e.args.channel === CHANNEL && /went wrong/.test(String(e.args.text)))).toEqual([]);
  });
});
