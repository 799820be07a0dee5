import { describe, expect, it } from 'vitest';
import type { LorebookEntry } from '@troupe/shared/cards';
import { applyEntryDraft, entryDraft, entryLabel } from './entry-draft.ts';
import { patchOf } from './CharacterEditor.tsx';

const entry: LorebookEntry = {
  keys: ['forest', 'glade'], content: 'Old magic.', extensions: { position: 1, depth: 4, probability: 100, selectiveLogic: 0, sticky: 2 },
  enabled: true, insertion_order: 100, use_regex: true, comment: 'glade', secondary_keys: [], selective: false, constant: false, id: 3, name: 'kept',
};

describe('lorebook entry form', () => {
  it('shows an entry with SillyTavern defaults where it says nothing', () => {
    expect(entryDraft(null)).toMatchObject({ keys: '', enabled: true, order: 100, position: 0, depth: 4, probability: 100, selectiveLogic: 0 });
    expect(entryDraft(entry)).toMatchObject({ keys: 'forest\nglade', position: 1, comment: 'glade' });
  });

  it('writes the form back, keeping every field it does not show', () => {
    const next = applyEntryDraft(entry, { ...entryDraft(entry), keys: 'forest\n\n /regex/i ', secondaryKeys: 'night', selectiveLogic: 3, position: 4, depth: 2, probability: 60, content: 'New.' });
    expect(next).toMatchObject({ keys: ['forest', '/regex/i'], secondary_keys: ['night'], selective: true, position: 'after_char', content: 'New.', id: 3, name: 'kept' });
    expect(next.extensions).toEqual({ position: 4, depth: 2, probability: 60, selectiveLogic: 3, sticky: 2 });
    expect(applyEntryDraft(entry, { ...entryDraft(entry), position: 0 }).position).toBe('before_char');
  });

  it('names an entry by its comment, else its keys', () => {
    expect(entryLabel(entry, 0)).toBe('glade');
    expect(entryLabel({ ...entry, comment: '' }, 0)).toBe('forest, glade');
    expect(entryLabel({ ...entry, comment: '', keys: [] }, 4)).toBe('#5');
  });
});

describe('character editor', () => {
  it('sends only what changed', () => {
    const base = {
      name: 'Mira', nickname: '', description: 'd', personality: '', scenario: '', first_mes: '', alternate_greetings: ['a'], group_only_greetings: [],
      mes_example: '', system_prompt: '', post_history_instructions: '', creator_notes: '', creator_notes_multilingual: [] as [string, string][],
      tags: 'x, y', creator: '', character_version: '', source: [], world: '',
    };
    expect(patchOf(base, { ...base })).toEqual({});
    expect(patchOf(base, { ...base, name: 'Mira B', alternate_greetings: ['a', 'b'], tags: 'x, , z', creator_notes_multilingual: [['fr', 'Bonjour'], [' ', 'dropped']] }))
      .toEqual({ name: 'Mira B', alternate_greetings: ['a', 'b'], tags: ['x', 'z'], creator_notes_multilingual: { fr: 'Bonjour' } });
  });
});
