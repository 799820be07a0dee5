import { describe, expect, it } from 'vitest';
import { foldText, SearchIndex, searchTokens, type IndexSource } from './search-index.ts';
import type { LibraryQuery } from '../../messaging/library-wire.ts';

const source = (id: string, name: string, extra: Partial<IndexSource> = {}): IndexSource => ({
  id, name, sortName: name.toLowerCase(), tags: [], creator: '', excerpt: '', world: '', bookEntries: 0, createdAt: 0, updatedAt: 0, ...extra,
});
const q = (patch: Partial<LibraryQuery>): LibraryQuery => ({ search: '', tag: null, sort: 'name', direction: 'asc', offset: 0, limit: 100, ...patch });

describe('SearchIndex', () => {
  it('folds case and accents, and splits words', () => {
    expect(foldText('Séraphina ÉLAN')).toBe('seraphina elan');
    expect(searchTokens('  Dark   Elf ')).toEqual(['dark', 'elf']);
  });

  it('gives the same answer typing on as searching afresh, whatever the sort or tag in between', () => {
    const index = new SearchIndex();
    const words = ['amber', 'ember', 'umbra', 'member', 'ambler', 'timber'];
    index.reset(Array.from({ length: 600 }, (_, i) => source(`c${i}`, `${words[i % 6]} ${i}`, { tags: i % 3 === 0 ? ['Fantasy'] : ['sea'], updatedAt: 600 - i })));
    const fresh = (query: LibraryQuery) => {
      const other = new SearchIndex();
      other.reset(Array.from({ length: 600 }, (_, i) => source(`c${i}`, `${words[i % 6]} ${i}`, { tags: i % 3 === 0 ? ['Fantasy'] : ['sea'], updatedAt: 600 - i })));
      return other.query(query);
    };
    for (const query of [q({ search: 'm' }), q({ search: 'mb' }), q({ search: 'mbe' }), q({ search: 'mbe', sort: 'updated' }), q({ search: 'mber', tag: 'fantasy' }), q({ search: 'mb', tag: 'fantasy' }), q({ search: 'mber 1' })]) {
      expect(index.query(query), JSON.stringify(query)).toEqual(fresh(query));
    }
  });

  it('pages both ways and follows upserts and removals', () => {
    const index = new SearchIndex();
    index.reset([source('a', 'Ann'), source('b', 'bo'), source('c', 'Cy')]);
    expect(index.query(q({ direction: 'desc', limit: 2 }))).toEqual({ total: 3, ids: ['c', 'b'] });
    expect(index.query(q({ offset: 2 }))).toEqual({ total: 3, ids: ['c'] });
    index.upsert(source('b', 'Zed'));
    index.remove('a');
    expect(index.query(q({})).ids).toEqual(['c', 'b']);
    expect(index.items(['b', 'missing'])).toEqual([expect.objectContaining({ id: 'b', name: 'Zed' })]);
  });
});
