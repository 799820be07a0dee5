import { DEFAULT_LORE_SETTINGS, type InsertionStrategy } from '@troupe/shared/lore';
import type { HostSystemMode } from '@troupe/shared/prompt';

/**
 * Prompt settings that apply to every chat: the library lorebooks enabled globally (SillyTavern's
 * global World Info), how character and global lore interleave, and what happens to NextChat's own
 * system prompt while a character speaks (a chat may override the last one). Versioned.
 */
export interface PromptSettings {
  version: 1;
  globalLorebookIds: string[];
  insertionStrategy: InsertionStrategy;
  hostSystemMode: HostSystemMode;
  /** Tokens the model reads at most; null takes it from the model's name (a local model's size is the user's to say). */
  contextSize: number | null;
}


export const INSERTION_STRATEGIES: readonly InsertionStrategy[] = ['evenly', 'character_first', 'global_first'];

/** SillyTavern's defaults: no global books, character lore first; NextChat's prompt is left out. */
export const DEFAULT_PROMPT_SETTINGS: PromptSettings = {
  version: 1,
  globalLorebookIds: [],
  insertionStrategy: DEFAULT_LORE_SETTINGS.insertionStrategy,
  hostSystemMode: 'drop',
  contextSize: null,
};

/** What the options page may change; absent fields stay as they are. */
export type PromptSettingsPatch = Partial<Omit<PromptSettings, 'version'>>;

/** Ids in first-seen order without repeats: a book listed twice must not fire twice. */
export function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
