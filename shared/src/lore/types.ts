/** Public types of the lorebook engine. Field meanings follow SillyTavern's World Info entries. */

/** Where an activated entry goes in the prompt (SillyTavern's world_info_position, by name). */
export type LorePosition =
  | 'before_char' // before the character description
  | 'after_char' // after the character description
  | 'an_top' // above the author's note
  | 'an_bottom' // below the author's note
  | 'at_depth' // a message of its own, `depth` messages from the end
  | 'em_top' // before the example messages
  | 'em_bottom'; // after the example messages

export type LoreRole = 'system' | 'user' | 'assistant';

/** How secondary keys combine with a primary match, with SillyTavern's numbers. */
export const SelectiveLogic = {
  /** at least one secondary key matches */
  AND_ANY: 0,
  /** at least one secondary key does not match */
  NOT_ALL: 1,
  /** no secondary key matches */
  NOT_ANY: 2,
  /** every secondary key matches */
  AND_ALL: 3,
} as const;
export type SelectiveLogic = (typeof SelectiveLogic)[keyof typeof SelectiveLogic];

/** One lorebook entry, normalised. `null` overrides mean "use the book's, then the settings' value". */
export interface LoreEntry {
  uid: number | string;
  /** Primary keys: plain text, or `/pattern/flags` for a regular expression. */
  keys: readonly string[];
  secondaryKeys: readonly string[];
  selectiveLogic: SelectiveLogic;
  /** Secondary keys only count when this is true (SillyTavern keeps it true for every new entry). */
  selective: boolean;
  /** Text inserted into the prompt. Leading `@@decorator` lines are parsed out at compile time. */
  content: string;
  /** The author's label; never sent to the model. */
  comment: string;
  /** Always active (still subject to probability, groups and budget). */
  constant: boolean;
  enabled: boolean;
  /** Insertion order: higher means more important (kept first under the budget) and placed later. */
  order: number;
  position: LorePosition;
  /** Messages from the end, for `at_depth`. */
  depth: number;
  /** Message role, for `at_depth`. */
  role: LoreRole;
  /** Chance in percent (0-100) that an activation sticks; only rolled when `useProbability`. */
  probability: number;
  useProbability: boolean;
  caseSensitive: boolean | null;
  matchWholeWords: boolean | null;
  scanDepth: number | null;
  /** Inclusion groups, comma-separated: at most one member of a group activates per scan. */
  group: string;
  /** Wins its group outright (highest order among overriders). */
  groupOverride: boolean;
  /** Relative chance of winning a random group draw. */
  groupWeight: number;
  /** Keep only the group members that matched the most keys, before the draw. */
  useGroupScoring: boolean | null;
  /** Cannot be activated by text from other entries (recursion), only by the chat. */
  excludeRecursion: boolean;
  /** Its content is not scanned for further keys. */
  preventRecursion: boolean;
  /** Only activates during recursion; a number sets the recursion level it waits for (true = 1). */
  delayUntilRecursion: boolean | number;
  /** Once activated, stays active for this many messages. */
  sticky: number;
  /** Once activated, cannot activate again for this many messages. */
  cooldown: number;
  /** Cannot activate before the chat has this many messages. */
  delay: number;
  /** Always inserted even when the token budget is spent, and not counted against it. */
  ignoreBudget: boolean;
}

/** A lorebook: SillyTavern World Info file or a card's character_book, normalised. */
export interface LoreBook {
  /** Unique among the books of one activation; timed effects are keyed by `name.uid`. */
  name: string;
  entries: readonly LoreEntry[];
  /** Default scan depth for this book's entries (CCv3 `scan_depth`). */
  scanDepth?: number | null;
  /** Token cap for this book's entries, inside the overall budget (CCv3 `token_budget`). */
  tokenBudget?: number | null;
  /** Whether this book's activated entries are scanned for further keys (CCv3 `recursive_scanning`). */
  recursiveScanning?: boolean | null;
  caseSensitive?: boolean | null;
  matchWholeWords?: boolean | null;
}

/** How character and global books interleave (SillyTavern's world_info_character_strategy). */
export type InsertionStrategy = 'evenly' | 'character_first' | 'global_first';

/** Global World Info settings. `DEFAULT_LORE_SETTINGS` holds SillyTavern's defaults. */
export interface LoreSettings {
  scanDepth: number;
  /** Percent of the context size the entries may fill. */
  budgetPercent: number;
  /** Absolute token cap on the budget; 0 = none. */
  budgetCap: number;
  recursive: boolean;
  /** Scan passes allowed, counting the first; 0 = up to MAX_SCAN_PASSES. */
  maxRecursionSteps: number;
  caseSensitive: boolean;
  matchWholeWords: boolean;
  useGroupScoring: boolean;
  insertionStrategy: InsertionStrategy;
}

/** One running sticky or cooldown effect, in chat-length units (messages). */
export interface TimedEffect {
  start: number;
  end: number;
  /** A protected effect survives a re-scan at the same chat length (a regeneration). */
  protected: boolean;
}

export const LORE_TIMED_STATE_VERSION = 1;

/** Sticky and cooldown effects of one chat, keyed `book.uid`. The caller persists it between activations. */
export interface LoreTimedState {
  version: typeof LORE_TIMED_STATE_VERSION;
  sticky: Record<string, TimedEffect>;
  cooldown: Record<string, TimedEffect>;
}

/** Why an entry activated. `step` is the scan pass (1 = the chat, 2+ = recursion). */
export type ActivationReason =
  | { kind: 'constant' }
  | { kind: 'decorator'; decorator: '@@activate' }
  | { kind: 'sticky' }
  | { kind: 'key'; primary: string; secondary: readonly string[] };

export type LoreWarningCode =
  | 'lore/bad-regex'
  | 'lore/bad-decorator'
  | 'lore/unknown-decorator'
  | 'lore/duplicate-book'
  | 'lore/timed-state-reset'
  | 'lore/recursion-limit';

export interface LoreWarning {
  code: LoreWarningCode;
  book: string;
  uid?: number | string;
  /** The key or decorator line at fault. */
  detail?: string;
  message: string;
}
