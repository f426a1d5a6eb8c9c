// `/mailroom stats [7d|30d]` (an ephemeral message) and the same figures in the App Home.
import type { KnownBlock, SectionBlock } from '@slack/types';
import { bounceLabel } from '../../../core/bounce-words.ts';
import { formatDuration, type Attainment, type SlaFigures, type StatsReport } from '../../../core/stats.ts';
import { toFallback } from '../blocks/fallback.ts';
import { isUserId, userMention } from '../blocks/mentions.ts';
import { splitMrkdwn } from '../blocks/split.ts';
import { Limits, esc, md, plain, slackDate } from '../blocks/text.ts';

export interface StatsViewOptions {
  /** `last 7 days`, from parseWindow. */
  label: string;
  /** The inbox the figures are for; all inboxes when absent. */
  inboxName?: string | null;
}

const MAX_TEAMMATES = 25;
const MAX_REASONS = 6;
const MAX_TAGS = 25;

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The figures as blocks (no header), shared by the message and the App Home. */
export function statsBlocks(r: StatsReport): KnownBlock[] {
  const fr = r.firstResponse;
  const timed = fr.count > 0 ? `${plural(fr.count, 'conversation')} timed` : 'nothing answered yet';
  const fields: SectionBlock['fields'] = [
    md(`*Received*\n${r.received}`, Limits.sectionField),
    md(`*Replied*\n${r.replied} (${plural(r.repliesSent, 'email')} sent)`, Limits.sectionField),
    md(`*Closed*\n${r.closed}`, Limits.sectionField),
    md(`*First response*\nmedian ${formatDuration(fr.medianMs)} · p90 ${formatDuration(fr.p90Ms)}\n_${timed}; ${fr.withoutReply} without reply_`, Limits.sectionField),
    md(`*Open backlog*\n${r.backlog.open} open · ${r.backlog.pending} pending${r.backlog.snoozed ? ` · ${r.backlog.snoozed} snoozed` : ''} · ${r.backlog.unassigned} unassigned`, Limits.sectionField),
  ];
  if (r.backlog.oldestCreatedAt !== null) {
    fields.push(md(`*Oldest open*\nsince ${slackDate(r.backlog.oldestCreatedAt, '{date_short_pretty}')}`, Limits.sectionField));
  }
  if (r.bounces.total > 0) {
    const reasons = r.bounces.byReason.slice(0, MAX_REASONS).map((b) => `${b.count} ${esc(bounceLabel(b.reason), 60)}`);
    if (r.bounces.byReason.length > MAX_REASONS) reasons.push('…');
    fields.push(md(`*Bounced*\n${plural(r.bounces.total, 'email')}: ${reasons.join(', ')}`, Limits.sectionField));
  }
  const blocks: KnownBlock[] = [{ type: 'section', fields }];
  const tags = (r.tags ?? []).filter((t) => t.started > 0 || t.active > 0);
  if (tags.length > 0) {
    const lines = tags.slice(0, MAX_TAGS).map((t) => `\`${esc(t.tag, 40)}\` ${plural(t.started, 'conversation')} (${t.active} open)`);
    if (tags.length > MAX_TAGS) lines.push(`_and ${tags.length - MAX_TAGS} more_`);
    for (const c of splitMrkdwn(`*By tag*\n${lines.join('\n')}`)) blocks.push({ type: 'section', text: md(c) });
  }
  if (r.sla) blocks.push(...slaBlocks(r.sla));
  const people = r.perTeammate.filter((p) => isUserId(p.userId));
  if (people.length > 0) {
    const lines = people
      .slice(0, MAX_TEAMMATES)
      .map((p) => `${userMention(p.userId)}: ${plural(p.replies, 'reply', 'replies')}, ${plural(p.closes, 'close')}`);
    if (people.length > MAX_TEAMMATES) lines.push(`_and ${people.length - MAX_TEAMMATES} more_`);
    const chunks = splitMrkdwn(`*By teammate*\n${lines.join('\n')}`);
    for (const c of chunks) blocks.push({ type: 'section', text: md(c) });
  }
  return blocks;
}

const MAX_OVERDUE = 10;

const pct = (a: Attainment) => (a.share === null ? '–' : `${Math.round(a.share * 100)}%`);
const share = (a: Attainment) => `${pct(a)} (${a.within} of ${a.counted})`;

/** Response targets: attainment, time over target, by inbox and teammate, and what is overdue now. */
function slaBlocks(s: SlaFigures): KnownBlock[] {
  const fields: SectionBlock['fields'] = [
    md(`*Within response target*\n${s.counted ? share(s) : 'nothing answered yet'}`, Limits.sectionField),
    md(`*Over target*\nmedian ${formatDuration(s.overMedianMs)} · p90 ${formatDuration(s.overP90Ms)}`, Limits.sectionField),
  ];
  if (s.perInbox.length > 1) fields.push(md(`*By inbox*\n${s.perInbox.map((i) => `${esc(i.name, 60)}: ${share(i)}`).join('\n')}`, Limits.sectionField));
  const out: KnownBlock[] = [{ type: 'section', fields }];
  const people = s.perTeammate.filter((p) => isUserId(p.userId)).slice(0, MAX_TEAMMATES);
  if (people.length) for (const c of splitMrkdwn(`*Within target, by teammate*\n${people.map((p) => `${userMention(p.userId)}: ${share(p)}`).join('\n')}`)) out.push({ type: 'section', text: md(c) });
  const overdue = s.overdue.slice(0, MAX_OVERDUE).map((o) => {
    const who = isUserId(o.assigneeUserId) ? userMention(o.assigneeUserId) : 'unassigned';
    return `#${o.conversationId} ${esc(o.subject ?? '', 80)} · overdue by ${formatDuration(o.overMs)} · ${who}`;
  });
  if (s.overdue.length > MAX_OVERDUE) overdue.push(`_and ${s.overdue.length - MAX_OVERDUE} more_`);
  out.push({ type: 'section', text: md(overdue.length ? `*Overdue now*\n${overdue.join('\n')}` : '*Overdue now*\nnothing') });
  return out;
}

export function statsMessage(r: StatsReport, o: StatsViewOptions): { text: string; blocks: KnownBlock[] } {
  const scope = o.inboxName ? `${o.inboxName} · ` : '';
  const title = `${scope}${o.label}`;
  const blocks: KnownBlock[] = [{ type: 'header', text: plain(`Mailroom stats · ${title}`, Limits.header) }, ...statsBlocks(r)];
  const text = toFallback(
    `Mailroom stats, ${esc(title, 200)}: ${r.received} received, ${r.replied} replied, ${r.closed} closed, ` +
      `first response median ${formatDuration(r.firstResponse.medianMs)}`,
  );
  return { text, blocks };
}
