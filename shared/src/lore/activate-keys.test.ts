import { describe, expect, it } from 'vitest';
import { activate } from './activate.ts';
import { compileBook } from './compile.ts';
import type { LoreSettings } from './types.ts';
import { book, countWords, run, sequence, uids, type EntryInit } from './test-support.ts';

const fires = (entry: Omit<EntryInit, 'uid'>, messages: string[], settings: Partial<LoreSettings> = {}) =>
  run([{ uid: 1, ...entry }], { messages, settings }).entries.length === 1;

describe('activate: keys', () => {
  it.each<[string, Omit<EntryInit, 'uid'>, string[], Partial<LoreSettings>, boolean]>([
    ['plain key, case-insensitive by default', { keys: ['Dragon'] }, ['A DRAGON flies'], {}, true],
    ['plain key is a substring by default', { keys: ['cat'] }, ['concatenate'], {}, true],
    ['any one primary key is enough', { keys: ['wolf', 'cat'] }, ['a cat'], {}, true],
    ['no key in the text', { keys: ['wolf'] }, ['a cat'], {}, false],
    ['blank keys never match', { keys: ['', '   '] }, ['anything at all'], {}, false],
    ['keys are trimmed', { keys: ['  cat  '] }, ['a cat'], {}, true],
    ['case-sensitive entry', { keys: ['Dragon'], caseSensitive: true }, ['a dragon'], {}, false],
    ['case-sensitive entry, same case', { keys: ['Dragon'], caseSensitive: true }, ['a Dragon'], {}, true],
    ['case-sensitive setting', { keys: ['Dragon'] }, ['a dragon'], { caseSensitive: true }, false],
    ['entry override beats the setting', { keys: ['Dragon'], caseSensitive: false }, ['a dragon'], { caseSensitive: true }, true],
    ['regex key', { keys: ['/drag(on|oon)s?/'] }, ['two dragoons'], {}, true],
    ['regex key keeps its own case rules', { keys: ['/Dragon/'] }, ['a dragon'], {}, false],
    ['regex key with i flag', { keys: ['/Dragon/i'] }, ['a dragon'], {}, true],
    ['regex key ignores whole-word mode', { keys: ['/cat/'] }, ['concatenate'], { matchWholeWords: true }, true],
    ['regex anchors see the newest message first', { keys: ['/^\\x01Bob:/'] }, ['Ann: hi', 'Bob: hello'], {}, true],
    ['whole words: not inside a word', { keys: ['cat'], matchWholeWords: true }, ['concatenate'], {}, false],
    ['whole words: punctuation is a boundary', { keys: ['cat'], matchWholeWords: true }, ['the cat.'], {}, true],
    ['whole words: start and end of a message', { keys: ['cat'], matchWholeWords: true }, ['cat'], {}, true],
    ['whole words: later occurrence counts', { keys: ['cat'], matchWholeWords: true }, ['concat then cat'], {}, true],
    ['whole words: setting', { keys: ['cat'] }, ['concatenate'], { matchWholeWords: true }, false],
    ['whole words: a multi-word key is a plain substring', { keys: ['big cat'], matchWholeWords: true }, ['a big caterpillar'], {}, true],
    ['whole words: non-ASCII letters count as boundaries (like \\W)', { keys: ['cat'], matchWholeWords: true }, ['écatç'], {}, true],
    ['speaker names are part of the scanned text', { keys: ['seraphina'] }, ['Seraphina: Welcome.'], {}, true],
    ['a bad regex key is skipped, the others still work', { keys: ['/(/', 'cat'] }, ['a cat'], {}, true],
  ])('%s', (_name, entry, messages, settings, expected) => {
    expect(fires(entry, messages, settings)).toBe(expected);
  });

  it('reports which key fired', () => {
    const [entry] = run([{ uid: 1, keys: ['wolf', 'cat'] }], { messages: ['a cat and a wolf'] }).entries;
    expect(entry?.reason).toEqual({ kind: 'key', primary: 'wolf', secondary: [] });
    expect(entry?.step).toBe(1);
  });

  it('warns about a bad regex key instead of throwing', () => {
    const result = run([{ uid: 7, keys: ['/[oops/'] }], { messages: ['[oops'] });
    expect(result.entries).toEqual([]);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'lore/bad-regex', uid: 7, detail: '/[oops/' })]);
  });
});

describe('activate: scan depth', () => {
  const messages = ['first alpha', 'second beta', 'third gamma']; // newest last
  it.each<[string, Omit<EntryInit, 'uid'>, Partial<LoreSettings>, number | null, boolean]>([
    ['default depth 2 sees the two newest messages', { keys: ['beta'] }, {}, null, true],
    ['default depth 2 misses the third newest', { keys: ['alpha'] }, {}, null, false],
    ['setting depth 3', { keys: ['alpha'] }, { scanDepth: 3 }, null, true],
    ['entry depth overrides the setting', { keys: ['alpha'], scanDepth: 3 }, {}, null, true],
    ['entry depth 1 sees only the newest', { keys: ['beta'], scanDepth: 1 }, {}, null, false],
    ['book depth applies to its entries', { keys: ['alpha'] }, {}, 3, true],
    ['entry depth beats book depth', { keys: ['alpha'], scanDepth: 1 }, {}, 3, false],
    ['depth 0 scans nothing', { keys: ['gamma'], scanDepth: 0 }, {}, null, false],
    ['depth beyond the chat is the whole chat', { keys: ['alpha'], scanDepth: 50 }, {}, null, true],
  ])('%s', (_name, entry, settings, bookDepth, expected) => {
    const result = run([{ uid: 1, ...entry }], { messages, settings }, bookDepth === null ? {} : { scanDepth: bookDepth });
    expect(result.entries.length === 1).toBe(expected);
  });

  it('matches injected text (an author\'s note that allows scanning) at any depth above 0', () => {
    expect(run([{ uid: 1, keys: ['storm'] }], { messages: ['calm'], injected: ['A storm is coming.'] }).entries).toHaveLength(1);
    expect(run([{ uid: 1, keys: ['storm'], scanDepth: 0 }], { messages: ['calm'], injected: ['A storm is coming.'] }).entries).toHaveLength(0);
  });
});

describe('activate: secondary keys', () => {
  const texts = { none: 'a dragon', one: 'a red dragon', all: 'a red and gold dragon' } as const;
  it.each<[string, 0 | 1 | 2 | 3, keyof typeof texts, boolean]>([
    ['AND_ANY', 0, 'none', false],
    ['AND_ANY', 0, 'one', true],
    ['AND_ANY', 0, 'all', true],
    ['NOT_ALL', 1, 'none', true],
    ['NOT_ALL', 1, 'one', true],
    ['NOT_ALL', 1, 'all', false],
    ['NOT_ANY', 2, 'none', true],
    ['NOT_ANY', 2, 'one', false],
    ['NOT_ANY', 2, 'all', false],
    ['AND_ALL', 3, 'none', false],
    ['AND_ALL', 3, 'one', false],
    ['AND_ALL', 3, 'all', true],
  ])('%s (%i) with %s of the secondary keys -> %s', (_name, logic, text, expected) => {
    expect(fires({ keys: ['dragon'], secondaryKeys: ['red', 'gold'], selectiveLogic: logic }, [texts[text]])).toBe(expected);
  });

  it('ignores secondary keys when the entry is not selective', () => {
    expect(fires({ keys: ['dragon'], secondaryKeys: ['red'], selective: false }, ['a dragon'])).toBe(true);
  });

  it('needs a primary match whatever the secondary keys say', () => {
    expect(fires({ keys: ['wyrm'], secondaryKeys: ['red'], selectiveLogic: 2 }, ['a dragon'])).toBe(false);
  });

  it('reports the secondary keys that made it fire', () => {
    const [entry] = run([{ uid: 1, keys: ['dragon'], secondaryKeys: ['red', 'gold'], selectiveLogic: 3 }], { messages: [texts.all] }).entries;
    expect(entry?.reason).toEqual({ kind: 'key', primary: 'dragon', secondary: ['red', 'gold'] });
  });
});

describe('activate: constant, enabled, probability', () => {
  it.each<[string, Omit<EntryInit, 'uid'>, boolean]>([
    ['constant entry without keys', { constant: true }, true],
    ['constant entry whose keys are absent', { constant: true, keys: ['wolf'] }, true],
    ['disabled constant entry', { constant: true, enabled: false }, false],
    ['disabled keyed entry', { keys: ['calm'], enabled: false }, false],
    ['entry without keys', { keys: [] }, false],
  ])('%s', (_name, entry, expected) => {
    expect(fires(entry, ['calm sea'])).toBe(expected);
  });

  it('says why a constant entry fired', () => {
    expect(run([{ uid: 1, constant: true }], { messages: [] }).entries[0]?.reason).toEqual({ kind: 'constant' });
  });

  it.each<[string, Omit<EntryInit, 'uid'>, number, boolean]>([
    ['roll under the probability passes', { probability: 50 }, 0.3, true],
    ['roll over the probability fails', { probability: 50 }, 0.7, false],
    ['probability 0 never passes', { probability: 0 }, 0, false],
    ['probability 100 never rolls', { probability: 100 }, 0.9999, true],
    ['useProbability off never rolls', { probability: 10, useProbability: false }, 0.9999, true],
  ])('%s', (_name, entry, roll, expected) => {
    const result = run([{ uid: 1, constant: true, ...entry }], { messages: [], rng: sequence(roll) });
    expect(result.entries.length === 1).toBe(expected);
  });

  it('does not re-roll an entry that failed its roll in a later recursion pass', () => {
    const result = run(
      [
        { uid: 1, keys: ['castle'], content: 'A dragon lives in the castle.' },
        { uid: 2, keys: ['castle', 'dragon'], probability: 50 },
      ],
      { messages: ['the castle'], settings: { recursive: true }, rng: sequence(0.9, 0.1) },
    );
    expect(uids(result)).toEqual([1]);
  });
});

describe('activate: decorators', () => {
  it.each<[string, string, Omit<EntryInit, 'uid' | 'content'>, string[], boolean]>([
    ['@@activate fires without keys', '@@activate\nBody', {}, ['nothing'], true],
    ['@@dont_activate blocks a key match', '@@dont_activate\nBody', { keys: ['cat'] }, ['a cat'], false],
    ['@@dont_activate blocks a constant entry', '@@dont_activate\nBody', { constant: true }, [], false],
    ['@@activate_only_after waits for the chat to grow', '@@activate_only_after 3\nBody', { constant: true }, ['a', 'b'], false],
    ['@@activate_only_after then fires', '@@activate_only_after 3\nBody', { constant: true }, ['a', 'b', 'c'], true],
    ['@@activate_only_every fires on multiples', '@@activate_only_every 2\nBody', { constant: true }, ['a', 'b'], true],
    ['@@activate_only_every skips the rest', '@@activate_only_every 2\nBody', { constant: true }, ['a', 'b', 'c'], false],
    ['@@scan_depth widens the scan', '@@scan_depth 3\nBody', { keys: ['old'] }, ['old', 'b', 'c'], true],
    ['@@additional_keys adds primary keys', '@@additional_keys hound\nBody', { keys: ['wolf'] }, ['a hound'], true],
    ['@@exclude_keys blocks the entry', '@@exclude_keys puppy\nBody', { keys: ['dog'] }, ['a dog and a puppy'], false],
    ['@@exclude_keys absent lets it fire', '@@exclude_keys puppy\nBody', { keys: ['dog'] }, ['a dog'], true],
  ])('%s', (_name, content, entry, messages, expected) => {
    expect(fires({ ...entry, content }, messages)).toBe(expected);
  });

  it('@@activate is reported as the reason and its line is not inserted', () => {
    const [entry] = run([{ uid: 1, content: '@@activate\nThe sea is loud.' }], { messages: [] }).entries;
    expect(entry).toMatchObject({ content: 'The sea is loud.', reason: { kind: 'decorator', decorator: '@@activate' } });
  });

  it('@@depth and @@role place the entry as its own message', () => {
    const [entry] = run([{ uid: 1, constant: true, content: '@@depth 2\n@@role user\nThe sea is loud.' }], { messages: [] }).entries;
    expect(entry).toMatchObject({ position: 'at_depth', depth: 2, role: 'user', content: 'The sea is loud.' });
  });

  it('reports unknown decorators as warnings', () => {
    const result = run([{ uid: 3, constant: true, content: '@@sparkle\nBody' }], { messages: [] });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'lore/unknown-decorator', uid: 3 })]);
    expect(result.entries).toHaveLength(1);
  });
});

describe('activate: macros in keys and content', () => {
  const substitute = (text: string) => text.replaceAll('{{char}}', 'Seraphina').replaceAll('{{user}}', 'Ann');

  it('substitutes macro keys before matching', () => {
    expect(run([{ uid: 1, keys: ['{{char}}'] }], { messages: ['I met Seraphina'], substitute }).entries).toHaveLength(1);
    expect(run([{ uid: 1, keys: ['{{char}}'] }], { messages: ['I met Bob'], substitute }).entries).toHaveLength(0);
  });

  it('macro keys follow whole-word and case rules after substitution', () => {
    const entries = [{ uid: 1, keys: ['{{user}}'], matchWholeWords: true }];
    expect(run(entries, { messages: ['hello ann'], substitute }).entries).toHaveLength(1);
    expect(run(entries, { messages: ['hello anne'], substitute }).entries).toHaveLength(0);
  });

  it('a macro key may become a regex', () => {
    const sub = (text: string) => text.replace('{{pattern}}', '/sera(phina)?/i');
    expect(run([{ uid: 1, keys: ['{{pattern}}'] }], { messages: ['SERA!'], substitute: sub }).entries).toHaveLength(1);
  });

  it('without a substitute hook, macro keys match literally', () => {
    expect(run([{ uid: 1, keys: ['{{char}}'] }], { messages: ['{{char}} waves'] }).entries).toHaveLength(1);
  });

  it('substitutes the content of activated entries', () => {
    const [entry] = run([{ uid: 1, constant: true, content: '{{char}} greets {{user}}.' }], { messages: [], substitute }).entries;
    expect(entry?.content).toBe('Seraphina greets Ann.');
  });
});

describe('compiled books', () => {
  it('a compiled book activates like its source and is reused as is', () => {
    const source = book('b', [{ uid: 1, keys: ['cat'] }]);
    const compiled = compileBook(source);
    const result = activate({ books: { character: [compiled] }, messages: ['a cat'], contextSize: 1000, countTokens: countWords });
    expect(uids(result)).toEqual([1]);
  });

  it('recompiles a compiled book whose defaults differ from the settings', () => {
    const compiled = compileBook(book('b', [{ uid: 1, keys: ['cat'] }]), { matchWholeWords: false });
    const result = activate({
      books: { character: [compiled] },
      messages: ['concatenate'],
      contextSize: 1000,
      countTokens: countWords,
      settings: { matchWholeWords: true },
    });
    expect(result.entries).toHaveLength(0);
  });
});

describe('activate: regex keys and the literal prefilter', () => {
  it.each<[string, string, string[], number | null, boolean]>([
    ['a regex without literals is always tested', '/[0-9]{3}/', ['code 417'], null, true],
    ['a regex literal only in a message beyond the scan depth does not count', '/\\bwarden(s)?\\b/i', ['the warden', 'x', 'y'], null, false],
    ['the same regex within the scan depth', '/\\bwarden(s)?\\b/i', ['x', 'the Wardens'], null, true],
    ['a case-sensitive regex needs the exact case', '/Warden/', ['x', 'the warden'], null, false],
    ['an alternation matches through any branch', '/(?:keeper|warden)s?/i', ['x', 'KEEPERS'], null, true],
    ['literal present but the regex still fails', '/warden\\d/', ['x', 'warden x'], null, false],
  ])('%s', (_name, key, messages, scanDepth, expected) => {
    expect(run([{ uid: 1, keys: [key], scanDepth }], { messages }).entries.length === 1).toBe(expected);
  });

  it('a regex key can be triggered by recursion text', () => {
    const result = run(
      [
        { uid: 1, keys: ['castle'], content: 'The Warden waits.' },
        { uid: 2, keys: ['/\\bwarden\\b/i'] },
      ],
      { messages: ['the castle'], settings: { recursive: true } },
    );
    expect(result.entries.map((entry) => [entry.uid, entry.step]).sort()).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('tolerates entries whose key lists are missing', () => {
    const broken = { uid: 1, keys: undefined, secondaryKeys: null, group: undefined, constant: true } as unknown as EntryInit;
    expect(run([broken], { messages: [] }).entries).toHaveLength(1);
  });
});
