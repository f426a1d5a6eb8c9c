// Tags: the pure rules (normalising, the fixed list, adding and removing), the picker's options,
// the command's reading, and where tags show (parent, note, stats).
import { describe, expect, it } from 'vitest';
import { applyTagChange, MAX_TAG_LENGTH, normaliseTag, outsideVocabulary, parseTags, vocabularyRefusal } from '../../src/core/tags.ts';
import { computeStats } from '../../src/core/stats.ts';
import { loadConfig } from '../../src/config/load.ts';
import { checkTags } from '../../src/usecases/tags.ts';
import { readTagCommand } from '../../src/slack/inbound/listeners/commands/mailroom-tag.ts';
import { conversationParent } from '../../src/slack/ui/blocks/conversation-parent.ts';
import { noteMessage } from '../../src/slack/ui/blocks/note-message.ts';
import { tagPickerOptions, tagsModal } from '../../src/slack/ui/views/tags.view.ts';
import { statsMessage } from '../../src/slack/ui/views/stats.view.ts';
import { blockProblems } from './slack/block-kit-limits.ts';

describe('normaliseTag', () => {
  it.each([
    ['billing', 'billing'],
    ['Billing', 'billing'],
    ['  URGENT ', 'urgent'],
    ['#vip', 'vip'],
    ['Facturación', 'facturacion'],
    ['follow up', 'follow-up'],
    ['follow_up', 'follow-up'],
    ['a--b', 'a-b'],
    ['-edge-', 'edge'],
    ['über/größe', 'uber-grosse'],
    ['v2.1', 'v2-1'],
    ['ÅÄÖ', 'aao'],
  ])('%j → %j', (word, tag) => expect(normaliseTag(word)).toBe(tag));

  it.each(['', '   ', '!!!', '🙂', '---', '##', '日本'])('%j gives no tag', (word) => expect(normaliseTag(word)).toBeNull());

  it('cuts at 30 characters, never ending on a dash', () => {
    expect(normaliseTag('x'.repeat(50))).toBe('x'.repeat(MAX_TAG_LENGTH));
    expect(normaliseTag(`${'a'.repeat(29)} b`)).toBe('a'.repeat(29));
    expect(normaliseTag(`${'a'.repeat(29)} b`)!.length).toBeLessThanOrEqual(MAX_TAG_LENGTH);
  });

  it('keeps nothing that could be Slack or HTML markup', () => {
    for (const w of ['<!channel>', '<@U123>', '*bold*', '`code`', '&amp;', '<script>']) expect(normaliseTag(w) ?? '').toMatch(/^[a-z0-9-]*$/);
  });
});

describe('parseTags', () => {
  it('splits on spaces and commas, drops duplicates, keeps order, and names the words that are no tag', () => {
    expect(parseTags('billing, Urgent vip BILLING !!!')).toEqual({ tags: ['billing', 'urgent', 'vip'], invalid: ['!!!'] });
    expect(parseTags('')).toEqual({ tags: [], invalid: [] });
  });
});

describe('the fixed list', () => {
  it('lets anything through without a list, names what is outside one', () => {
    expect(outsideVocabulary(['a', 'b'], null)).toEqual([]);
    expect(outsideVocabulary(['billing', 'vip'], ['billing', 'urgent'])).toEqual(['vip']);
  });
  it('answers clearly, naming the tag and the list', () => {
    expect(vocabularyRefusal(['vip'], ['billing', 'urgent'], 'Support')).toBe('`vip` is not a tag of the *Support* inbox. Its tags are: `billing`, `urgent`.');
    expect(vocabularyRefusal(['a', 'b'], [], 'Sales')).toContain('`a`, `b` are not tags');
  });
  it('checkTags: normalised tags, or a refusal with a code', () => {
    expect(checkTags(['Billing', 'billing'], { allowed: ['billing'], inboxName: 'S' })).toEqual(['billing']);
    expect(() => checkTags(['vip'], { allowed: ['billing'], inboxName: 'S' })).toThrow(expect.objectContaining({ code: 'tag.not_allowed' }));
    expect(() => checkTags(['!!'], { allowed: null, inboxName: 'S' })).toThrow(expect.objectContaining({ code: 'tag.invalid' }));
  });
});

describe('applyTagChange', () => {
  it('adds new ones at the end and removes named ones, saying which changed', () => {
    expect(applyTagChange(['a', 'b'], ['b', 'c'], ['a'])).toEqual({ tags: ['b', 'c'], added: ['c'], removed: ['a'] });
    expect(applyTagChange(['a'], [], ['z'])).toEqual({ tags: ['a'], added: [], removed: [] });
  });
});

describe('the tag picker', () => {
  it('offers the typed word as a new tag, then matching known tags', () => {
    const r = tagPickerOptions({ query: 'Bill', known: ['billing', 'refund', 'bills'], allowed: null });
    expect(r.options.map((o) => o.value)).toEqual(['bill', 'billing', 'bills']);
    expect(r.options[0]!.text.text).toBe('bill (new tag)');
  });
  it('with a fixed list offers only the list, and nothing new', () => {
    const r = tagPickerOptions({ query: 'vi', known: ['vip-old'], allowed: ['vip', 'billing'] });
    expect(r.options.map((o) => o.value)).toEqual(['vip']);
    expect(tagPickerOptions({ query: '', known: [], allowed: ['vip', 'billing'] }).options.map((o) => o.value)).toEqual(['vip', 'billing']);
  });
  it('opens with the current tags chosen', () => {
    const v = tagsModal({ conversation: { number: 7, subject: 'Hi', contact: 'Jo' }, tags: ['vip'], allowed: null });
    expect(JSON.stringify(v.blocks)).toContain('"initial_options":[{"text":{"type":"plain_text","text":"vip"');
    expect(blockProblems(v.blocks as never, 100)).toEqual([]);
  });
});

describe('/mailroom tag text', () => {
  it('reads the number and the words', () => {
    expect(readTagCommand('#42 billing urgent')).toEqual({ number: 42, words: ['billing', 'urgent'] });
    expect(readTagCommand('42 billing,vip')).toEqual({ number: 42, words: ['billing', 'vip'] });
    expect(readTagCommand('billing')).toEqual({ number: null, words: [] });
    expect(readTagCommand('#42')).toEqual({ number: 42, words: [] });
  });
});

describe('configuration', () => {
  const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', MAILROOM_CHANNEL: 'C0123456', MAILROOM_ADDRESS: 'a@b.co', IMAP_HOST: 'h', IMAP_USER: 'u', IMAP_PASSWORD: 'p', SMTP_HOST: 's' };
  it('MAILROOM_TAGS is the fixed list, normalised; absent, any tag goes', () => {
    expect(loadConfig({ ...env, MAILROOM_TAGS: 'Billing, urgent,billing' }).inboxes[0]!.tags).toEqual(['billing', 'urgent']);
    expect(loadConfig(env).inboxes[0]!.tags).toBeNull();
  });
  it('a word that gives no tag is an error naming the setting', () => {
    expect(() => loadConfig({ ...env, MAILROOM_TAGS: 'billing,!!!' })).toThrow(/MAILROOM_TAGS "!!!" is not a tag/);
  });
  it('in YAML, tags: with its path', () => {
    const yaml = 'inboxes:\n  - name: S\n    channel: C0123456\n    address: a@b.co\n    imap: { host: h, user: u, password: p }\n    smtp: { host: s }\n    tags: [billing, "???"]\n';
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', MAILROOM_CONFIG: 'x.yaml' }, () => yaml)).toThrow(/inboxes\[0\]\.tags\[1\] "\?\?\?" is not a tag/);
  });
});

describe('where tags show', () => {
  it('on the parent, as code, in its status line', () => {
    const { blocks } = conversationParent({ number: 4, inboxName: 'S', subject: 's', from: { name: '', address: 'a@b.co' }, snippet: '', status: 'open', tags: ['billing', 'vip'] });
    expect(JSON.stringify(blocks)).toContain(':label: `billing` `vip`');
  });
  it('in the thread note, by person or by rule', () => {
    expect(noteMessage({ kind: 'tagged', added: ['vip'], removed: ['old'], byUserId: 'U0ANA00001' }).blocks[0]).toMatchObject({ elements: [{ text: ':label: Tagged `vip`, untagged `old` by <@U0ANA00001>' }] });
    expect(JSON.stringify(noteMessage({ kind: 'tagged', added: ['vip'], removed: [], rule: 'Big customers' }).blocks)).toContain('by rule _Big customers_');
  });
  it('in stats, per tag', () => {
    const report = { ...computeStats({ events: [], window: { from: 0, to: 1 } }), tags: [{ tag: 'billing', started: 3, active: 1 }, { tag: 'old', started: 0, active: 0 }] };
    const text = JSON.stringify(statsMessage(report, { label: 'last 7 days' }).blocks);
    expect(text).toContain('*By tag*\\n`billing` 3 conversations (1 open)');
    expect(text).not.toContain('`old`');
  });
});
