import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { promptSettingsItem } from './global-prompt-settings.ts';

afterEach(() => { fakeBrowser.reset(); });

describe('the global prompt settings item', () => {
  it('reads a version-1 value with the default memory budget, everything else kept', async () => {
    const v1 = { version: 1, globalLorebookIds: ['b1'], insertionStrategy: 'evenly', hostSystemMode: 'keep', contextSize: 8_192 };
    await fakeBrowser.storage.local.set({ 'prompt.settings': v1 });
    await promptSettingsItem.migrate();
    expect(await promptSettingsItem.getValue()).toEqual({ ...v1, version: 2, memoryPercent: 15 });
  });

  it('gives the defaults when nothing was saved', async () => {
    expect(await promptSettingsItem.getValue()).toMatchObject({ version: 2, memoryPercent: 15, contextSize: null });
  });
});
