import { describe, expect, it } from 'vitest';
import { MAX_RECIPIENTS, validateEmailForm, type EmailFormInput } from '../../src/core/email-form.ts';
import { bodyBlockId, Fields } from '../../src/slack/ui/ids.ts';
import { bodyValue, fileValues, selectedValue, selectedValues, textValue } from '../../src/slack/inbound/view-state.ts';

const base: EmailFormInput = {
  fromAddress: 'support@acme.example',
  to: 'Carla <carla@customer.example>',
  cc: '',
  bcc: '',
  subject: 'Your order',
  body: 'Hello',
  fileCount: 0,
  ourAddresses: ['support@acme.example', 'help@acme.example', 'sales@acme.example'],
};

describe('validateEmailForm', () => {
  it('accepts a good form and normalises it', () => {
    const r = validateEmailForm({
      ...base,
      to: 'Carla <carla@customer.example>, dan@customer.example',
      toContacts: [{ name: 'Eve', address: 'eve@other.example' }, { name: 'Dup', address: 'DAN@customer.example' }],
      cc: 'dan@customer.example; Fay <fay@other.example>',
      bcc: 'fay@other.example, boss@acme-partner.example',
      subject: '  Your\torder \n',
      body: 'Hello\n\n',
    });
    expect(r).toEqual({
      ok: true,
      form: {
        fromAddress: 'support@acme.example',
        to: [
          { name: 'Carla', address: 'carla@customer.example' },
          { name: '', address: 'dan@customer.example' },
          { name: 'Eve', address: 'eve@other.example' },
        ],
        cc: [{ name: 'Fay', address: 'fay@other.example' }],
        bcc: [{ name: '', address: 'boss@acme-partner.example' }],
        subject: 'Your order',
        body: 'Hello',
      },
    });
  });

  it('puts each problem under its field', () => {
    const r = validateEmailForm({ ...base, fromAddress: null, to: 'carla@customer, ok@fine.example', cc: 'HELP@acme.example', bcc: 'support+tag@acme.example', subject: '  ', body: ' \n ' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['bcc', 'body', 'cc', 'from', 'subject', 'to']);
    expect(r.errors.to).toBe('Not an email address: "carla@customer". Separate addresses with commas.');
    expect(r.errors.cc).toMatch(/^HELP@acme\.example is our own address/);
    expect(r.errors.bcc).toMatch(/support\+tag@acme\.example is our own address/);
  });

  it('needs somebody to write to, except in a reply', () => {
    const none = validateEmailForm({ ...base, to: '' });
    expect(none).toEqual({ ok: false, errors: { to: 'Add at least one recipient.' } });
    const ccOnly = validateEmailForm({ ...base, to: '', cc: 'x@y.example' });
    expect(ccOnly).toEqual({ ok: false, errors: { to: 'Put at least one address in To.' } });
    expect(validateEmailForm({ ...base, to: '', subject: null, recipientsImplied: true }).ok).toBe(true);
  });

  it('refuses our own address picked as a contact', () => {
    const r = validateEmailForm({ ...base, to: '', toContacts: [{ name: '', address: 'sales@acme.example' }] });
    expect(r).toEqual({ ok: false, errors: { toContacts: 'sales@acme.example is our own address: Mailroom never emails itself.' } });
  });

  it('takes files without text, but not nothing', () => {
    expect(validateEmailForm({ ...base, body: '', fileCount: 1 }).ok).toBe(true);
    expect(validateEmailForm({ ...base, body: '', fileCount: 0 })).toEqual({ ok: false, errors: { body: 'Write a message (or attach a file).' } });
  });

  it('caps the number of recipients and lists at most three bad pieces', () => {
    const many = Array.from({ length: MAX_RECIPIENTS + 1 }, (_, i) => `p${i}@x.example`).join(', ');
    expect(validateEmailForm({ ...base, to: many })).toEqual({ ok: false, errors: { to: `At most ${MAX_RECIPIENTS} recipients in all.` } });
    const bad = validateEmailForm({ ...base, to: 'a, b, c, d, e' });
    expect(bad.ok ? '' : bad.errors.to).toBe('Not an email address: "a", "b", "c" and 2 more. Separate addresses with commas.');
  });
});

describe('view state readers', () => {
  const values = {
    [Fields.to.block]: { [Fields.to.action]: { type: 'plain_text_input', value: 'a@b.example' } },
    [Fields.cc.block]: { [Fields.cc.action]: { type: 'plain_text_input', value: null } },
    [Fields.from.block]: { [Fields.from.action]: { type: 'static_select', selected_option: { value: '1:0', text: { type: 'plain_text', text: 'x' } } } },
    [Fields.toContacts.block]: { [Fields.toContacts.action]: { type: 'multi_external_select', selected_options: [{ value: '4' }, { value: 5 }, null, { value: '9' }] } },
    [bodyBlockId(3)]: { [Fields.body.action]: { type: 'plain_text_input', value: 'the body' } },
    [Fields.files.block]: { [Fields.files.action]: { type: 'file_input', files: [{ id: 'F1', name: 'a.pdf' }, { name: 'no id' }, 'junk'] } },
    [Fields.assignee.block]: { [Fields.assignee.action]: { type: 'users_select', selected_user: 'U123' } },
  };

  it('reads texts, selections, files and the revised body block', () => {
    expect(textValue(values, Fields.to)).toBe('a@b.example');
    expect(textValue(values, Fields.cc)).toBe('');
    expect(textValue(values, Fields.bcc)).toBe('');
    expect(selectedValue(values, Fields.from)).toBe('1:0');
    expect(selectedValue(values, Fields.assignee)).toBe('U123');
    expect(selectedValue(values, Fields.template)).toBeNull();
    expect(selectedValues(values, Fields.toContacts)).toEqual(['4', '9']);
    expect(fileValues(values, Fields.files).map((f) => f.id)).toEqual(['F1']);
    expect(bodyValue(values)).toEqual({ blockId: 'mr_body_r3', text: 'the body' });
    expect(bodyValue({})).toEqual({ blockId: 'mr_body', text: '' });
    expect(textValue(undefined, Fields.to)).toBe('');
  });
});
