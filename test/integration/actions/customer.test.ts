// ⋯ → Customer through the real receiver: a modal (private by nature) with the contact, their
// earlier conversations and others at their company; refused for someone not in the inbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomApp } from '../../../src/app.ts';
import { Actions, OverflowChoices, Views, overflowValue } from '../../../src/slack/ui/ids.ts';
import { MEMBER, startRig, type Rig } from '../../helpers/mailroom.ts';
import { waitFor } from '../../support/wait.ts';
import { interact, parentAction, postedConversation } from './actions-rig.ts';

const OUTSIDER = 'U0OUTSIDE1';
let rig: Rig;
let app: MailroomApp;
let port: number;

beforeAll(async () => {
  rig = await startRig();
  rig.slack.addUser({ id: OUTSIDER, name: 'olga', real_name: 'Olga Outsider' });
  ({ app, port } = await rig.start());
});
afterAll(async () => {
  await app?.stop();
  await rig?.close();
});

const customerViews = () => rig.slack.views().filter((v) => v.callback_id === Views.customer);
async function openCustomer(c: { parentTs: string; id: number }, user: string) {
  const before = customerViews().length;
  await interact(port, parentAction({ actionId: Actions.overflow, user, parentTs: c.parentTs, number: c.id, action: { type: 'overflow', selected_option: { value: overflowValue(OverflowChoices.customer, c.id) } } }));
  // The "one moment" modal opens, then the answer takes its place.
  return waitFor(() => {
    const v = customerViews()[before];
    return v && !JSON.stringify(v.blocks).includes('One moment') ? v : undefined;
  });
}

describe('the customer at a glance', () => {
  it('shows the contact, their conversations with status and tags, and others at the same company', async () => {
    const earlier = await postedConversation(rig, app, { from: 'Dora Dunn <dora@bigcorp.example>', subject: 'Old question' });
    app.store.tags.add(earlier.id, ['vip'], MEMBER);
    await postedConversation(rig, app, { from: 'Eve <eve@bigcorp.example>', subject: 'Colleague question' });
    const now = await postedConversation(rig, app, { from: 'Dora Dunn <dora@bigcorp.example>', subject: 'New question' });
    const view = await openCustomer(now, MEMBER);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('*Dora Dunn*\\ndora@bigcorp.example\\nFirst seen <!date^');
    expect(text).toContain('*2 conversations*');
    expect(text).toContain(`#${now.id} New question> · :large_green_circle: open · _this one_`);
    expect(text).toContain(`#${earlier.id} Old question> · :large_green_circle: open · \`vip\``);
    expect(text).toContain('*Others at bigcorp.example*\\nEve &lt;eve@bigcorp.example&gt; · 1 conversation');
  });

  it('someone outside the inbox is told why, and sees nothing of the customer', async () => {
    const c = await postedConversation(rig, app, { from: 'Finn <finn@gmail.com>' });
    const view = await openCustomer(c, OUTSIDER);
    expect(JSON.stringify(view.blocks)).toContain('Only members of the *Acme Support* inbox');
    expect(JSON.stringify(view.blocks)).not.toContain('finn@gmail.com');
    const mine = JSON.stringify((await openCustomer(c, MEMBER)).blocks);
    expect(mine).toContain('finn@gmail.com');
    expect(mine).not.toContain('Others at');
  });
});
