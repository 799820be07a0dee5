import { describe, expect, it } from 'vitest';
import { originPattern, parseStAddress, StAddressError } from './sillytavern-address.ts';

describe('parseStAddress', () => {
  it.each([
    ['http://127.0.0.1:8000/', 'http://127.0.0.1:8000'],
    ['127.0.0.1:8000', 'http://127.0.0.1:8000'],
    ['  localhost:8000/tavern/ ', 'http://localhost:8000/tavern'],
    ['https://st.example.com', 'https://st.example.com'],
  ])('%s -> %s', (typed, expected) => {
    expect(parseStAddress(typed)).toBe(expected);
  });

  it.each(['', '   ', 'ftp://host/', 'http://user:pw@host/', 'http://host/?q=1'])('refuses %j with st/bad-url', (typed) => {
    expect(() => parseStAddress(typed)).toThrow(StAddressError);
    try {
      parseStAddress(typed);
    } catch (error) {
      expect((error as StAddressError).code).toBe('st/bad-url');
    }
  });
});

describe('originPattern', () => {
  it.each([
    ['http://127.0.0.1:8000', 'http://127.0.0.1/*'],
    ['https://st.example.com/tavern', 'https://st.example.com/*'],
    ['http://[::1]:8000', 'http://[::1]/*'],
  ])('%s needs %s', (url, pattern) => {
    expect(originPattern(url)).toBe(pattern);
  });
});
