// Routing rules: address patterns, text and regex conditions, evaluation order (first match wins,
// `continue`), how several rules' actions combine, the configuration's checks (each with its YAML
// path, unsafe regexes refused), and the thread note.
import { describe, expect, it } from 'vitest';
import { addressMatches, addressPatternProblem, globMatch } from '../../src/core/address-glob.ts';
import { describePlan, evaluateRules, matchingRules, readTextCondition, ruleMatches, textMatches, type EmailFacts, type Rule } from '../../src/core/rules.ts';
import { loadConfig } from '../../src/config/load.ts';
import { regexProblem } from '../../src/config/safe-regex.ts';
import { noteMessage } from '../../src/slack/ui/blocks/note-message.ts';

describe('address patterns', () => {
  it.each([
    ['*@bigcorp.com', 'ana@bigcorp.com', true],
    ['*@bigcorp.com', 'ana@BIGCORP.com', true],
    ['*@bigcorp.com', 'ana@mail.bigcorp.com', false],
    ['@bigcorp.com', 'ana@bigcorp.com', true],
    ['@bigcorp.com', 'ana@notbigcorp.com', false],
    ['@*.bigcorp.com', 'ana@mail.bigcorp.com', true],
    ['@*.bigcorp.com', 'ana@bigcorp.com', false],
    ['billing-*@acme.com', 'billing-eu@acme.com', true],
    ['billing-*@acme.com', 'sales@acme.com', false],
    ['ana@acme.com', 'Ana@Acme.com', true],
    ['a?a@x.io', 'aba@x.io', true],
    ['a?a@x.io', 'aa@x.io', false],
    ['*', '', false],
  ])('%s ~ %s → %s', (pattern, address, expected) => expect(addressMatches([pattern], address)).toBe(expected));

  it('globMatch takes linear time on a hostile address', () => {
    const t = performance.now();
    expect(globMatch('*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('refuses patterns that are not addresses', () => {
    expect(addressPatternProblem('a b@x')).toMatch(/spaces/);
    expect(addressPatternProblem('a@b@c')).toMatch(/more than one @/);
    expect(addressPatternProblem('@x.com')).toBeNull();
  });
});

describe('text conditions', () => {
  it('reads /regex/flags, else a phrase', () => {
    expect(readTextCondition('/invoice|factura/i')).toEqual({ kind: 'regex', source: 'invoice|factura', flags: 'i' });
    expect(readTextCondition('invoice')).toEqual({ kind: 'text', text: 'invoice' });
    expect(readTextCondition('/a/g')).toBeNull();
    expect(readTextCondition('/a/ii')).toBeNull();
    expect(readTextCondition('/')).toEqual({ kind: 'text', text: '/' });
  });
  it('a phrase matches anywhere, in any case; a regex as written', () => {
    expect(textMatches({ kind: 'text', text: 'Invoice' }, 'your INVOICE is late')).toBe(true);
    expect(textMatches({ kind: 'regex', source: '^re:', flags: 'i' }, 'RE: hello')).toBe(true);
    expect(textMatches({ kind: 'regex', source: '^re:', flags: '' }, 'RE: hello')).toBe(false);
  });
});

const facts = (o: Partial<EmailFacts> = {}): EmailFacts => ({ from: 'carla@customer.example', to: ['support@acme.com'], subject: 'Hello', body: 'Hi there', kind: 'human', hasAttachment: false, ...o });
const rule = (name: string, when: Rule['when'], then: Rule['then'], more: Partial<Rule> = {}): Rule => ({ name, index: 0, when, then, continue: false, ...more });

describe('evaluation', () => {
  const vip = rule('VIP', { from: ['*@bigcorp.com'] }, { assign: { user: 'U01AAAA' }, tag: ['vip'], priority: 'high' });
  const billing = rule('Billing', { subject: { kind: 'regex', source: 'invoice|factura|fattura|factuur', flags: 'i' } }, { move: 'Billing' });
  const bulk = rule('Newsletters', { kind: ['bulk'] }, { close: 'no-reply-needed' });

  it('every condition of a rule must hold', () => {
    const both = rule('x', { from: ['@bigcorp.com'], hasAttachment: true }, { tag: ['a'] });
    expect(ruleMatches(both, facts({ from: 'a@bigcorp.com', hasAttachment: true }))).toBe(true);
    expect(ruleMatches(both, facts({ from: 'a@bigcorp.com' }))).toBe(false);
    expect(ruleMatches(rule('to', { to: ['help@acme.com'] }, {}), facts({ to: ['support@acme.com', 'help@acme.com'] }))).toBe(true);
    expect(ruleMatches(rule('empty', {}, {}), facts())).toBe(false);
  });

  it('the first matching rule wins', () => {
    const plan = evaluateRules([vip, billing, bulk], facts({ from: 'boss@bigcorp.com', subject: 'Factura 12' }));
    expect(plan).toMatchObject({ rules: ['VIP'], assign: { value: { user: 'U01AAAA' }, rule: 'VIP' }, tags: [{ value: 'vip', rule: 'VIP' }], priority: { value: 'high' } });
    expect(plan?.move).toBeUndefined();
    expect(evaluateRules([vip, billing, bulk], facts({ subject: 'Fattura 7' }))?.move).toEqual({ value: 'Billing', rule: 'Billing' });
    expect(evaluateRules([vip, billing, bulk], facts({ kind: 'bulk' }))?.close).toEqual({ value: 'no-reply-needed', rule: 'Newsletters' });
    expect(evaluateRules([vip, billing, bulk], facts())).toBeNull();
  });

  it('continue: true lets the next rules act too; the first to decide an action keeps it, tags and notes add up', () => {
    const a = rule('A', { from: ['@bigcorp.com'] }, { tag: ['vip'], assign: { rotation: 'least-open' }, note: 'Big one' }, { continue: true });
    const b = rule('B', { subject: { kind: 'text', text: 'invoice' } }, { tag: ['billing', 'vip'], assign: { user: 'U0B' }, note: 'Check the VAT' });
    const c = rule('C', { subject: { kind: 'text', text: 'invoice' } }, { tag: ['never'] });
    const matched = matchingRules([a, b, c], facts({ from: 'x@bigcorp.com', subject: 'Invoice' }));
    expect(matched.map((r) => r.name)).toEqual(['A', 'B']);
    const plan = evaluateRules([a, b, c], facts({ from: 'x@bigcorp.com', subject: 'Invoice' }))!;
    expect(plan.assign).toEqual({ value: { rotation: 'least-open' }, rule: 'A' });
    expect(plan.tags.map((t) => t.value)).toEqual(['vip', 'billing']);
    expect(plan.notes.map((n) => n.value)).toEqual(['Big one', 'Check the VAT']);
    expect(describePlan(plan)).toEqual(['assign least-open', 'tag vip, billing', 'note: Big one', 'note: Check the VAT']);
  });

  it('describes waiting and a response target', () => {
    const plan = evaluateRules([rule('W', { kind: ['human'] }, { waiting: true, sla: '2h' })], facts())!;
    expect(describePlan(plan)).toEqual(['waiting on customer', 'first-response target 2h']);
  });

  it('a regex sees at most 100,000 characters of a body', () => {
    const r = rule('end', { body: { kind: 'regex', source: 'needle$', flags: '' } }, { tag: ['x'] });
    expect(ruleMatches(r, facts({ body: `${'a'.repeat(200_000)}needle` }))).toBe(false);
    expect(ruleMatches(r, facts({ body: 'haystack needle' }))).toBe(true);
  });
});

describe('safe regexes', () => {
  it.each(['invoice|factura|fattura|factuur', '^\\s*urgent', 'order #?\\d+', '\\d{3}-\\d{4}'])('takes %s', (p) => expect(regexProblem(p, 'i')).toBeNull());
  it.each(['(a+)+b', '(x+x+)+y', '(\\w+\\s?)+$', 'a.*b.*c'])('refuses %s, which can backtrack catastrophically', (p) => expect(regexProblem(p, '')).toMatch(/backtrack catastrophically|too complex/));
  it('refuses a pattern that does not compile', () => expect(regexProblem('(', '')).toMatch(/is not a valid regex/));
});

describe('configuration', () => {
  const base = (rules: string, extra = '') =>
    `inboxes:\n  - name: Support\n    channel: C0123456\n    address: support@acme.com\n    imap: { host: h, user: u, password: p }\n    smtp: { host: s }\n${extra}    rules:\n${rules}\n  - name: Billing\n    channel: C0654321\n    address: billing@acme.com\n    imap: { host: h, user: u, password: p }\n    smtp: { host: s }\n`;
  const load = (yaml: string) => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', MAILROOM_CONFIG: 'm.yaml' }, () => yaml);
  const problems = (yaml: string): string[] => {
    try {
      load(yaml);
      return [];
    } catch (err) {
      return (err as { problems: string[] }).problems;
    }
  };

  it('reads the example of the README', () => {
    const inbox = load(
      base(`      - when: { from: "*@bigcorp.com" }\n        then: { assign: U01AAAA, tag: [VIP], priority: high }\n      - name: Invoices\n        when: { subject: "/invoice|factura|fattura|factuur/i" }\n        then: { move: Billing }\n      - when: { kind: bulk }\n        then: { close: no-reply-needed }`),
    ).inboxes[0]!;
    expect(inbox.rules).toEqual([
      { name: 'rule 1', index: 0, continue: false, when: { from: ['*@bigcorp.com'] }, then: { assign: { user: 'U01AAAA' }, tag: ['vip'], priority: 'high' } },
      { name: 'Invoices', index: 1, continue: false, when: { subject: { kind: 'regex', source: 'invoice|factura|fattura|factuur', flags: 'i' } }, then: { move: 'Billing' } },
      { name: 'rule 3', index: 2, continue: false, when: { kind: ['bulk'] }, then: { close: 'no-reply-needed' } },
    ]);
  });

  it('a bad rule is an error with its YAML path', () => {
    const p = problems(
      base(
        [
          '      - when: { subject: "/(a+)+$/" }\n        then: { tag: x }',
          '      - when: { from: "a b@x" }\n        then: { assign: bob }',
          '      - when: {}\n        then: { close: maybe }',
          '      - when: { kind: spam }\n        then: { move: Nowhere }',
          '      - when: { to: "@x.com" }\n        then: { move: Support, sla: soon }',
          '      - when: { from: "@x.com" }\n        then: { frobnicate: 1 }',
          '      - when: { body: "/x/g" }\n        then: { tag: "!!" }',
        ].join('\n'),
      ),
    );
    const has = (re: RegExp) => expect(p.some((l) => re.test(l)), `${re} in\n${p.join('\n')}`).toBe(true);
    has(/^m\.yaml: inboxes\[0\]\.rules\[0\]\.when\.subject \/\(a\+\)\+\$\/ can backtrack catastrophically/);
    has(/^m\.yaml: inboxes\[0\]\.rules\[1\]\.when\.from\[0\] "a b@x" has spaces/);
    has(/^m\.yaml: inboxes\[0\]\.rules\[1\]\.then\.assign must be a Slack user ID like U0123456789, round-robin or least-open, got "bob"/);
    has(/^m\.yaml: inboxes\[0\]\.rules\[2\]\.when needs at least one condition/);
    has(/^m\.yaml: inboxes\[0\]\.rules\[2\]\.then\.close must be a resolution/);
    has(/^m\.yaml: inboxes\[0\]\.rules\[3\]\.when\.kind(\[0\])? must be one of human, auto-reply, bounce, report, bulk/);
    has(/^m\.yaml: inboxes\[0\]\.rules\[4\]\.then\.sla must be a duration/);
    has(/^m\.yaml: inboxes\[0\]\.rules\[5\]\.then has unknown key frobnicate/);
    has(/^m\.yaml: inboxes\[0\]\.rules\[6\]\.when\.body "\/x\/g" has flags/);
    has(/^m\.yaml: inboxes\[0\]\.rules\[6\]\.then\.tag\[0\] "!!" is not a tag/);
  });

  it('move must name another inbox; tags must be in the inbox list when it has one', () => {
    const p = problems(base('      - when: { kind: spam }\n        then: { move: Nowhere }\n      - when: { kind: bulk }\n        then: { move: support }', ''));
    expect(p.join('\n')).toContain('kind');
    const q = problems(base('      - when: { kind: bulk }\n        then: { move: Nowhere }\n      - when: { kind: bulk }\n        then: { move: support }\n      - when: { kind: bulk }\n        then: { tag: [vip, billing] }', '    tags: [billing]\n'));
    expect(q).toEqual([
      'm.yaml: inboxes[0].rules[2].then.tag vip is not in this inbox\'s inboxes[0].tags',
    ]);
    const r = problems(base('      - when: { kind: bulk }\n        then: { move: Nowhere }\n      - when: { kind: bulk }\n        then: { move: support }'));
    expect(r).toEqual(['m.yaml: inboxes[0].rules[0].then.move "Nowhere" is not the name of an inbox (Support, Billing)', 'm.yaml: inboxes[0].rules[1].then.move "support" is this inbox itself']);
  });
});

describe('the thread note', () => {
  it('names the rules and what they did, escaping what the YAML says', () => {
    const line = JSON.stringify(
      noteMessage({ kind: 'routed', rules: ['Big <!channel> customers'], assigneeUserId: 'U01AAAA', tags: ['vip'], ticket: { id: 3, priority: 'high' }, closed: null, movedFrom: 'Support', notApplied: ['response target 2h: the inbox has no response targets'] }).blocks,
    );
    expect(line).toContain(':gear: Routing rule _Big &lt;!channel&gt; customers_: started it here instead of *Support*, assigned it to <@U01AAAA>, tagged it `vip`, opened ticket #3 (high priority).');
    expect(line).toContain('Not done: response target 2h: the inbox has no response targets.');
    expect(JSON.stringify(noteMessage({ kind: 'rule-note', rule: 'R', text: '<@U123> look' }).blocks)).toContain('Note from rule _R_: &lt;@U123&gt; look');
    expect(JSON.stringify(noteMessage({ kind: 'assigned', assigneeUserId: 'U01AAAA', automatic: true, rule: 'VIP' }).blocks)).toContain('Assigned to <@U01AAAA> (rule _VIP_)');
  });
});
