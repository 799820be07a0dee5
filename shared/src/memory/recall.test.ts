import { describe, expect, it } from 'vitest';
import { MAX_INDEXED_CHARS, MAX_QUERY_TERMS } from './limits.ts';
import { RecallIndex, selectMemory, type MemoryItem, type SelectMemoryInput } from './recall.ts';

const message = (id: string, text: string, order: number, tokens = 10): MemoryItem => ({ id, kind: 'message', text, tokens, order });
const summary = (id: string, text: string, order: number, covers: string[], tokens = 10): MemoryItem => ({
  id,
  kind: 'summary',
  text,
  tokens,
  order,
  covers,
});
const fact = (id: string, text: string, order: number, tokens = 10): MemoryItem => ({ id, kind: 'fact', text, tokens, order });

function indexOf(items: MemoryItem[]): RecallIndex {
  const index = new RecallIndex();
  for (const item of items) index.upsert(item);
  return index;
}

const ids = (hits: readonly { id: string }[]): string[] => hits.map((hit) => hit.id);

describe('RecallIndex', () => {
  const chat = [
    message('m1', 'Aldric promised to return the silver compass by the winter solstice.', 1),
    message('m2', 'The tavern was loud; Mira ordered another round of ale.', 2),
    message('m3', 'Mira asked about the road north and the weather.', 3),
    message('m4', 'A wolf bit Aldric on the left arm near Ravenford.', 4),
    message('m5', 'They laughed about the ale and the weather again.', 5),
  ];

  it('ranks the item holding the rare query words first', () => {
    const index = indexOf(chat);
    expect(ids(index.recall('where is my compass?'))).toEqual(['m1']);
    expect(index.recall('what happened to Aldric arm')[0]?.id).toBe('m4');
  });

  it('matches across word forms and accents', () => {
    const index = indexOf([message('a', 'She promised to visit the Café Noir', 1), message('b', 'Nothing here', 2)]);
    expect(ids(index.recall('PROMISES'))).toEqual(['a']);
    expect(ids(index.recall('cafe noir'))).toEqual(['a']);
  });

  it('recalls CJK text by bigrams', () => {
    const index = indexOf([message('zh', '他答应在冬至前归还银色指南针。', 1), message('ja', '明日は東京へ行きます。', 2), message('en', 'Hello', 3)]);
    expect(index.recall('指南针在哪里')[0]?.id).toBe('zh');
    expect(index.recall('東京')[0]?.id).toBe('ja');
  });

  it('scores a rarer word higher (idf) and a shorter item higher for the same word (length norm)', () => {
    const index = indexOf([
      message('short', 'dragon', 1),
      message('long', 'dragon seen over the hills beyond the old mill and the river crossing', 2),
      message('c1', 'common word here', 3),
      message('c2', 'common word there', 4),
      message('rare', 'common unicorn', 5),
    ]);
    const dragon = index.scores('dragon');
    expect(dragon.get('short')!).toBeGreaterThan(dragon.get('long')!);
    const mixed = index.scores('common unicorn');
    expect(mixed.get('rare')!).toBeGreaterThan(mixed.get('c1')! * 2);
  });

  it('saturates repeated words (k1): ten mentions score less than ten times one', () => {
    const index = indexOf([message('once', 'gold x y z w v u t s r', 1), message('many', 'gold gold gold gold gold gold gold gold gold gold', 2), message('other', 'silver', 3)]);
    const scores = index.scores('gold');
    expect(scores.get('many')!).toBeGreaterThan(scores.get('once')!);
    expect(scores.get('many')!).toBeLessThan(scores.get('once')! * 3);
  });

  it('breaks ties by id, whatever the insertion order', () => {
    const index = indexOf([message('b', 'same words exactly', 1), message('a', 'same words exactly', 2), message('c', 'same words exactly', 3)]);
    expect(ids(index.recall('words'))).toEqual(['a', 'b', 'c']);
  });

  it('filters by kind, excludes ids and limits', () => {
    const index = indexOf([message('m', 'the compass', 1), summary('s', 'the compass story', 2, ['m']), fact('f', 'compass is silver', 3)]);
    expect(ids(index.recall('compass', { kinds: ['fact', 'summary'] })).sort()).toEqual(['f', 's']);
    expect(ids(index.recall('compass', { exclude: new Set(['m', 's']) }))).toEqual(['f']);
    expect(index.recall('compass', { limit: 2 })).toHaveLength(2);
    expect(index.recall('compass', { limit: 0 })).toEqual([]);
  });

  it('returns nothing for an empty index, an empty query or unknown words', () => {
    expect(new RecallIndex().recall('anything')).toEqual([]);
    const index = indexOf(chat);
    expect(index.recall('')).toEqual([]);
    expect(index.recall('the and of')).toEqual([]);
    expect(index.recall('zeppelin')).toEqual([]);
  });

  it('replaces an edited item: the old words no longer find it, the new ones do', () => {
    const index = indexOf(chat);
    index.upsert(message('m1', 'Aldric lost the golden key in the well.', 1));
    expect(index.size).toBe(chat.length);
    expect(index.recall('compass')).toEqual([]);
    expect(ids(index.recall('golden key'))).toEqual(['m1']);
  });

  it('updates tokens and order without re-tokenising when the text is the same', () => {
    const index = indexOf(chat);
    const before = index.scores('compass').get('m1');
    index.upsert({ ...chat[0]!, tokens: 99, order: 42 });
    expect(index.get('m1')).toMatchObject({ tokens: 99, order: 42 });
    expect(index.scores('compass').get('m1')).toBe(before);
    expect(index.recall('compass')[0]?.item.order).toBe(42);
  });

  it('removes items and forgets their words', () => {
    const index = indexOf(chat);
    expect(index.remove('m4')).toBe(true);
    expect(index.remove('m4')).toBe(false);
    expect(index.remove('nope')).toBe(false);
    expect(index.has('m4')).toBe(false);
    expect(index.recall('wolf Ravenford')).toEqual([]);
    expect(index.size).toBe(chat.length - 1);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.recall('compass')).toEqual([]);
  });

  it('scores the same after any sequence of adds, edits and removals as a fresh index of the result', () => {
    const words = ['amber', 'bridge', 'candle', 'dagger', 'ember', 'falcon', 'garnet', 'harbor', 'iris', 'jade', 'kettle', 'lantern'];
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 16807) % 2147483647) % n;
    const text = (): string => Array.from({ length: 3 + random(10) }, () => words[random(words.length)]).join(' ');
    const live = new Map<string, MemoryItem>();
    const index = new RecallIndex();
    for (let step = 0; step < 400; step++) {
      const id = `i${random(60)}`;
      if (random(4) === 0) {
        index.remove(id);
        live.delete(id);
      } else {
        const item = message(id, text(), step);
        index.upsert(item);
        live.set(id, item);
      }
    }
    const fresh = indexOf([...live.values()]);
    expect(index.size).toBe(fresh.size);
    expect(new Set(index.items().keys())).toEqual(new Set(live.keys()));
    for (const query of ['amber', 'dagger lantern', 'iris jade kettle falcon', 'bridge bridge ember']) {
      const a = index.recall(query);
      const b = fresh.recall(query);
      expect(ids(a)).toEqual(ids(b));
      a.forEach((hit, i) => expect(hit.score).toBeCloseTo(b[i]!.score, 10));
    }
  });

  it('gives the same scores through scores() and recall()', () => {
    const index = indexOf(chat);
    const map = index.scores('Aldric ale weather');
    const hits = index.recall('Aldric ale weather');
    expect(hits.length).toBe(map.size);
    for (const hit of hits) expect(map.get(hit.id)).toBe(hit.score);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((x, y) => y - x));
  });

  it(`scores only the rarest ${MAX_QUERY_TERMS} query terms of a long query`, () => {
    const word = (i: number): string => `w${String(i).padStart(3, '0')}`;
    const unique = Array.from({ length: MAX_QUERY_TERMS + 20 }, (_, i) => message(`d${String(i).padStart(3, '0')}`, word(i), i));
    const shared = [message('c1', 'shared', 200), message('c2', 'shared', 201)];
    const index = indexOf([...unique, ...shared]);
    // All equally rare: the first MAX_QUERY_TERMS by spelling are kept.
    const all = index.recall(unique.map((item) => item.text).join(' '));
    expect(ids(all).sort()).toEqual(unique.slice(0, MAX_QUERY_TERMS).map((item) => item.id));
    // A word two items share is rarer-ranked than any unique one, so it is the one dropped.
    const mixed = index.recall(`shared ${unique.slice(0, MAX_QUERY_TERMS).map((item) => item.text).join(' ')}`);
    expect(mixed).toHaveLength(MAX_QUERY_TERMS);
    expect(ids(mixed)).not.toContain('c1');
    expect(ids(index.recall('shared w000'))).toEqual(['d000', 'c1', 'c2']);
  });

  it(`indexes only the first ${MAX_INDEXED_CHARS} characters of an item`, () => {
    const index = indexOf([message('huge', `${'lorem '.repeat(MAX_INDEXED_CHARS / 6 + 10)} needle`, 1)]);
    expect(index.recall('lorem')).toHaveLength(1);
    expect(index.recall('needle')).toEqual([]);
  });

  it('reuses the slot of a removed item without mixing their words', () => {
    const index = indexOf([message('a', 'apple', 1), message('b', 'banana', 2)]);
    index.remove('a');
    index.upsert(message('c', 'cherry', 3));
    expect(index.recall('apple')).toEqual([]);
    expect(ids(index.recall('cherry'))).toEqual(['c']);
    expect(ids(index.recall('banana'))).toEqual(['b']);
  });
});

describe('selectMemory', () => {
  const base = (over: Partial<SelectMemoryInput> & Pick<SelectMemoryInput, 'items' | 'scores'>): SelectMemoryInput => ({
    budgetTokens: 100,
    recencyWeight: 0,
    minScoreRatio: 0,
    ...over,
  });
  const picked = (selection: ReturnType<typeof selectMemory>): string[] => selection.picked.map((p) => p.item.id);

  it('puts pinned items in first, always, and counts them', () => {
    const items = [fact('f1', 'fact', 1, 30), fact('f2', 'fact', 2, 30), message('m1', 'msg', 3, 30), message('m2', 'msg', 4, 30)];
    const selection = selectMemory(base({ items, scores: new Map([['m1', 5], ['m2', 1]]), pinned: ['f2', 'f1'], budgetTokens: 90 }));
    expect(picked(selection)).toEqual(['f1', 'f2', 'm1']);
    expect(selection.pinnedTokens).toBe(60);
    expect(selection.tokens).toBe(90);
    expect(selection.overBudget).toBe(false);
    expect(selection.picked.filter((p) => p.pinned).map((p) => p.item.id)).toEqual(['f1', 'f2']);
  });

  it('keeps every pinned item even over budget, and says so', () => {
    const items = [fact('f1', 'a', 1, 80), fact('f2', 'b', 2, 80), message('m', 'c', 3, 1)];
    const selection = selectMemory(base({ items, scores: new Map([['m', 9]]), pinned: ['f1', 'f2'], budgetTokens: 100 }));
    expect(picked(selection)).toEqual(['f1', 'f2']);
    expect(selection.overBudget).toBe(true);
    expect(selection.tokens).toBe(160);
  });

  it('never picks an excluded id, pinned or not, and ignores unknown pinned ids', () => {
    const items = [message('m1', 'a', 1), message('m2', 'b', 2), message('m3', 'c', 3)];
    const selection = selectMemory(
      base({ items, scores: new Map([['m1', 9], ['m2', 8], ['m3', 7]]), exclude: new Set(['m1', 'm2']), pinned: ['m2', 'ghost'] }),
    );
    expect(picked(selection)).toEqual(['m3']);
    expect(selection.pinnedTokens).toBe(0);
  });

  it('fills the budget best first, skipping what does not fit for something smaller', () => {
    const items = [message('big', 'a', 1, 60), message('mid', 'b', 2, 50), message('small', 'c', 3, 30), message('tiny', 'd', 4, 10)];
    const scores = new Map([['big', 9], ['mid', 8], ['small', 7], ['tiny', 6]]);
    const selection = selectMemory(base({ items, scores, budgetTokens: 100 }));
    expect(picked(selection)).toEqual(['big', 'small', 'tiny']);
    expect(selection.tokens).toBeLessThanOrEqual(100);
  });

  it('returns the picks in story order (order, then id), not by score', () => {
    const items = [message('late', 'a', 30), message('early', 'b', 10), message('mid-b', 'c', 20), message('mid-a', 'd', 20)];
    const scores = new Map([['late', 9], ['early', 1], ['mid-b', 5], ['mid-a', 5]]);
    expect(picked(selectMemory(base({ items, scores })))).toEqual(['early', 'mid-a', 'mid-b', 'late']);
  });

  it('is deterministic: the same inputs in any order give the same picks', () => {
    const items = Array.from({ length: 30 }, (_, i) => message(`m${i}`, 't', i, 7 + (i % 5)));
    const scores = new Map(items.map((item, i) => [item.id, 1 + (i % 4)] as const));
    const a = selectMemory(base({ items, scores, budgetTokens: 60 }));
    const b = selectMemory(base({ items: [...items].reverse(), scores: new Map([...scores].reverse()), budgetTokens: 60 }));
    expect(picked(a)).toEqual(picked(b));
    // Equal scores: the smaller ids win.
    // Seven items score 4 (64 tokens); taken by id ('m11' < 'm15' < … < 'm3' < 'm7'), 'm7' no longer fits.
    expect(picked(a)).toEqual(['m3', 'm11', 'm15', 'm19', 'm23', 'm27']);
    expect(a.tokens).toBe(55);
  });

  it('accepts the index map as items and gives the same result as an array', () => {
    const items = [message('a', 'silver compass', 1), message('b', 'golden compass', 2), message('c', 'ale', 3)];
    const index = indexOf(items);
    const scores = index.scores('compass');
    expect(picked(selectMemory(base({ items: index.items(), scores })))).toEqual(picked(selectMemory(base({ items, scores }))));
  });

  it('prefers the newer of two equal matches through the recency prior, but not over a clearly better old one', () => {
    const items = [message('a-old', 'a', 1, 50), message('b-new', 'b', 100, 50), message('c-mid', 'c', 50, 50)];
    const equal = new Map([['a-old', 5], ['b-new', 5]]);
    expect(picked(selectMemory(base({ items, scores: equal, budgetTokens: 50, recencyWeight: 0 })))).toEqual(['a-old']);
    expect(picked(selectMemory(base({ items, scores: equal, budgetTokens: 50, recencyWeight: 0.1 })))).toEqual(['b-new']);
    const clear = new Map([['a-old', 10], ['b-new', 8]]);
    expect(picked(selectMemory(base({ items, scores: clear, budgetTokens: 50, recencyWeight: 0.1 })))).toEqual(['a-old']);
    // Linear in order: the newest gains the full weight, the middle one about half of it.
    const out = selectMemory(base({ items, scores: new Map([['b-new', 5], ['c-mid', 5], ['a-old', 5]]), recencyWeight: 0.1, budgetTokens: 150 }));
    expect(out.picked.map((p) => p.score)).toEqual([5, expect.closeTo(5 * (1 + 0.1 * 49 / 99), 10), expect.closeTo(5.5, 10)]);
  });

  it('drops a message covered by a picked summary unless it scores much higher', () => {
    const items = [message('m1', 'a', 1), message('m2', 'b', 2), message('m3', 'c', 3), summary('s', 'sum', 3, ['m1', 'm2', 'm3'])];
    const scores = new Map([['s', 4], ['m1', 5], ['m2', 7], ['m3', 2]]);
    const selection = selectMemory(base({ items, scores, coverOverrideRatio: 1.5 }));
    // m2 (7 >= 1.5 x 4) says more than the summary; m1 (5) and m3 (2) do not.
    expect(picked(selection)).toEqual(['m2', 's']);
    expect(selection.tokens).toBe(20);
  });

  it('gives the room of messages a summary replaced to items that did not fit before', () => {
    const items = [message('m1', 'a', 1, 40), message('m2', 'b', 2, 40), summary('s', 'sum', 2, ['m1', 'm2'], 20), message('x', 'c', 5, 30)];
    const scores = new Map([['m1', 6], ['m2', 6], ['s', 5], ['x', 4]]);
    const selection = selectMemory(base({ items, scores, budgetTokens: 80 }));
    expect(picked(selection)).toEqual(['s', 'x']);
    expect(selection.tokens).toBe(50);
  });

  it('drops a summary that adds nothing: all it covers is in the history or picked on its own merit', () => {
    const items = [message('m1', 'a', 1), message('m2', 'b', 2), summary('s', 'sum', 2, ['m1', 'm2']), message('m3', 'c', 3)];
    const inHistory = selectMemory(base({ items, scores: new Map([['s', 9], ['m3', 1]]), exclude: new Set(['m1', 'm2']) }));
    expect(picked(inHistory)).toEqual(['m3']);
    const strongerMessages = selectMemory(base({ items, scores: new Map([['m1', 20], ['m2', 20], ['s', 5]]) }));
    expect(picked(strongerMessages)).toEqual(['m1', 'm2']);
    const partly = selectMemory(base({ items, scores: new Map([['s', 9]]), exclude: new Set(['m1']) }));
    expect(picked(partly)).toEqual(['s']);
  });

  it('follows coverage through merged summaries', () => {
    const items = [
      message('m1', 'a', 1),
      message('m2', 'b', 2),
      summary('s0', 'lower', 2, ['m1', 'm2']),
      message('m3', 'c', 3),
      summary('s1', 'upper', 3, ['s0', 'm3']),
    ];
    const scores = new Map([['s1', 10], ['s0', 9], ['m1', 9], ['m3', 8]]);
    expect(picked(selectMemory(base({ items, scores })))).toEqual(['s1']);
  });

  it('lets a pinned summary cover its messages by its own score', () => {
    const items = [message('m1', 'a', 1), message('m2', 'b', 2), summary('s', 'sum', 2, ['m1', 'm2'])];
    const scored = selectMemory(base({ items, scores: new Map([['s', 4], ['m1', 5], ['m2', 7]]), pinned: ['s'] }));
    expect(picked(scored)).toEqual(['m2', 's']);
    const unmatched = selectMemory(base({ items, scores: new Map([['m1', 5]]), pinned: ['s'] }));
    expect(picked(unmatched)).toEqual(['m1', 's']);
  });

  it('leaves out weak matches even with budget to spare', () => {
    const items = [message('strong', 'a', 1), message('weak', 'b', 2)];
    const scores = new Map([['strong', 10], ['weak', 0.5]]);
    expect(picked(selectMemory(base({ items, scores, minScoreRatio: 0.1 })))).toEqual(['strong']);
    expect(picked(selectMemory(base({ items, scores, minScoreRatio: 0 })))).toEqual(['strong', 'weak']);
  });

  it('counts per-item overhead against the budget', () => {
    const items = [message('a', 'a', 1, 10), message('b', 'b', 2, 10), message('c', 'c', 3, 10)];
    const scores = new Map([['a', 3], ['b', 2], ['c', 1]]);
    const selection = selectMemory(base({ items, scores, budgetTokens: 30, overheadTokens: 5 }));
    expect(picked(selection)).toEqual(['a', 'b']);
    expect(selection.tokens).toBe(30);
  });

  it('ignores ids it does not know and scores that are not positive numbers', () => {
    const items = [message('a', 'a', 1), message('b', 'b', 2), message('c', 'c', 3)];
    const scores = new Map([['ghost', 50], ['a', 0], ['b', Number.NaN], ['c', 1]]);
    expect(picked(selectMemory(base({ items, scores })))).toEqual(['c']);
    expect(selectMemory(base({ items, scores: new Map(), budgetTokens: 0 })).picked).toEqual([]);
    for (const budgetTokens of [0, -5, Number.NaN]) expect(selectMemory(base({ items, scores, budgetTokens })).picked).toEqual([]);
  });

  it('finds each of 40 facts planted in a 500-message chat when asked about it, within 15% of a 16k context', () => {
    const names = ['Aldric', 'Elowen', 'Thessaly', 'Brannoc', 'Orla', 'Roderic', 'Isolde', 'Cassian'];
    const things = ['silver compass', 'amber ring', 'iron key', 'blue cloak', 'bone flute'];
    const places = ['Port Varrow', 'Kestrel Hall', 'Ravenford', 'Harrowgate', 'Duskmere', 'Stonewatch', 'Highmoor', 'Greyfen'];
    const scenery = ['The fire crackled in the hearth and the rain kept falling.', 'They talked about the weather, the road and supper.', 'She laughed and poured more tea for both of them.'];
    const items: MemoryItem[] = [];
    const questions: [string, string][] = [];
    for (let i = 0; i < 500; i++) {
      let text = scenery[i % 3]!;
      if (i % 12 === 5 && questions.length < 40) {
        const k = questions.length;
        const [who, thing, where] = [names[k % 8]!, things[k % 5]!, places[(k * 3) % 8]!];
        text = `${who} left the ${thing} at ${where} on day ${k + 1}. ${text}`;
        questions.push([`m${i}`, `Where did ${who} leave the ${thing}?`]);
      }
      items.push(message(`m${i}`, text, i, 14 + (text.length >> 3)));
    }
    const index = indexOf(items);
    const history = new Set(items.slice(-4).map((item) => item.id));
    for (const [id, question] of questions) {
      const selection = selectMemory({ items: index.items(), scores: index.scores(question), budgetTokens: 2400, exclude: history });
      expect(picked(selection), question).toContain(id);
      expect(selection.tokens).toBeLessThanOrEqual(2400);
    }
  });

  it('recalls a fact from early in a long chat within the budget, with the index', () => {
    const items: MemoryItem[] = [message('m0', 'Aldric promised to return the silver compass by the winter solstice.', 0, 16)];
    for (let i = 1; i < 300; i++) items.push(message(`m${i}`, `They walked on through the forest, talking about the weather and the road, day ${i}.`, i, 18));
    const index = indexOf(items);
    const history = new Set(items.slice(-4).map((item) => item.id));
    const selection = selectMemory({ items: index.items(), scores: index.scores('Did Aldric ever give the compass back?'), budgetTokens: 200, exclude: history });
    expect(picked(selection)[0]).toBe('m0');
    expect(selection.tokens).toBeLessThanOrEqual(200);
    for (const id of picked(selection)) expect(history.has(id)).toBe(false);
  });
});
