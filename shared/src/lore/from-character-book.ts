import { makeLoreEntry } from './defaults.ts';
import { DEFAULT_GROUP_WEIGHT, DEFAULT_INSERTION_DEPTH, DEFAULT_ORDER } from './limits.ts';
import type { LoreBook, LoreEntry, LorePosition, LoreRole, SelectiveLogic } from './types.ts';

/** A CCv3 lorebook entry as `shared/src/cards` produces it: SillyTavern settings in snake_case `extensions`. */
export interface CharacterBookEntryLike {
  id?: number | string;
  keys?: readonly string[];
  secondary_keys?: readonly string[];
  content?: string;
  comment?: string;
  name?: string;
  enabled?: boolean;
  constant?: boolean;
  selective?: boolean;
  insertion_order?: number;
  case_sensitive?: boolean;
  position?: string;
  extensions?: Readonly<Record<string, unknown>>;
}

/** A CCv3 `character_book` / `lorebook_v3` book (`cards.Lorebook` fits). */
export interface CharacterBookLike {
  name?: string;
  scan_depth?: number;
  token_budget?: number;
  recursive_scanning?: boolean;
  entries: readonly CharacterBookEntryLike[];
}

export interface FromCharacterBookOptions {
  /**
   * Apply the book's own `scan_depth`, `token_budget` and `recursive_scanning`. Off by default, as in
   * SillyTavern, which ignores them: many exporters write values (a scan depth of 50, recursion off)
   * that would make a book behave unlike it does there.
   */
  bookSettings?: boolean;
}

const POSITIONS: readonly LorePosition[] = ['before_char', 'after_char', 'an_top', 'an_bottom', 'at_depth', 'em_top', 'em_bottom'];
const ROLES: readonly LoreRole[] = ['system', 'user', 'assistant'];

const num = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const bool = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);
const maybeBool = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);
const maybeNum = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function position(entry: CharacterBookEntryLike, ext: Readonly<Record<string, unknown>>): LorePosition {
  const stPosition = ext['position'];
  const mapped = typeof stPosition === 'number' ? POSITIONS[stPosition] : undefined;
  if (mapped) return mapped;
  // SillyTavern's reading of a plain CCv3 entry: anything but before_char goes after the character.
  return entry.position === 'before_char' ? 'before_char' : 'after_char';
}

function role(value: unknown): LoreRole {
  if (typeof value === 'number') return ROLES[value] ?? 'system';
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value) ? (value as LoreRole) : 'system';
}

function selectiveLogic(value: unknown): SelectiveLogic {
  return value === 1 || value === 2 || value === 3 ? value : 0;
}

function delayUntilRecursion(value: unknown): boolean | number {
  return typeof value === 'number' || typeof value === 'boolean' ? value : false;
}

/**
 * The entry SillyTavern would build from a CCv3 lorebook entry (its `convertCharacterBook`): CCv3 fields
 * plus the SillyTavern settings kept in `extensions`, with SillyTavern's defaults for missing ones.
 */
export function loreEntryFromCharacterBookEntry(entry: CharacterBookEntryLike, index: number): LoreEntry {
  const ext = entry.extensions ?? {};
  return makeLoreEntry({
    uid: entry.id ?? index,
    keys: texts(entry.keys),
    secondaryKeys: texts(entry.secondary_keys),
    selectiveLogic: selectiveLogic(ext['selectiveLogic']),
    selective: bool(entry.selective, false),
    content: text(entry.content),
    comment: text(entry.comment) || text(entry.name),
    constant: bool(entry.constant, false),
    enabled: entry.enabled !== false,
    order: num(entry.insertion_order, DEFAULT_ORDER),
    position: position(entry, ext),
    depth: num(ext['depth'], DEFAULT_INSERTION_DEPTH),
    role: role(ext['role']),
    probability: num(ext['probability'], 100),
    useProbability: bool(ext['useProbability'], true),
    caseSensitive: maybeBool(ext['case_sensitive']) ?? maybeBool(entry.case_sensitive),
    matchWholeWords: maybeBool(ext['match_whole_words']),
    scanDepth: maybeNum(ext['scan_depth']),
    group: text(ext['group']),
    groupOverride: bool(ext['group_override'], false),
    groupWeight: num(ext['group_weight'], DEFAULT_GROUP_WEIGHT),
    useGroupScoring: maybeBool(ext['use_group_scoring']),
    excludeRecursion: bool(ext['exclude_recursion'], false),
    preventRecursion: bool(ext['prevent_recursion'], false),
    delayUntilRecursion: delayUntilRecursion(ext['delay_until_recursion']),
    sticky: num(ext['sticky'], 0),
    cooldown: num(ext['cooldown'], 0),
    delay: num(ext['delay'], 0),
    ignoreBudget: bool(ext['ignore_budget'], false),
  });
}

/**
 * A lorebook for the engine from a CCv3 book (a card's `character_book`, a `lorebook_v3` file, or a
 * SillyTavern World Info file read by `shared/src/cards`).
 *
 * @example loreBookFromCharacterBook(parsed.lorebook, 'Eldoria')
 */
export function loreBookFromCharacterBook(book: CharacterBookLike, fallbackName: string, options: FromCharacterBookOptions = {}): LoreBook {
  const entries = Array.isArray(book.entries) ? book.entries : [];
  const lore: LoreBook = {
    name: text(book.name) || fallbackName,
    entries: entries.map((entry, index) => loreEntryFromCharacterBookEntry(entry, index)),
  };
  if (!options.bookSettings) return lore;
  return {
    ...lore,
    scanDepth: maybeNum(book.scan_depth),
    tokenBudget: maybeNum(book.token_budget),
    recursiveScanning: maybeBool(book.recursive_scanning),
  };
}
