// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PURGE_GRACE_MS, UNDO_WINDOW_MS } from '../../messaging/limits/library.ts';
import { FIXTURES, parseFixture, testLibrary, type TestLibrary } from './test-support.ts';

let t: TestLibrary;
beforeEach(() => { t = testLibrary(); });
afterEach(async () => {
  vi.useRealTimers();
  await t.close();
});

describe('delete with undo: the expiry timer', () => {
  it('purges a hidden character once its undo window (and the grace after it) has passed', async () => {
    const [result] = await t.library.importParsed([{ label: 's.png', parsed: parseFixture(FIXTURES.seraphina) }]);
    if (!result?.ok) throw new Error('import');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await t.library.remove('character', result.id);
    t.clock.now += UNDO_WINDOW_MS + PURGE_GRACE_MS;
    vi.advanceTimersByTime(UNDO_WINDOW_MS + PURGE_GRACE_MS);
    vi.useRealTimers();
    await vi.waitFor(async () => expect(await t.db.tombstones.get(result.id)).toMatchObject({ kind: 'character' }));
    expect(await t.db.characters.get(result.id)).toBeUndefined();
    expect(await t.db.assets.where('characterId').equals(result.id).count()).toBe(0);
  });

  it('keeps an item that was brought back before the timer ran', async () => {
    const book = await t.library.createLorebook('Coast');
    await t.library.remove('lorebook', book.id);
    await t.library.undoRemove('lorebook', book.id);
    t.clock.now += UNDO_WINDOW_MS + PURGE_GRACE_MS;
    expect(await t.library.purgeExpired()).toBe(0);
    expect(await t.library.readLorebook(book.id)).toMatchObject({ name: 'Coast' });
    await expect(t.library.undoRemove('lorebook', book.id)).rejects.toMatchObject({ code: 'undo/expired' });
  });
});
