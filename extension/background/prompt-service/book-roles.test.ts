import { describe, expect, it } from 'vitest';
import { bookRoles } from './book-roles.ts';

describe('bookRoles', () => {
  it('lists each book once, global before chat before the card\'s world, as SillyTavern skips repeats', () => {
    expect(bookRoles(['g', 'g'], ['c', 'g', 'w'], 'w')).toEqual([
      { id: 'g', source: 'global' }, { id: 'c', source: 'chat' }, { id: 'w', source: 'chat' },
    ]);
    expect(bookRoles([], ['c'], 'w')).toEqual([{ id: 'c', source: 'chat' }, { id: 'w', source: 'character' }]);
    expect(bookRoles([], [], null)).toEqual([]);
  });
});
