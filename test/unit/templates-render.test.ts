import { describe, expect, it } from 'vitest';
import { renderTemplate, splitPersonName, templateValues, TEMPLATE_VARIABLES, unknownVariables } from '../../src/core/template-render.ts';

const full = {
  contact: { name: 'Carla Cliente', email: 'carla@customer.example' },
  conversationNumber: 42,
  subject: 'Order 1234 never arrived',
  inboxName: 'Acme Support',
  teammateName: 'Ana Lima',
};

describe('renderTemplate', () => {
  it('fills every variable from the context', () => {
    const body = TEMPLATE_VARIABLES.map((v) => `${v}=[{{${v}}}]`).join('\n');
    expect(renderTemplate(body, full).split('\n')).toEqual([
      'first_name=[Carla]',
      'last_name=[Cliente]',
      'full_name=[Carla Cliente]',
      'email=[carla@customer.example]',
      'conversation_number=[42]',
      'subject=[Order 1234 never arrived]',
      'inbox_name=[Acme Support]',
      'teammate_name=[Ana Lima]',
      'teammate_first_name=[Ana]',
    ]);
  });

  it('accepts spaces and any case inside the braces', () => {
    expect(renderTemplate('Hi {{ First_Name }}, about #{{conversation_number }}', full)).toBe('Hi Carla, about #42');
  });

  it('gives sensible fallbacks for missing values, never "undefined" or "null"', () => {
    const body = TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join('|');
    const out = renderTemplate(body, {});
    expect(out).not.toMatch(/undefined|null|\{\{/);
    expect(out.split('|')).toEqual(['there', '', 'there', '', '', '', 'our team', 'The team', 'The team']);
    // A nameless contact is greeted generically; the full name falls back to the address.
    expect(renderTemplate('Hi {{first_name}} ({{full_name}})', { contact: { name: '', email: 'x@y.example' } })).toBe('Hi there (x@y.example)');
    // The teammate falls back to the inbox.
    expect(renderTemplate('{{teammate_name}}', { inboxName: 'Sales' })).toBe('Sales');
  });

  it('uses a fallback written in the template', () => {
    expect(renderTemplate('Hi {{first_name|friend}}!', {})).toBe('Hi friend!');
    expect(renderTemplate('Hi {{first_name | dear customer }}!', {})).toBe('Hi dear customer!');
    expect(renderTemplate('Hi {{first_name|friend}}!', full)).toBe('Hi Carla!');
  });

  it('keeps placeholders whose value is not known yet when asked to', () => {
    const out = renderTemplate('Hi {{first_name}}, ticket #{{conversation_number}}', { contact: { name: 'Bo Berg' } }, { missing: 'keep' });
    expect(out).toBe('Hi Bo, ticket #{{conversation_number}}');
    // …and fills them later.
    expect(renderTemplate(out, { conversationNumber: 7 })).toBe('Hi Bo, ticket #7');
  });

  it('leaves unknown variables and stray braces as typed', () => {
    expect(renderTemplate('{{frist_name}} {{ 1abc }} {single} {{}}', full)).toBe('{{frist_name}} {{ 1abc }} {single} {{}}');
    expect(unknownVariables('Hi {{frist_name}}, {{email}} {{Order_Id}}')).toEqual(['frist_name', 'Order_Id']);
  });

  it('does not read replacement patterns in values', () => {
    const out = renderTemplate('Hi {{first_name}}', { contact: { name: "Jo$&$' Smith" } });
    expect(out).toBe("Hi Jo$&$'");
    expect(renderTemplate('{{subject}}', { subject: "50% off $` now" })).toBe("50% off $` now");
  });

  it('puts a multi-line value on one line', () => {
    expect(renderTemplate('Re: {{subject}}', { subject: 'a\n  b\tc' })).toBe('Re: a b c');
  });
});

describe('splitPersonName', () => {
  it.each([
    ['Carla Cliente', 'Carla', 'Cliente'],
    ['"Carla Cliente"', 'Carla', 'Cliente'],
    ['Cliente, Carla', 'Carla', 'Cliente'],
    ['Dr. Jane van Doe', 'Jane', 'Doe'],
    ['Ana Lima (Acme Support)', 'Ana', 'Lima'],
    ['Prince', 'Prince', ''],
    ['José  Núñez', 'José', 'Núñez'],
  ])('%s → %s / %s', (name, first, last) => {
    expect(splitPersonName(name)).toMatchObject({ first, last });
  });

  it('gives nothing for an address or a name without letters', () => {
    expect(splitPersonName('support@acme.example')).toEqual({ first: '', last: '', full: '' });
    expect(splitPersonName('  ')).toEqual({ first: '', last: '', full: '' });
    expect(splitPersonName('1234')).toEqual({ first: '', last: '', full: '' });
  });

  it('templateValues leaves out what is empty', () => {
    expect(templateValues({ contact: { name: '', email: '' }, conversationNumber: 0 })).toEqual({});
  });
});
