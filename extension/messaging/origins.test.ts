import { describe, expect, it } from 'vitest';
import { extraMatchPatterns, originToMatchPattern } from './origins.ts';

describe('originToMatchPattern', () => {
  it.each([
    ['chat.example.com', 'https://chat.example.com/*'],
    ['https://chat.example.com/#/chat', 'https://chat.example.com/*'],
    ['http://192.0.2.7:3000', 'http://192.0.2.7/*'],
    ['  HTTPS://Chat.Example.com  ', 'https://chat.example.com/*'],
  ])('%s -> %s', (input, pattern) => {
    expect(originToMatchPattern(input)).toBe(pattern);
  });

  it.each([
    ['', /Enter the address/],
    ['ftp://files.example.com', /Only http and https/],
    ['http://', /not a web address/],
    ['https://exa mple.com', /not a web address/],
  ])('refuses %j', (input, message) => {
    expect(() => originToMatchPattern(input)).toThrowError(message);
  });
});

describe('extraMatchPatterns', () => {
  it('keeps enabled, still-granted host patterns; drops defaults, wildcards, duplicates and revoked ones', () => {
    const granted = ['http://localhost/*', 'https://a.example/*', 'https://b.example/*', 'https://*/*', 'http://st.example/*'];
    expect(extraMatchPatterns(['http://localhost/*', 'https://b.example/*', 'https://*/*', 'https://a.example/*', 'https://b.example/*', 'https://revoked.example/*'], granted))
      .toEqual(['https://a.example/*', 'https://b.example/*']);
  });
});
