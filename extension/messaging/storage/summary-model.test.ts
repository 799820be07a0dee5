import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_MEMORY_SETTINGS, migrateSummaryModelV2, readableMemorySettings, summaryModelItem, type StoredSummaryModelV2 } from './summary-model.ts';

afterEach(() => { fakeBrowser.reset(); });

const V2: StoredSummaryModelV2 = { version: 2, url: 'https://llm.example/v1', model: 'summary-mini', key: { iv: 'aXY=', sealed: 'c2VhbGVk' } };

describe('memory settings in storage', () => {
  it('read format 2 (the model alone) as format 3, the chat\'s own model on', () => {
    expect(migrateSummaryModelV2(V2)).toEqual({ version: 3, summaryModel: { url: V2.url, model: V2.model, key: V2.key }, useChatModel: true });
    expect(migrateSummaryModelV2({ ...V2, key: null })).toEqual({ version: 3, summaryModel: { url: V2.url, model: V2.model, key: null }, useChatModel: true });
    expect(migrateSummaryModelV2(null)).toEqual(DEFAULT_MEMORY_SETTINGS);
    // Unreadable (a key of the wrong kind, another version): the defaults, never half a model.
    expect(migrateSummaryModelV2({ ...V2, key: 'plain-text-key' })).toEqual(DEFAULT_MEMORY_SETTINGS);
    expect(migrateSummaryModelV2({ version: 1, url: 'x', model: 'm', apiKey: 'sk' })).toEqual(DEFAULT_MEMORY_SETTINGS);
  });

  it('migrate a stored format-2 value when the item is first read', async () => {
    await fakeBrowser.storage.local.set({ 'memory.summaryModel': V2 });
    await summaryModelItem.migrate();
    expect(await summaryModelItem.getValue()).toEqual({ version: 3, summaryModel: { url: V2.url, model: V2.model, key: V2.key }, useChatModel: true });
    expect(await summaryModelItem.getMeta()).toMatchObject({ v: 2 });
    // Nothing stored: nothing to migrate, the defaults are read.
    fakeBrowser.reset();
    await summaryModelItem.migrate();
    expect(readableMemorySettings(await summaryModelItem.getValue())).toEqual(DEFAULT_MEMORY_SETTINGS);
  });

  it('read format 3 field by field, format 2 left in place by a failed migration, and the defaults for anything else', () => {
    expect(readableMemorySettings({ version: 3, summaryModel: null, useChatModel: false })).toEqual({ version: 3, summaryModel: null, useChatModel: false });
    expect(readableMemorySettings({ version: 3, summaryModel: { url: 'u', model: 'm', key: null } })).toEqual({ version: 3, summaryModel: { url: 'u', model: 'm', key: null }, useChatModel: true });
    expect(readableMemorySettings({ version: 3, summaryModel: { url: 'u' }, useChatModel: 'no' })).toEqual({ version: 3, summaryModel: null, useChatModel: true });
    expect(readableMemorySettings(V2).summaryModel).toEqual({ url: V2.url, model: V2.model, key: V2.key });
    expect(readableMemorySettings(null)).toEqual(DEFAULT_MEMORY_SETTINGS);
    expect(readableMemorySettings({ version: 4 })).toEqual(DEFAULT_MEMORY_SETTINGS);
  });
});
