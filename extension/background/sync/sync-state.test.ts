// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { bytesToBase64 } from '@troupe/shared/bytes';
import { readSyncState, StateSaver, writeSyncState, type PersistedSyncState, type RestoredSyncState } from './sync-state.ts';
import { SAVE_DELAY_MS } from './limits.ts';

function indexUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('items').set('c1', { kind: 'character', stamp: 's1' });
  return Y.encodeStateAsUpdate(doc);
}

const upload = { characterId: 'c1', hash: 'a'.repeat(64), size: 10 };

afterEach(() => {
  vi.useRealTimers();
});

describe('saved sync state', () => {
  it('reads a format-1 state (saved before asset sync) as owing no uploads and with assets still to list', () => {
    const update = indexUpdate();
    const restored = readSyncState({ format: 1, index: bytesToBase64(update), seen: { c1: 's1' }, dirty: { l1: 'lorebook' } });
    expect(restored).toEqual({ index: update, seen: { c1: 's1' }, dirty: { l1: 'lorebook' }, uploads: [], assetsListed: false });
  });

  it('reads a format-2 state, with its optional fields missing or present', () => {
    const index = bytesToBase64(indexUpdate());
    expect(readSyncState({ format: 2, index, seen: {}, dirty: {} })).toMatchObject({ uploads: [], assetsListed: true });
    expect(readSyncState({ format: 2, index, seen: {}, dirty: {}, uploads: [upload], assetsListed: false })).toMatchObject({ uploads: [upload], assetsListed: false });
  });

  it('starts afresh from no state or a state of an unknown format', () => {
    expect(readSyncState(null)).toBeNull();
    expect(readSyncState({ format: 3, index: '', seen: {}, dirty: {} } as unknown as PersistedSyncState)).toBeNull();
  });

  it('always saves format 2, and reads back what it saved', () => {
    const state: RestoredSyncState = { index: indexUpdate(), seen: { c1: 's1' }, dirty: { c2: 'character' }, uploads: [upload], assetsListed: true };
    const saved = writeSyncState(state);
    expect(saved.format).toBe(2);
    expect(readSyncState(saved)).toEqual(state);
  });
});

describe('StateSaver', () => {
  it('saves a burst of changes once, after the delay, and once more when stopped', async () => {
    vi.useFakeTimers();
    const saves: PersistedSyncState[] = [];
    let seen = 0;
    const saver = new StateSaver({ load: async () => null, save: async (state) => { saves.push(state); } }, () => ({ index: new Uint8Array(), seen: { n: String(seen) }, dirty: {}, uploads: [], assetsListed: true }));
    for (seen = 1; seen <= 5; seen++) saver.schedule();
    expect(saves).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(saves.map((s) => s.seen.n)).toEqual(['6']);
    saver.schedule();
    await saver.stop();
    expect(saves).toHaveLength(2);
    saver.schedule();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS * 2);
    expect(saves).toHaveLength(2);
  });
});
