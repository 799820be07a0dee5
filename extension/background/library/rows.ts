/**
 * The rows the library treats as present (neither gone nor waiting out a delete's undo window), the
 * one "not found" every part throws for them, and the list item a row shows as. Kept apart so
 * listing, editing, lorebooks, export and delete read rows the same way.
 */
import type * as Y from 'yjs';
import type { CharacterRow, LorebookRow, TroupeDb } from '../db/database.ts';
import type { LibraryItem } from '../../messaging/library-wire.ts';
import type { DocKind } from './doc-store.ts';
import { LibraryError } from './errors.ts';

export function notFound(): LibraryError {
  return new LibraryError('character/not-found', 'That character no longer exists in your library.');
}

/** Row `id` of `kind`; throws the kind's not-found error when it is gone or hidden by a delete. */
export async function liveRow(db: TroupeDb, kind: DocKind, id: string): Promise<CharacterRow | LorebookRow> {
  const row = kind === 'character' ? await db.characters.get(id) : await db.lorebooks.get(id);
  if (!row || row.deletedAt !== undefined) {
    throw kind === 'character' ? notFound() : new LibraryError('lorebook/not-found', 'That lorebook no longer exists in your library.');
  }
  return row;
}

export async function liveCharacter(db: TroupeDb, id: string): Promise<CharacterRow> {
  return (await liveRow(db, 'character', id)) as CharacterRow;
}

/** What a list shows of a character, with its thumbnail (a data URL) or null. */
export function toItem(row: CharacterRow, avatar: string | null): LibraryItem {
  return {
    id: row.id,
    name: row.name,
    excerpt: row.excerpt,
    tags: row.tags,
    creator: row.creator,
    avatar,
    world: row.world,
    bookEntries: row.bookEntries,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Reads a freshly loaded doc and destroys it, whatever `read` does. */
export function withDoc<T>(doc: Y.Doc, read: (doc: Y.Doc) => T): T {
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}
