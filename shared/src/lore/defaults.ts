import { DEFAULT_BUDGET_PERCENT, DEFAULT_GROUP_WEIGHT, DEFAULT_INSERTION_DEPTH, DEFAULT_ORDER, DEFAULT_SCAN_DEPTH } from './limits.ts';
import type { LoreEntry, LoreSettings } from './types.ts';

/** SillyTavern's World Info defaults (recursion off, 25% budget, scan depth 2, character books first). */
export const DEFAULT_LORE_SETTINGS: Readonly<LoreSettings> = Object.freeze({
  scanDepth: DEFAULT_SCAN_DEPTH,
  budgetPercent: DEFAULT_BUDGET_PERCENT,
  budgetCap: 0,
  recursive: false,
  maxRecursionSteps: 0,
  caseSensitive: false,
  matchWholeWords: false,
  useGroupScoring: false,
  insertionStrategy: 'character_first',
});

/**
 * A complete entry from the fields you care about, the rest at SillyTavern's new-entry defaults.
 *
 * @example makeLoreEntry({ uid: 1, keys: ['dragon'], content: 'Dragons hoard gold.' })
 */
export function makeLoreEntry(init: Partial<LoreEntry> & Pick<LoreEntry, 'uid'>): LoreEntry {
  return {
    keys: [],
    secondaryKeys: [],
    selectiveLogic: 0,
    selective: true,
    content: '',
    comment: '',
    constant: false,
    enabled: true,
    order: DEFAULT_ORDER,
    position: 'before_char',
    depth: DEFAULT_INSERTION_DEPTH,
    role: 'system',
    probability: 100,
    useProbability: true,
    caseSensitive: null,
    matchWholeWords: null,
    scanDepth: null,
    group: '',
    groupOverride: false,
    groupWeight: DEFAULT_GROUP_WEIGHT,
    useGroupScoring: null,
    excludeRecursion: false,
    preventRecursion: false,
    delayUntilRecursion: false,
    sticky: 0,
    cooldown: 0,
    delay: 0,
    ignoreBudget: false,
    ...init,
  };
}
