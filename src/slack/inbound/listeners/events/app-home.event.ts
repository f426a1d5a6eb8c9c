// The App Home tab: the user's open conversations and the team's figures, published when the
// tab opens and again on Refresh or a change of period.
import type { WebClient } from '@slack/web-api';
import { DEFAULT_WINDOW } from '../../../../core/stats.ts';
import { describeError } from '../../../../errors.ts';
import { myConversations } from '../../../../usecases/my-conversations.ts';
import { statsReport } from '../../../../usecases/stats-report.ts';
import type { BoltApp } from '../../bolt-app.ts';
import { Actions } from '../../../ui/ids.ts';
import { appHome } from '../../../ui/views/app-home.view.ts';
import type { ListenerDeps } from '../register-listeners.ts';
import { statsSla } from '../inbox-access.ts';

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The home view of one user for one period (`7d`…); an unreadable period falls back to the default. */
export function homeView(deps: ListenerDeps, userId: string, window: string | null | undefined) {
  const sla = statsSla(deps);
  const asked = statsReport(deps.store, { window, sla });
  const r = asked.ok ? asked : statsReport(deps.store, { sla });
  const mine = myConversations(deps, userId);
  if (!r.ok) return appHome({ mine, stats: null, window: { value: DEFAULT_WINDOW, label: 'Last 7 days' } });
  return appHome({ mine, stats: r.report, window: { value: r.window, label: capitalised(r.label) } });
}

export function registerAppHome(app: BoltApp, deps: ListenerDeps): void {
  const log = deps.logger.child({ part: 'listeners/app-home' });

  async function publish(client: WebClient, userId: string, window: string | null | undefined): Promise<void> {
    try {
      await client.views.publish({ user_id: userId, view: homeView(deps, userId, window) });
    } catch (err) {
      log.warn({ err: describeError(err) }, 'could not publish the App Home');
    }
  }

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publish(client, event.user, DEFAULT_WINDOW);
  });

  app.action(Actions.homeRefresh, async ({ ack, body, action, client }) => {
    await ack();
    await publish(client, body.user.id, (action as { value?: string }).value);
  });

  app.action(Actions.homeStatsWindow, async ({ ack, body, action, client }) => {
    await ack();
    await publish(client, body.user.id, (action as { selected_option?: { value?: string } }).selected_option?.value);
  });

  // The Open buttons are links; Slack still sends the click, which must be acknowledged.
  app.action(Actions.homeOpenConversation, async ({ ack }) => {
    await ack();
  });
}
