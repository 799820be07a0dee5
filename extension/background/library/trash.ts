/**
 * Delete with undo: an item is hidden at once and deleted for good (row, doc updates, blobs,
 * thumbnail, plus the tombstone sync carries) only once its undo window has passed. The expiry
 * timer lives here; a waking background purges what expired while it slept.
 */
import { UNDO_WINDOW_MS, PURGE_GRACE_MS } from '../../messaging/limits/library.ts';
import type { CharacterRow } from '../db/database.ts';
import { reportUnlessClosed, type LibraryContext } from './context.ts';
import { deleteDocUpdates, updatesTable, type DocKind } from './doc-store.ts';
import { LibraryError } from './errors.ts';
import { liveRow } from './rows.ts';

export class Trash {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly ctx: LibraryContext) {}

  /**
   * Hides a character or lorebook at once; after UNDO_WINDOW_MS one transaction deletes it for real
   * (row, doc updates, blobs) and records a tombstone. Until then `undoRemove` brings it back as it was.
   */
  async remove(kind: DocKind, id: string): Promise<{ undoUntil: number }> {
    const { db } = this.ctx;
    const now = this.ctx.now();
    const table = kind === 'character' ? db.characters : db.lorebooks;
    await db.transaction('rw', table, async () => {
      await liveRow(db, kind, id);
      await table.update(id, { deletedAt: now });
    });
    if (kind === 'character') this.ctx.indexed(id, null);
    this.schedule();
    this.ctx.changed();
    return { undoUntil: now + UNDO_WINDOW_MS };
  }

  /** Brings back an item hidden by `remove`, as long as it has not been purged. */
  async undoRemove(kind: DocKind, id: string): Promise<void> {
    const { db } = this.ctx;
    const table = kind === 'character' ? db.characters : db.lorebooks;
    const row = await db.transaction('rw', table, async () => {
      const found = await table.get(id);
      if (!found || found.deletedAt === undefined) throw new LibraryError('undo/expired', 'It is too late to undo: that item was deleted for good.');
      await table.update(id, { deletedAt: undefined });
      return table.get(id);
    });
    if (kind === 'character' && row) this.ctx.indexed(id, row as CharacterRow);
    this.ctx.changed();
  }

  /** Deletes for good everything whose undo window has passed; returns how many. */
  async purgeExpired(): Promise<number> {
    const { db } = this.ctx;
    const cutoff = this.ctx.now() - UNDO_WINDOW_MS;
    const [characters, lorebooks] = await Promise.all([
      db.characters.where('deletedAt').belowOrEqual(cutoff).primaryKeys(),
      db.lorebooks.where('deletedAt').belowOrEqual(cutoff).primaryKeys(),
    ]);
    for (const id of characters) await this.purge('character', id);
    for (const id of lorebooks) await this.purge('lorebook', id);
    if (db.isOpen()) {
      const waiting = (await db.characters.where('deletedAt').above(cutoff).count()) + (await db.lorebooks.where('deletedAt').above(cutoff).count());
      if (waiting > 0) this.schedule();
    }
    return characters.length + lorebooks.length;
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The one recorded delete: row, doc updates, blobs and thumbnail go, a tombstone stays. */
  private async purge(kind: DocKind, id: string): Promise<void> {
    const { db } = this.ctx;
    const now = this.ctx.now();
    const table = kind === 'character' ? db.characters : db.lorebooks;
    await db.transaction('rw', [table, updatesTable(db, kind), db.assets, db.thumbs, db.tombstones], async () => {
      const row = await table.get(id);
      if (!row || row.deletedAt === undefined) return; // undone meanwhile
      await table.delete(id);
      await deleteDocUpdates(db, kind, id);
      if (kind === 'character') {
        await db.assets.where('characterId').equals(id).delete();
        await db.thumbs.delete(id);
      }
      await db.tombstones.put({ id, kind, deletedAt: now });
    });
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.purgeExpired().catch(reportUnlessClosed('could not purge deleted items'));
    }, UNDO_WINDOW_MS + PURGE_GRACE_MS);
  }
}
