import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { isSectionOpen, openSectionsOf, panelSectionsItem, saveSectionOpen } from './section-state.ts';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('openSectionsOf', () => {
  it('keeps boolean entries and drops anything else', () => {
    expect(openSectionsOf({ open: { persona: true, 'author-note': false, odd: 'yes', n: 1, nil: null } })).toEqual({ persona: true, 'author-note': false });
  });

  it('reads an absent, malformed or foreign value as no choice at all', () => {
    for (const stored of [undefined, null, 7, 'open', [], { open: null }, { open: [true] }, { open: 'persona' }, { other: {} }]) {
      expect(openSectionsOf(stored), JSON.stringify(stored)).toEqual({});
    }
  });
});

describe('isSectionOpen', () => {
  it('follows the user\'s choice, else the default (closed when none is given)', () => {
    const open = { persona: true, 'active-character': false };
    expect(isSectionOpen(open, { id: 'persona' })).toBe(true);
    expect(isSectionOpen(open, { id: 'active-character', defaultOpen: true })).toBe(false);
    expect(isSectionOpen(open, { id: 'greeting', defaultOpen: true })).toBe(true);
    expect(isSectionOpen(open, { id: 'chat-lore' })).toBe(false);
  });

  it('always shows a section that does not collapse', () => {
    expect(isSectionOpen({ 'status-line': false }, { id: 'status-line', collapsible: false })).toBe(true);
  });

  it('is not fooled by ids that are Object properties', () => {
    expect(isSectionOpen({}, { id: 'constructor' })).toBe(false);
    expect(isSectionOpen({}, { id: 'toString', defaultOpen: true })).toBe(true);
  });
});

describe('saveSectionOpen', () => {
  it('adds one choice to what is stored, keeping ids this build does not know', async () => {
    await panelSectionsItem.setValue({ open: { 'from-a-newer-build': true, persona: true } });
    await expect(saveSectionOpen('persona', false)).resolves.toEqual({ 'from-a-newer-build': true, persona: false });
    expect(await panelSectionsItem.getValue()).toEqual({ open: { 'from-a-newer-build': true, persona: false } });
  });

  it('replaces a malformed stored value instead of failing', async () => {
    await fakeBrowser.storage.local.set({ 'panel.sections': { open: [1, 2] } });
    await saveSectionOpen('greeting', false);
    expect(await panelSectionsItem.getValue()).toEqual({ open: { greeting: false } });
  });

  it('stores in storage.local (the extension\'s, shared by every NextChat origin)', async () => {
    await saveSectionOpen('persona', true);
    expect(await fakeBrowser.storage.local.get('panel.sections')).toEqual({ 'panel.sections': { open: { persona: true } } });
  });
});
