// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { THUMB_FILL_DELAY_MS, THUMB_PENDING } from '../../messaging/limits/library.ts';
import { FIXTURES, parseFixture, testLibrary, type TestLibrary } from './test-support.ts';
import { Thumbnails } from './thumbnails.ts';
import type { LibraryContext } from './context.ts';

let t: TestLibrary;
beforeEach(() => { t = testLibrary(); });
afterEach(async () => {
  vi.useRealTimers();
  await t.close();
});

/** Imports Seraphina (her avatar's thumbnail is left pending) and a Thumbnails on the same database. */
async function pendingThumbnail() {
  const [result] = await t.library.importParsed([{ label: 's.png', parsed: parseFixture(FIXTURES.seraphina) }]);
  if (!result?.ok) throw new Error('import');
  expect(await t.db.thumbs.get(result.id)).toMatchObject({ version: THUMB_PENDING });
  const told = { changed: 0, thumbnails: [] as string[] };
  const ctx: LibraryContext = {
    db: t.db,
    images: { thumbnail: async () => 'data:image/webp;base64,AA==', toPng: async () => null },
    now: () => t.clock.now,
    indexed: () => undefined,
    thumbnailsChanged: (ids) => told.thumbnails.push(...ids),
    changed: () => { told.changed++; },
  };
  return { id: result.id, thumbnails: new Thumbnails(ctx), told };
}

describe('Thumbnails', () => {
  it('steps aside while an import runs, and makes the thumbnail once it has ended', async () => {
    const { id, thumbnails, told } = await pendingThumbnail();
    thumbnails.importStarted();
    expect(await thumbnails.fill()).toBe(0);
    thumbnails.importEnded();
    thumbnails.dispose();
    // A run that stepped aside at once must not stand in for the next one.
    expect(await thumbnails.fill()).toBe(1);
    expect(await t.db.thumbs.get(id)).toEqual({ id, dataUrl: 'data:image/webp;base64,AA==', version: 1 });
    expect(told).toEqual({ changed: 1, thumbnails: [id] });
  });

  it('makes pending thumbnails once imports have been quiet for THUMB_FILL_DELAY_MS', async () => {
    const { id, thumbnails } = await pendingThumbnail();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    thumbnails.importStarted();
    thumbnails.importEnded();
    thumbnails.importStarted();
    thumbnails.importEnded();
    vi.advanceTimersByTime(THUMB_FILL_DELAY_MS - 1);
    expect(await t.db.thumbs.get(id)).toMatchObject({ version: THUMB_PENDING });
    vi.advanceTimersByTime(1);
    vi.useRealTimers();
    await vi.waitFor(async () => expect(await t.db.thumbs.get(id)).toMatchObject({ version: 1 }));
  });

  it('remakes one thumbnail at once and tells the lists', async () => {
    const { id, thumbnails, told } = await pendingThumbnail();
    await thumbnails.refresh(id);
    expect(await t.db.thumbs.get(id)).toMatchObject({ version: 1 });
    await t.db.characters.update(id, { avatarAssetId: null });
    await thumbnails.refresh(id);
    expect(await t.db.thumbs.get(id)).toBeUndefined();
    expect(told.thumbnails).toEqual([id, id]);
  });
});
