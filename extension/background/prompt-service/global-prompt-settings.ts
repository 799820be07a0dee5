import { storage } from '#imports';
import { DEFAULT_PROMPT_SETTINGS, type PromptSettings } from '../../messaging/prompt-settings.ts';

/**
 * The global prompt settings, in extension storage beside the default persona: a few small values that
 * belong to this browser (SillyTavern keeps its World Info selection per install too) and need no Dexie
 * schema version. Only the background writes it (`prompt.settings.update`); it is read on each request.
 */
export const promptSettingsItem = storage.defineItem<PromptSettings>('local:prompt.settings', {
  fallback: DEFAULT_PROMPT_SETTINGS,
  version: 2,
  // Version 2 added the memory budget; a version-1 value keeps everything else.
  migrations: { 2: (old: Omit<PromptSettings, 'version' | 'memoryPercent'>) => ({ ...old, version: 2, memoryPercent: DEFAULT_PROMPT_SETTINGS.memoryPercent }) },
});
