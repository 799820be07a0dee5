// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstPageQuery, isFirstPageQuery, type FirstPageSnapshot, type LibraryPage } from '../../messaging/library-wire.ts';
import { FIRST_PAGE_DELAY_MS, LIBRARY_PAGE_SIZE } from '../../messaging/limits/library.ts';
import { FirstPageKeeper, type FirstPageStore } from './first-page.ts';
import { testLibrary, type TestLibrary } from './test-support.ts';

/** A store that records every write, in order. */
function recordingStore(initial: FirstPageSnapshot | null = null) {
  const writes: (FirstPageSnapshot | null)[] = [];
  let current = initial;
  const store: FirstPageStore = {
    has: async () => current !== null,
    set: async (snapshot) => { writes.push(snapshot); current = snapshot; },
  };
  return { store, writes, current: () => current };
}

const page = (total: number): LibraryPage => ({ total, offset: 0, items: [] });

afterEach(() => { vi.useRealTimers(); });

describe('FirstPageKeeper', () => {
  it('drops the kept page at the first change and keeps the new one once changes settle', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let total = 1;
    const { store, writes, current } = recordingStore({ format: 1, limit: LIBRARY_PAGE_SIZE, page: page(0) });
    const keeper = new FirstPageKeeper(store, async () => page(total));
    keeper.changed();
    total = 2;
    keeper.changed();
    expect(writes).toEqual([null]);
    vi.advanceTimersByTime(FIRST_PAGE_DELAY_MS);
    vi.useRealTimers();
    await vi.waitFor(() => expect(current()).toEqual({ format: 1, limit: LIBRARY_PAGE_SIZE, page: page(2) }));
    expect(writes).toHaveLength(2);
    keeper.dispose();
  });

  it('never keeps a page read before a later change', async () => {
    let answer: (value: LibraryPage) => void = () => undefined;
    const { store, writes } = recordingStore();
    const keeper = new FirstPageKeeper(store, () => new Promise((resolve) => { answer = resolve; }));
    const saving = keeper.save();
    keeper.changed();
    answer(page(1));
    await saving;
    // The change dropped whatever was kept; the page read before it is not stored.
    expect(writes).toEqual([null]);
    keeper.dispose();
  });

  it('drops a page whose write a change overtook', async () => {
    let release: () => void = () => undefined;
    const writes: (FirstPageSnapshot | null)[] = [];
    const store: FirstPageStore = {
      has: async () => false,
      set: (snapshot) => { writes.push(snapshot); return snapshot ? new Promise((resolve) => { release = resolve; }) : Promise.resolve(); },
    };
    const keeper = new FirstPageKeeper(store, async () => page(1));
    const saving = keeper.save();
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    keeper.changed();
    release();
    await saving;
    expect(writes.at(-1)).toBeNull();
    keeper.dispose();
  });

  it('keeps a page on waking when none is kept (session storage starts empty)', async () => {
    const { store, writes } = recordingStore();
    const keeper = new FirstPageKeeper(store, async () => page(3));
    await keeper.keep();
    await keeper.keep();
    expect(writes).toEqual([{ format: 1, limit: LIBRARY_PAGE_SIZE, page: page(3) }]);
  });
});

describe('the first page a library keeps', () => {
  let t: TestLibrary;
  beforeEach(() => { t = testLibrary(); });
  afterEach(async () => { await t.close(); });

  it('is what the first-page query answers', async () => {
    const { store, current } = recordingStore();
    t.library.keepFirstPage(store);
    const card = (name: string) => ({ label: name, parsed: { kind: 'character' as const, character: { spec: 'chara_card_v3' as const, spec_version: '3.0' as const, data: { name, description: '', personality: '', scenario: '', first_mes: '', mes_example: '', creator_notes: '', system_prompt: '', post_history_instructions: '', alternate_greetings: [], tags: [], creator: '', character_version: '', extensions: {}, group_only_greetings: [] } }, assets: [], sourceFormat: 'v3-json' as const, warnings: [] } });
    await t.library.importParsed([card('Bo'), card('alder')]);
    await vi.waitFor(() => expect(current()).not.toBeNull(), { timeout: FIRST_PAGE_DELAY_MS * 10 });
    expect(current()!.page).toEqual(await t.library.query(firstPageQuery(LIBRARY_PAGE_SIZE)));
    expect(current()!.page.items.map((item) => item.name)).toEqual(['alder', 'Bo']);
  });
});

describe('the first-page query', () => {
  it('is the page a list opens on, whatever its length', () => {
    expect(isFirstPageQuery(firstPageQuery(8))).toBe(true);
    expect(isFirstPageQuery({ ...firstPageQuery(8), search: '   ' })).toBe(true);
    expect(isFirstPageQuery({ ...firstPageQuery(8), search: 'a' })).toBe(false);
    expect(isFirstPageQuery({ ...firstPageQuery(8), tag: 'sea' })).toBe(false);
    expect(isFirstPageQuery({ ...firstPageQuery(8), direction: 'desc' })).toBe(false);
    expect(isFirstPageQuery({ ...firstPageQuery(8), offset: 8 })).toBe(false);
  });
});
