import { afterEach, describe, expect, it } from 'vitest';
import { openTroupeDb, type TroupeDb } from './database.ts';
import { onTableWrites } from './table-writes.ts';

let db: TroupeDb | null = null;
afterEach(async () => { await db?.delete(); db = null; });

const row = (id: string, updatedAt: number) => ({ id, name: id, updatedAt }) as unknown as Parameters<TroupeDb['characters']['put']>[0];

describe('onTableWrites', () => {
  it('reports committed writes to the watched tables only, including clear()', async () => {
    db = openTroupeDb(`table-writes-${Math.random()}`);
    // Opening (creating) a database reports every table once; only later writes matter here.
    await db.open();
    const seen: string[] = [];
    const stop = onTableWrites(db, ['characters'], () => seen.push('characters'));
    await db.chats.put({ chatKey: 'o#1', characterId: null, updatedAt: 1 });
    expect(seen).toEqual([]);
    await db.characters.put(row('a', 1));
    expect(seen).toEqual(['characters']);
    await db.characters.clear();
    expect(seen).toEqual(['characters', 'characters']);
    stop();
    await db.characters.put(row('b', 2));
    expect(seen).toHaveLength(2);
  });
});
