import { describe, expect, it } from 'vitest';
import { usernameForSlack } from '../../src/core/slack-text.ts';

describe('usernameForSlack (regression: a sender named "<!channel> Eve")', () => {
  it('keeps the name readable but never a Slack token', () => {
    const out = usernameForSlack('<!channel> Eve\r\n@here');
    expect(out).not.toMatch(/[<>\r\n]/);
    expect(out).not.toMatch(/@here/);
    expect(out).toContain('!channel');
    expect(out).toContain('Eve');
  });
});
