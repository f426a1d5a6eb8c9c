// `mailroom rules test [--inbox NAME] [--json] FILE.eml…`: which routing rule would act on each
// email, and what it would do, without touching Slack, mail or the database. The rules come from
// the configuration (MAILROOM_CONFIG); the inbox is the one the email is addressed to, else the
// first (or --inbox). Like inspect, a file that can't be read still gives a line.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/config-error.ts';
import { loadInboxes, type InboxConfig } from '../config/load.ts';
import { describePlan, matchingRules, planFor } from '../core/rules.ts';
import { addressesOf } from '../usecases/inboxes.ts';
import { contactFor } from '../usecases/new-conversation.ts';
import { factsOf } from '../usecases/routing.ts';

const USAGE = `Usage: mailroom rules test [--inbox NAME] [--json] FILE.eml…
`;

interface RulesArgs {
  json: boolean;
  inbox: string | null;
  files: string[];
}

export function parseRulesArgs(args: string[]): RulesArgs | string {
  const [sub, ...rest] = args;
  if (sub !== 'test') return sub ? `unknown subcommand ${sub}` : 'say what to do: test';
  const out: RulesArgs = { json: false, inbox: null, files: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--json') out.json = true;
    else if (a === '--inbox') {
      if (i + 1 >= rest.length) return '--inbox needs a name';
      out.inbox = rest[++i]!;
    } else if (a.startsWith('--inbox=')) out.inbox = a.slice('--inbox='.length);
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else out.files.push(a);
  }
  if (!out.files.length) return 'no input file';
  return out;
}

export async function rulesCommand(args: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const parsed = parseRulesArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`mailroom rules: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  let inboxes: InboxConfig[];
  try {
    inboxes = loadInboxes(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.problems.join('\n')}\n`);
    return 2;
  }
  const chosen = parsed.inbox ? inboxes.find((i) => i.name.toLowerCase() === parsed.inbox!.toLowerCase() || i.key === parsed.inbox!.toLowerCase()) : null;
  if (parsed.inbox && !chosen) {
    process.stderr.write(`mailroom rules: no inbox named "${parsed.inbox}" (${inboxes.map((i) => i.name).join(', ')})\n`);
    return 2;
  }
  const ourDomains = [...new Set(inboxes.flatMap((i) => addressesOf(i).map((a) => a.split('@')[1]!)))];
  const { parseEmail } = await import('../mail/parse/index.ts');
  let failed = 0;
  for (const file of parsed.files) {
    let line: Record<string, unknown>;
    try {
      const email = await parseEmail(await readFile(file));
      const to = [...email.to, ...email.cc].map((a) => a.address.toLowerCase());
      const inbox = chosen ?? inboxes.find((i) => addressesOf(i).some((a) => to.includes(a))) ?? inboxes[0]!;
      const facts = factsOf(email, contactFor(email, ourDomains).address);
      const matched = matchingRules(inbox.rules, facts);
      const plan = planFor(matched);
      line = {
        file,
        inbox: inbox.name,
        rules: matched.map((r) => ({ name: r.name, index: r.index, continue: r.continue })),
        actions: plan ? describePlan(plan) : [],
      };
    } catch (err) {
      failed++;
      line = { file, error: err instanceof Error ? err.message : String(err) };
    }
    process.stdout.write(parsed.json ? `${JSON.stringify(line)}\n` : summary(line));
  }
  return failed ? 1 : 0;
}

function summary(l: Record<string, unknown>): string {
  if (l.error) return `== ${String(l.file)}\n   cannot read: ${String(l.error)}\n\n`;
  const rules = l.rules as { name: string; index: number; continue: boolean }[];
  const lines = [`== ${String(l.file)}`, `Inbox:       ${String(l.inbox)}`];
  if (!rules.length) lines.push('Rule:        none matches');
  for (const r of rules) lines.push(`Rule:        ${r.index + 1}. ${r.name}${r.continue ? ' (continue: the next rules are looked at too)' : ''}`);
  for (const a of l.actions as string[]) lines.push(`Would:       ${a}`);
  return `${lines.join('\n')}\n\n`;
}
