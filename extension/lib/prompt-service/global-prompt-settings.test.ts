import { afterEach, describe, expect, it } from 'vitest';
import { storage } from '#imports';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { promptSettingsItem } from './global-prompt-settings.ts';
import { DEFAULT_PROMPT_SETTINGS } from './prompt-settings.ts';

afterEach(() => fakeBrowser.reset());

describe('the global prompt settings', () => {
  it('read format 1 (before the context size setting) as format 2 that follows the model', async () => {
    await storage.setItem('local:prompt.settings', { version: 1, globalLorebookIds: ['a'], insertionStrategy: 'evenly', hostSystemMode: 'keep' });
    await promptSettingsItem.migrate();
    expect(await promptSettingsItem.getValue()).toEqual({ version: 2, globalLorebookIds: ['a'], insertionStrategy: 'evenly', hostSystemMode: 'keep', contextSize: null });
  });

  it('default to SillyTavern\'s choices with the size from the model', async () => {
    expect(await promptSettingsItem.getValue()).toEqual(DEFAULT_PROMPT_SETTINGS);
    expect(DEFAULT_PROMPT_SETTINGS.contextSize).toBeNull();
  });
});
