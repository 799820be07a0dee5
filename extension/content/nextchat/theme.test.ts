import { describe, expect, it } from 'vitest';
import { nextChatTheme } from './theme.ts';

describe('nextChatTheme', () => {
  it.each([
    ['dark', false, 'dark'],
    ['light', true, 'light'],
    ['', true, 'dark'],
    ['', false, 'light'],
  ] as const)('body class "%s", system dark %s -> %s', (cls, prefersDark, expected) => {
    const doc = document.implementation.createHTMLDocument('t');
    if (cls) doc.body.classList.add(cls);
    expect(nextChatTheme(doc, prefersDark)).toBe(expected);
  });
});
