import { describe, expect, it } from 'vitest';
import { activate } from './activate.ts';
import { makeLoreEntry } from './defaults.ts';
import type { LoreBook, LoreEntry, LorePosition } from './types.ts';
import { countWords } from './test-support.ts';

import eldoriaJson from '../../../../shared/fixtures/cards/st-Eldoria.worldinfo.json';
import lighthouseJson from '../../../../shared/fixtures/cards/synthetic-lorebook_v3.json';

// A minimal reading of the two fixture formats, enough to drive the engine. The real importers live in
// shared/src/cards; this only maps the fields the assertions below rely on.

const ST_POSITIONS: LorePosition[] = ['before_char', 'after_char', 'an_top', 'an_bottom', 'at_depth', 'em_top', 'em_bottom'];

interface StEntry {
  uid: number;
  key: string[];
  keysecondary: string[];
  content: string;
  comment: string;
  constant: boolean;
  disable: boolean;
  order: number;
  position: number;
  probability: number;
  useProbability: boolean;
  depth: number;
}

function stWorld(name: string, data: { entries: Record<string, StEntry> }): LoreBook {
  const entries: LoreEntry[] = Object.values(data.entries).map((e) =>
    makeLoreEntry({
      uid: e.uid,
      keys: e.key,
      secondaryKeys: e.keysecondary,
      content: e.content,
      comment: e.comment,
      constant: e.constant,
      enabled: !e.disable,
      order: e.order,
      position: ST_POSITIONS[e.position] ?? 'before_char',
      probability: e.probability,
      useProbability: e.useProbability,
      depth: e.depth,
    }),
  );
  return { name, entries };
}

interface V3Entry {
  id: number;
  keys: string[];
  secondary_keys?: string[];
  selective?: boolean;
  content: string;
  enabled: boolean;
  insertion_order: number;
  constant?: boolean;
  case_sensitive?: boolean;
  position?: 'before_char' | 'after_char';
}

function v3Book(data: { name: string; scan_depth: number; token_budget: number; recursive_scanning: boolean; entries: V3Entry[] }): LoreBook {
  return {
    name: data.name,
    scanDepth: data.scan_depth,
    tokenBudget: data.token_budget,
    recursiveScanning: data.recursive_scanning,
    entries: data.entries.map((e) =>
      makeLoreEntry({
        uid: e.id,
        keys: e.keys,
        secondaryKeys: e.secondary_keys ?? [],
        selective: e.selective ?? false,
        content: e.content,
        enabled: e.enabled,
        order: e.insertion_order,
        constant: e.constant ?? false,
        caseSensitive: e.case_sensitive ?? null,
        position: e.position ?? 'before_char',
      }),
    ),
  };
}

describe('SillyTavern default content: Eldoria', () => {
  const eldoria = stWorld('Eldoria', eldoriaJson as unknown as { entries: Record<string, StEntry> });
  const substitute = (text: string) => text.replaceAll('{{char}}', 'Seraphina').replaceAll('{{user}}', 'Ann');
  const scan = (messages: string[]) =>
    activate({ books: { character: [eldoria] }, messages, contextSize: 8192, countTokens: countWords, substitute });

  it.each([
    [['Ann: Where am I?', 'Seraphina: You are safe in my glade.'], ['glade']],
    [['Ann: What lives in this forest?'], ['eldoria']],
    [['Ann: Are there monsters here?'], ['shadowfang']],
    [['Ann: Hello.', 'Seraphina: Welcome, traveller.'], []],
  ])('%j activates %j', (messages, comments) => {
    expect(scan(messages).entries.map((entry) => entry.comment).sort()).toEqual(comments);
  });

  it('substitutes macros in the inserted content', () => {
    const [entry] = scan(['Ann: the forest?']).entries;
    expect(entry?.content.startsWith('Ann: "What is Eldoria?"\nSeraphina:')).toBe(true);
  });
});

describe('synthetic lorebook_v3 fixture', () => {
  const data = (lighthouseJson as unknown as { data: Parameters<typeof v3Book>[0] }).data;
  const lighthouse = v3Book(data);
  const scan = (messages: string[]) => activate({ books: { character: [lighthouse] }, messages, contextSize: 8192, countTokens: countWords });

  it('activates keyword, regex and constant entries and applies decorators', () => {
    const result = scan(['Ann: Is the lighthouse still lit?', 'Bob: Ask the keepers.']);
    expect(result.entries.map((entry) => entry.uid).sort()).toEqual([0, 2, 3]);
    expect(result.entries.find((entry) => entry.uid === 3)).toMatchObject({
      position: 'at_depth',
      depth: 2,
      role: 'system',
      content: 'Always describe the sound of the sea at least once.',
    });
    expect(result.warnings).toEqual([]);
  });

  it('needs the secondary key for the selective entry', () => {
    expect(scan(['a storm']).entries.map((entry) => entry.uid)).not.toContain(1);
    expect(scan(['a storm tonight']).entries.map((entry) => entry.uid)).toContain(1);
  });

  it('@@activate_only_after 3 holds the logbook entry until the chat is long enough; disabled stays off', () => {
    expect(scan(['the logbook', 'the cellar']).entries.map((entry) => entry.uid)).toEqual([3]);
    expect(scan(['a', 'the logbook', 'the cellar']).entries.map((entry) => entry.uid).sort()).toEqual([3, 4]);
  });
});
