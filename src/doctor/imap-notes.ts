// What doctor says about an IMAP server beyond the login: where the high-water mark comes from
// when the server leaves UIDNEXT out, whether IDLE turned out to announce new mail (from what the
// running app saw), renumbering, sessions that keep failing, and the Sent folder. Pure: each
// takes what was read or observed, and returns a note and whether it deserves a warning.
import type { HighestUid } from '../mail/inbound/mailbox-numbers.ts';
import type { SentFolderPlan } from '../mail/outbound/sent-folder.ts';
import type { ImapObservations } from '../store/imap-observations.ts';
import { pass, warn, type DoctorCheck } from './checks.ts';

export interface Note {
  text: string;
  warning: boolean;
}

const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`;
const emails = (n: number) => `${n} email${n === 1 ? '' : 's'}`;
const at = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Where the first start's mark comes from when EXAMINE gives no UIDNEXT (null: it does, nothing to say). */
export function markNote(o: { uidNextFrom: 'select' | 'status' | null; exists: number | null; highest: HighestUid | null }): Note | null {
  if (o.uidNextFrom === 'select') return null;
  const left = 'the server leaves UIDNEXT out of EXAMINE (RFC 3501 allows it)';
  if (o.uidNextFrom === 'status') return { text: `${left}: Mailroom reads it from STATUS`, warning: false };
  if (o.exists === 0) return { text: `${left} and STATUS; the mailbox is empty, so nothing is missed`, warning: false };
  const source = o.highest?.source;
  if (source === 'search' || source === 'fetch')
    return { text: `${left} and STATUS: Mailroom takes the highest UID from ${source === 'search' ? 'UID SEARCH ALL' : 'FETCH *'} (${o.highest?.uid})`, warning: false };
  return { text: `${left} and STATUS, and tells no UIDs: on its first start Mailroom goes by arrival dates (INTERNALDATE), and mail may be posted late`, warning: true };
}

/** Whether the server announced new mail while idling, as the running app saw it (null: nothing known). */
export function idleNote(o: { observed: ImapObservations | null; checkSeconds: number; checkSetting: string }): Note | null {
  if (o.checkSeconds === 0) return { text: `with ${o.checkSetting}=0 Mailroom does not check whether the server announces new mail at once`, warning: false };
  const idle = o.observed?.idle;
  if (!idle || idle.pushed + idle.foundByCheck === 0) return null;
  const total = idle.pushed + idle.foundByCheck;
  if (idle.pushed >= idle.foundByCheck) return { text: `the server announces new mail at once (${idle.pushed} of ${emails(total)} while idling)`, warning: false };
  return {
    text: `but the server does not announce new mail by itself (it announced ${idle.pushed} of ${emails(total)} while idling): Mailroom asks every ${o.checkSeconds} s (${o.checkSetting}), so new mail can take that long to reach Slack; the server's own setting (e.g. Cyrus idled, Courier enhanced IDLE) would make it instant`,
    warning: true,
  };
}

/** What else the running app saw: renumbering, and sessions failing now. */
export function observedNotes(observed: ImapObservations | null): Note[] {
  if (!observed) return [];
  const notes: Note[] = [];
  if (observed.renumbered.empty > 0)
    notes.push({ text: `the server gave the empty mailbox a new UIDVALIDITY ${times(observed.renumbered.empty)}: harmless, Mailroom takes it without a rescan`, warning: false });
  if (observed.renumbered.withMail > 0)
    notes.push({ text: `the server renumbered the mailbox (a new UIDVALIDITY) ${times(observed.renumbered.withMail)}: each time Mailroom rescans it and skips what it already posted`, warning: false });
  const f = observed.failing;
  if (f)
    notes.push({
      text: `Mailroom's own IMAP sessions have failed ${times(f.failures)} in a row since ${at(f.since)} (as of ${at(observed.updatedAt)}${f.lastError ? `; last: ${f.lastError}` : ''})`,
      warning: true,
    });
  return notes;
}

/** Where copies of replies will go: exactly the folder that will be used, or the one that will be created. */
export function sentFolderCheck(o: { name: string; smtpHost: string; plan: SentFolderPlan; setting: string; selfSaving: boolean }): DoctorCheck {
  const off = `set ${o.setting} to false`;
  if (o.selfSaving) return warn(o.name, `${o.smtpHost} saves sent mail itself, so each reply would be in Sent twice: ${off}`);
  const { plan } = o;
  if (plan.kind === 'existing') return pass(o.name, `copies of replies will go to "${plan.path}"${plan.by === 'flag' ? ' (\\Sent)' : ' (found by name)'}`);
  if (plan.specialUse) return warn(o.name, `no Sent folder yet: Mailroom will create "${plan.path}", marked \\Sent, for the first reply (or ${off})`);
  return warn(
    o.name,
    `no Sent folder yet: Mailroom will create "${plan.path}" for the first reply, but this server can't mark it \\Sent (no CREATE-SPECIAL-USE), so mail clients may not treat it as Sent: create the Sent folder in a mail client first, or ${off}`,
  );
}
