import { DEFAULT_LORE_SETTINGS, type InsertionStrategy } from '@troupe/shared/lore';
import { DEFAULT_MEMORY_SHARE, type HostSystemMode } from '@troupe/shared/prompt';

/**
 * Prompt settings that apply to every chat: the library lorebooks enabled globally (SillyTavern's
 * global World Info), how character and global lore interleave, and what happens to NextChat's own
 * system prompt while a character speaks (a chat may override the last one). Versioned: 2 added
 * `memoryPercent` (a version-1 value reads as the default, see global-prompt-settings.ts).
 */
export interface PromptSettings {
  version: 2;
  globalLorebookIds: string[];
  insertionStrategy: InsertionStrategy;
  hostSystemMode: HostSystemMode;
  /** Tokens the model reads at most; null takes it from the model's name (a local model's size is the user's to say). */
  contextSize: number | null;
  /** Share of the context, in percent, the chat's memory may take once the history no longer fits (0: pinned facts only). */
  memoryPercent: number;
}

/** The memory budget a new install starts with: the 15%. */
export const DEFAULT_MEMORY_PERCENT = Math.round(DEFAULT_MEMORY_SHARE * 100);


export const INSERTION_STRATEGIES: readonly InsertionStrategy[] = ['evenly', 'character_first', 'global_first'];

/** SillyTavern's defaults: no global books, character lore first; NextChat's prompt is left out. */
export const DEFAULT_PROMPT_SETTINGS: PromptSettings = {
  version: 2,
  globalLorebookIds: [],
  insertionStrategy: DEFAULT_LORE_SETTINGS.insertionStrategy,
  hostSystemMode: 'drop',
  contextSize: null,
  memoryPercent: DEFAULT_MEMORY_PERCENT,
};

/** What the options page may change; absent fields stay as they are. */
export type PromptSettingsPatch = Partial<Omit<PromptSettings, 'version'>>;

/** Ids in first-seen order without repeats: a book listed twice must not fire twice. */
export function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
