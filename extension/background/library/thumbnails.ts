/**
 * List thumbnails, a derived cache of each character's avatar. Imports store them as pending (decoding
 * avatars would slow an import down); they are made here once imports have been quiet for a moment,
 * a chunk per transaction. Edits that move an avatar remake one at once (`refresh`).
 */
import type { ThumbRow } from '../db/database.ts';
import { THUMB_FILL_CHUNK, THUMB_FILL_DELAY_MS, THUMB_VERSION } from '../../messaging/limits/library.ts';
import { reportUnlessClosed, type LibraryContext } from './context.ts';
import { makeThumb } from './prepare.ts';

export class Thumbnails {
  private importsRunning = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private filling: Promise<number> | null = null;

  constructor(private readonly ctx: LibraryContext) {}

  /** An import batch started: pending thumbnails wait until every batch has ended. */
  importStarted(): void {
    this.importsRunning++;
  }

  importEnded(): void {
    this.importsRunning--;
    this.schedule();
  }

  /** Makes the thumbnail match the row's avatar (a derived cache, so it may follow in its own transaction). */
  async refresh(characterId: string): Promise<void> {
    const { db, images } = this.ctx;
    const row = await db.characters.get(characterId);
    const avatar = row?.avatarAssetId ? await db.assets.get(row.avatarAssetId) : undefined;
    const thumb = avatar ? await makeThumb(characterId, avatar, images) : null;
    if (thumb) await db.thumbs.put(thumb);
    else await db.thumbs.delete(characterId);
    this.ctx.thumbnailsChanged([characterId]);
  }

  /** Makes pending thumbnails once imports have been quiet for THUMB_FILL_DELAY_MS. */
  schedule(): void {
    if (!this.ctx.images) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fill().catch(reportUnlessClosed('could not make thumbnails'));
    }, THUMB_FILL_DELAY_MS);
  }

  /**
   * Makes every pending thumbnail (imported avatars, schema-1 carry-overs), a chunk per transaction,
   * telling listeners after each chunk so lists show avatars as they come. Steps aside when an import
   * starts. Returns how many were made; one run at a time.
   */
  fill(): Promise<number> {
    // Cleared once settled, never from inside the run: a run that steps aside at once would finish
    // before it is stored, and then stand in for every later run.
    this.filling ??= this.fillPending().finally(() => { this.filling = null; });
    return this.filling;
  }

  private async fillPending(): Promise<number> {
    const { db, images } = this.ctx;
    let made = 0;
    while (images && this.importsRunning === 0) {
      const ids = await db.thumbs.where('version').below(THUMB_VERSION).limit(THUMB_FILL_CHUNK).primaryKeys();
      if (ids.length === 0) break;
      const thumbs: ThumbRow[] = [];
      for (const id of ids) {
        // An import that starts mid-chunk gets the machine at once: what is made so far is kept.
        if (this.importsRunning > 0) break;
        const row = await db.characters.get(id);
        const avatar = row?.avatarAssetId ? await db.assets.get(row.avatarAssetId) : undefined;
        // An image that does not decode is settled without a thumbnail, never retried forever.
        thumbs.push((avatar ? await makeThumb(id, avatar, images) : null) ?? { id, dataUrl: '', version: THUMB_VERSION });
      }
      if (thumbs.length === 0) break;
      const done = ids.slice(0, thumbs.length);
      await db.transaction('rw', db.thumbs, async () => {
        const still = await db.thumbs.bulkGet(done);
        await db.thumbs.bulkPut(thumbs.filter((_, i) => still[i] !== undefined && still[i]!.version < THUMB_VERSION));
      });
      this.ctx.thumbnailsChanged(done);
      made += thumbs.length;
      this.ctx.changed();
    }
    if (this.importsRunning > 0) this.schedule();
    return made;
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
