// Every benchmark section, in the order they run. A new section is a module exporting a Section,
// added here.
import type { Section } from '../section.ts';
import { attachment } from './attachment.ts';
import { backlog } from './backlog.ts';
import { emailToSlack } from './email-to-slack.ts';
import { manyInboxes } from './many-inboxes.ts';
import { memory } from './memory.ts';
import { oauth } from './oauth.ts';
import { slackToEmail } from './slack-to-email.ts';
import { soak } from './soak.ts';
import { startup } from './startup.ts';
import { search } from './search.ts';
import { storeScale } from './store-scale.ts';

export const sections: readonly Section[] = [emailToSlack, slackToEmail, backlog, memory, manyInboxes, attachment, storeScale, search, startup, oauth, soak];
