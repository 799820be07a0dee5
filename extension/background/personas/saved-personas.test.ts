import { describe, expect, it } from 'vitest';
import { PersonaError, readSavedPersonas, withoutPersona, withSavedPersona } from './saved-personas.ts';
import { resolvePersona, type SavedPersona } from '../../messaging/personas.ts';
import { MAX_SAVED_PERSONAS } from '../../messaging/limits/persona.ts';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const ann: SavedPersona = { id: 'p-ann', name: 'Ann', description: 'A sailor.', avatar: PNG, updatedAt: 1 };
let counter = 0;
const newId = () => `p-${++counter}`;

describe('readSavedPersonas', () => {
  it('keeps well-formed personas and skips the rest, whatever was stored', () => {
    const stored = { format: 1, personas: [
      ann,
      { ...ann, id: 'p-ann', name: 'Duplicate id' },
      { id: 'p-svg', name: 'Svg', description: '', avatar: 'data:image/svg+xml;base64,PHN2Zz4=', updatedAt: 1 },
      { id: '', name: 'No id', description: '', avatar: null, updatedAt: 1 },
      { id: 'p-bo', name: 'Bo', description: 'A baker.', avatar: null, updatedAt: 2 },
      'junk', null,
    ] };
    expect(readSavedPersonas(stored).map((p) => p.id)).toEqual(['p-ann', 'p-bo']);
    expect(readSavedPersonas({ format: 2, personas: [ann] })).toEqual([]);
    expect(readSavedPersonas(undefined)).toEqual([]);
  });
});

describe('withSavedPersona', () => {
  it('creates a persona with a new id, sorted by name, and updates one keeping its avatar unless told otherwise', () => {
    const created = withSavedPersona([ann], { id: null, name: '  Bo ', description: 'A baker.' }, 5, newId);
    expect(created.saved).toMatchObject({ name: 'Bo', description: 'A baker.', avatar: null, updatedAt: 5 });
    expect(created.personas.map((p) => p.name)).toEqual(['Ann', 'Bo']);

    const edited = withSavedPersona(created.personas, { id: 'p-ann', name: 'Ann', description: 'Mends nets.' }, 6, newId);
    expect(edited.saved).toEqual({ id: 'p-ann', name: 'Ann', description: 'Mends nets.', avatar: PNG, updatedAt: 6 });
    expect(edited.personas).toHaveLength(2);
    expect(withSavedPersona(edited.personas, { id: 'p-ann', name: 'Ann', description: '', avatar: null }, 7, newId).saved.avatar).toBeNull();
  });

  it('refuses a nameless persona, a deleted one, a non-image avatar and one too many', () => {
    const code = (run: () => unknown) => { try { run(); } catch (error) { return (error as PersonaError).code; } return 'no error'; };
    expect(code(() => withSavedPersona([], { id: null, name: '   ', description: '' }, 1, newId))).toBe('persona/no-name');
    expect(code(() => withSavedPersona([ann], { id: 'p-gone', name: 'X', description: '' }, 1, newId))).toBe('persona/not-found');
    expect(code(() => withSavedPersona([], { id: null, name: 'X', description: '', avatar: 'data:image/svg+xml;base64,PHN2Zz4=' }, 1, newId))).toBe('persona/not-an-image');
    const full = Array.from({ length: MAX_SAVED_PERSONAS }, (_, i) => ({ ...ann, id: `p${i}` }));
    expect(code(() => withSavedPersona(full, { id: null, name: 'One more', description: '' }, 1, newId))).toBe('persona/too-many');
    // Editing still works at the limit.
    expect(withSavedPersona(full, { id: 'p0', name: 'Edited', description: '' }, 1, newId).personas).toHaveLength(MAX_SAVED_PERSONAS);
  });
});

describe('resolvePersona', () => {
  it('follows the saved persona by id, and falls back to the chat\'s copy once it is deleted', () => {
    const copy = { id: 'p-ann', name: 'Ann (old)', description: 'Old text.' };
    expect(resolvePersona(copy, [ann])).toEqual({ id: 'p-ann', name: 'Ann', description: 'A sailor.' });
    expect(resolvePersona(copy, withoutPersona([ann], 'p-ann'))).toBe(copy);
    const own = { name: 'Cy', description: '' };
    expect(resolvePersona(own, [ann])).toBe(own);
  });
});
