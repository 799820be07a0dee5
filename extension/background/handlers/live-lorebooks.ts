import type { TroupeDb } from '../db/database.ts';
import { libraryFor } from '../library/library.ts';

/**
 * The ids of `ids` still in the library, in order. Settings that bind books drop gone ones on write, so a
 * book deleted elsewhere (or on another device) cannot keep a panel from saving its other choices.
 */
export async function liveLorebookIds(db: TroupeDb, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const versions = await libraryFor(db).lorebookVersions(ids);
  return ids.filter((_id, i) => versions[i] !== null);
}
