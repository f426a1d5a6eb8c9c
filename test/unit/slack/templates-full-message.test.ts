import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../src/core/slack-text.ts';
import { Actions, Fields, Views } from '../../../src/slack/ui/ids.ts';
import { fullMessageModal, FULL_MESSAGE_BUDGET } from '../../../src/slack/ui/views/full-message.view.ts';
import {
  readTemplateEditMetadata,
  readTemplatesListMetadata,
  templateEditModal,
  templatesListModal,
} from '../../../src/slack/ui/views/templates.view.ts';
import { viewProblems } from './block-kit-limits.ts';

const inbox = { id: 1, name: 'Support' };

describe('templates list', () => {
  it('lists templates with an Edit button each, an Add button and the variables', () => {
    const view = templatesListModal({
      inbox,
      templates: [{ id: 3, name: 'Thanks', body: 'Hi {first_name},\nthanks for writing.' }],
      variables: ['{first_name}', '{number}'],
    });
    expect(view.callback_id).toBe(Views.templatesList);
    const all = JSON.stringify(view.blocks);
    expect(all).toContain(`"action_id":"${Actions.templateAdd}"`);
    const row = (view.blocks as KnownBlock[]).find((b): b is SectionBlock => b.type === 'section' && Boolean(b.accessory))!;
    expect(row.accessory).toMatchObject({ action_id: Actions.templateEdit, value: '3' });
    expect(row.text!.text).toBe('*Thanks*\nHi {first_name}, thanks for writing.');
    expect(all).toContain('`{first_name}`');
    expect(readTemplatesListMetadata(view.private_metadata)).toEqual({ inboxId: 1 });
    expect(viewProblems(view as never)).toEqual([]);
  });

  it('switches inboxes when there are several, and stays under 100 blocks with many templates', () => {
    const templates = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, name: `T${i} <!here>`, body: '@channel '.repeat(500) }));
    const view = templatesListModal({ inbox, inboxes: [inbox, { id: 2, name: 'Sales' }], templates });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view.blocks)).toContain('and 60 more');
    const header = view.blocks[0] as SectionBlock;
    expect(header.accessory).toMatchObject({ action_id: Actions.templateInbox, initial_option: { value: '1' } });
    expect(viewProblems(view as never)).toEqual([]);
  });

  it('says so when there are none', () => {
    const view = templatesListModal({ inbox, templates: [] });
    expect(JSON.stringify(view.blocks)).toContain('No templates yet');
  });
});

describe('template edit', () => {
  it('adds a new one without a delete box', () => {
    const view = templateEditModal({ inbox, variables: ['{first_name}'] });
    const ids = (view.blocks as KnownBlock[]).flatMap((b) => (b.type === 'input' ? [b.block_id] : []));
    expect(ids).toEqual([Fields.templateName.block, Fields.templateBody.block]);
    expect(view.title.text).toBe('New template');
    expect(readTemplateEditMetadata(view.private_metadata)).toEqual({ inboxId: 1 });
    expect(viewProblems(view as never)).toEqual([]);
  });

  it('edits an existing one, prefilled, with a delete box', () => {
    const view = templateEditModal({ inbox, template: { id: 3, name: 'Thanks', body: 'b'.repeat(5000) } });
    const ids = (view.blocks as KnownBlock[]).flatMap((b) => (b.type === 'input' ? [b.block_id] : []));
    expect(ids).toContain(Fields.templateDelete.block);
    expect(readTemplateEditMetadata(view.private_metadata)).toEqual({ inboxId: 1, templateId: 3 });
    expect(viewProblems(view as never)).toEqual([]);
  });
});

describe('full message modal', () => {
  const base = {
    conversationNumber: 42,
    from: { name: 'Jane', address: 'jane@example.com' },
    to: [{ name: '', address: 'support@acme.com' }],
    cc: [],
    subject: 'Invoice',
    date: 1_700_000_000_000,
  };

  it('shows the whole text in sections', () => {
    const body = escapeMrkdwn('Hello <team>\n\n> On Monday Bob wrote:\n> old text');
    const view = fullMessageModal({ ...base, bodyMrkdwn: body });
    const texts = (view.blocks as KnownBlock[]).flatMap((b) => (b.type === 'section' ? [b.text!.text] : []));
    expect(texts).toEqual(['*Invoice*', body]);
    expect(view.submit).toBeUndefined();
    expect(viewProblems(view as never)).toEqual([]);
  });

  it('cuts a huge body under 100 blocks and the text budget, and says where the rest is', () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `line ${i} of a very long email`).join('\n');
    const view = fullMessageModal({ ...base, bodyMrkdwn: body });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const size = (view.blocks as KnownBlock[]).reduce((n, b) => n + (b.type === 'section' ? b.text!.text.length : 0), 0);
    expect(size).toBeLessThanOrEqual(FULL_MESSAGE_BUDGET + 600);
    expect(JSON.stringify(view.blocks)).toContain('attached as a file');
    expect(viewProblems(view as never)).toEqual([]);
  });
});
