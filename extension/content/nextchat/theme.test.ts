import { describe, expect, it, vi } from 'vitest';
import { followTheme, nextChatTheme, type Theme } from './theme.ts';

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

/** A window whose system colour scheme the test sets. */
function systemScheme(dark: boolean) {
  const media = new EventTarget() as EventTarget & { matches: boolean };
  media.matches = dark;
  return {
    view: { matchMedia: () => media as unknown as MediaQueryList },
    set(next: boolean) {
      media.matches = next;
      media.dispatchEvent(new Event('change'));
    },
  };
}

describe('followTheme', () => {
  it('follows NextChat\'s setting on <body>, and the system\'s scheme while NextChat is on auto, until aborted', async () => {
    const doc = document.implementation.createHTMLDocument('nextchat');
    const system = systemScheme(false);
    const seen: Theme[] = [];
    const abort = new AbortController();
    followTheme(doc, system.view, (theme) => seen.push(theme), abort.signal);
    expect(seen).toEqual(['light']);
    doc.body.classList.add('dark');
    await vi.waitFor(() => expect(seen).toEqual(['light', 'dark']));
    doc.body.classList.replace('dark', 'light');
    await vi.waitFor(() => expect(seen).toEqual(['light', 'dark', 'light']));
    doc.body.classList.remove('light');
    system.set(true);
    await vi.waitFor(() => expect(seen).toEqual(['light', 'dark', 'light', 'dark']));
    abort.abort();
    system.set(false);
    expect(seen).toHaveLength(4);
  });
});
