/** The library as pack matching reads it (match-items.ts): live characters and lorebooks, by id and by name. */
import type { TroupeDb } from '../db/database.ts';
import type { Library } from '../library/library.ts';
import { findLorebook } from '../library/lorebooks.ts';
import type { LibraryLookup } from './match-items.ts';

export function libraryLookup(db: TroupeDb, library: Library): LibraryLookup {
  return {
    async character(id) {
      const card = await library.readCard(id);
      if (!card) return null;
      const rows = await library.assetsOf(id);
      return { card, assets: await Promise.all(rows.map(async (row) => ({ uri: row.uri, bytes: new Uint8Array(await row.blob.arrayBuffer()) }))) };
    },
    async characterNamed(name) {
      const rows = await db.characters.where('sortName').equals(name.toLowerCase()).toArray();
      return rows.filter((row) => row.deletedAt === undefined).sort((a, b) => b.updatedAt - a.updatedAt)[0]?.id ?? null;
    },
    lorebook: (id) => library.readLorebook(id),
    async lorebookNamed(name) {
      return (await findLorebook(db, name))?.id ?? null;
    },
  };
}
