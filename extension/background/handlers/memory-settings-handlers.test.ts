import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { SummaryRequest, SummaryResult } from '../../messaging/protocols/offscreen-protocol.ts';
import { MAX_API_KEY } from '../../messaging/protocols/offscreen-protocol.ts';
import { MEMORY_SETTINGS_VALIDATORS as V } from '../../messaging/protocols/memory-protocol.ts';
import { CONTENT_SCRIPT_TYPES } from '../../messaging/runtime-protocol.ts';
import { summaryModelItem } from '../../messaging/storage/summary-model.ts';
import { SummaryModelStore } from '../memory/summary-model-store.ts';
import { DeviceKeys } from '../keys/device-key.ts';
import { SummaryError } from '../offscreen/summariser.ts';
import { memorySettingsHandlers } from './memory-settings-handlers.ts';

afterEach(() => { fakeBrowser.reset(); models = freshModels(); });

const KEY = 'sk-test-very-secret-0123';

/** The store the background uses, with a device-key database of its own per test. */
const freshModels = () => new SummaryModelStore(new DeviceKeys(`test-keys-${crypto.randomUUID()}`));
let models = freshModels();
const summaryEndpoint = () => models.endpoint();
/** The key as stored: sealed (ciphertext), or absent. */
const storedKey = async () => (await summaryModelItem.getValue())?.summaryModel?.key ?? null;

/** A summariser that answers as `answer` says and keeps what it was asked. */
function fakeSummariser(answer: (request: SummaryRequest) => Partial<SummaryResult> | Error = () => ({})) {
  const asked: SummaryRequest[] = [];
  return {
    asked,
    summarise: async (request: SummaryRequest): Promise<SummaryResult> => {
      asked.push(request);
      const over = answer(request);
      if (over instanceof Error) throw over;
      return { jobId: request.jobId, text: 'Ann left her brass lantern at the lighthouse.', tokens: 9, source: 'model', messageIds: request.messages.map((m) => m.id), ...over };
    },
  };
}

describe('memory settings handlers', () => {
  it('save the summary model on this device and answer whether a key is saved, never the key', async () => {
    const handlers = memorySettingsHandlers(fakeSummariser(), models);
    expect(await handlers['memory.settings.get']({})).toEqual({ summaryModel: null, useChatModel: true });
    const saved = await handlers['memory.settings.update']({ summaryModel: { url: 'https://llm.example/v1', model: 'summary-mini', apiKey: KEY } });
    expect(saved).toEqual({ summaryModel: { url: 'https://llm.example/v1', model: 'summary-mini', hasKey: true }, useChatModel: true });
    expect(JSON.stringify(saved)).not.toContain(KEY);
    expect(await handlers['memory.settings.get']({})).toEqual(saved);
    // Sealed with this device's key: storage.local (which content scripts can read) holds ciphertext only.
    expect(await summaryModelItem.getValue()).toEqual({ version: 3, summaryModel: { url: 'https://llm.example/v1', model: 'summary-mini', key: { iv: expect.any(String), sealed: expect.any(String) } }, useChatModel: true });
    expect(JSON.stringify(await summaryModelItem.getValue())).not.toContain(KEY);
    // Another device key (site data cleared) cannot open it: the key is dropped, summaries go on locally.
    expect(await new SummaryModelStore(new DeviceKeys(`other-${crypto.randomUUID()}`)).endpoint()).toEqual({ url: 'https://llm.example/v1', model: 'summary-mini' });
    // Only in this device's local storage.
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    expect(await summaryEndpoint()).toEqual({ url: 'https://llm.example/v1', model: 'summary-mini', apiKey: KEY });
  });

  it('keep the saved key when none is given for the same address, drop it for another address, remove it on null', async () => {
    const handlers = memorySettingsHandlers(fakeSummariser(), models);
    await handlers['memory.settings.update']({ summaryModel: { url: 'https://llm.example/v1', model: 'summary-mini', apiKey: KEY } });
    expect(await handlers['memory.settings.update']({ summaryModel: { url: 'https://llm.example/v1/chat/completions', model: 'summary-large' } }))
      .toEqual({ summaryModel: { url: 'https://llm.example/v1/chat/completions', model: 'summary-large', hasKey: true }, useChatModel: true });
    expect(await storedKey()).not.toBeNull();
    expect((await summaryEndpoint())?.apiKey).toBe(KEY);
    // Another server never receives a key that was given for the first one.
    expect((await handlers['memory.settings.update']({ summaryModel: { url: 'https://other.example/v1', model: 'summary-large' } })).summaryModel?.hasKey).toBe(false);
    expect(await storedKey()).toBeNull();

    await handlers['memory.settings.update']({ summaryModel: { url: 'https://other.example/v1', model: 'm', apiKey: KEY } });
    expect((await handlers['memory.settings.update']({ summaryModel: { url: 'https://other.example/v1', model: 'm', apiKey: null } })).summaryModel?.hasKey).toBe(false);
    expect(await summaryEndpoint()).toEqual({ url: 'https://other.example/v1', model: 'm' });
    expect(await handlers['memory.settings.update']({ summaryModel: null })).toEqual({ summaryModel: null, useChatModel: true });
    expect(await summaryModelItem.getValue()).toEqual({ version: 3, summaryModel: null, useChatModel: true });
    expect(await summaryEndpoint()).toBeNull();
  });

  it('turn the chat\'s own model off and on without touching the saved model, and keep the setting when the model changes', async () => {
    let forgotten = 0;
    const handlers = memorySettingsHandlers(fakeSummariser(), models, async () => { forgotten += 1; });
    await handlers['memory.settings.update']({ summaryModel: { url: 'https://llm.example/v1', model: 'summary-mini', apiKey: KEY } });
    expect(forgotten).toBe(0);
    expect(await handlers['memory.settings.update']({ useChatModel: false })).toEqual({ summaryModel: { url: 'https://llm.example/v1', model: 'summary-mini', hasKey: true }, useChatModel: false });
    expect(await summaryEndpoint()).toEqual({ url: 'https://llm.example/v1', model: 'summary-mini', apiKey: KEY });
    expect(await handlers['memory.settings.update']({ summaryModel: null })).toEqual({ summaryModel: null, useChatModel: false });
    expect(await handlers['memory.settings.get']({})).toEqual({ summaryModel: null, useChatModel: false });
    // Turned off, the chats' own credentials the background keeps are dropped at once.
    expect(forgotten).toBe(1);
    expect(await handlers['memory.settings.update']({ useChatModel: true })).toEqual({ summaryModel: null, useChatModel: true });
    expect(forgotten).toBe(1);
  });

  it('test the saved model with a tiny two-message chat, and say in words why it failed, without the key', async () => {
    const summariser = fakeSummariser();
    const handlers = memorySettingsHandlers(summariser, models);
    expect(await handlers['memory.settings.test']({})).toEqual({ ok: false, message: expect.stringContaining('No summary model is saved') });
    expect(summariser.asked).toEqual([]);

    await handlers['memory.settings.update']({ summaryModel: { url: 'https://llm.example/v1', model: 'summary-mini', apiKey: KEY } });
    expect(await handlers['memory.settings.test']({})).toEqual({ ok: true, sample: 'Ann left her brass lantern at the lighthouse.' });
    expect(summariser.asked[0]).toMatchObject({ endpoint: { url: 'https://llm.example/v1', model: 'summary-mini', apiKey: KEY }, targetTokens: expect.any(Number) });
    expect(summariser.asked[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);

    const refused = memorySettingsHandlers(fakeSummariser(() => ({ source: 'local', modelError: 'The model answered 401: invalid key' })), models);
    expect(await refused['memory.settings.test']({})).toEqual({ ok: false, message: 'The model answered 401: invalid key' });
    const gone = memorySettingsHandlers(fakeSummariser(() => new SummaryError('summary/offscreen-unavailable', `Troupe could not start its summary worker (${KEY})`)), models);
    const failed = await gone['memory.settings.test']({});
    expect(failed).toEqual({ ok: false, message: 'Troupe could not start its summary worker ([key])' });
  });
});

describe('the memory settings messages', () => {
  it('take a summary model checked by the offscreen channel\'s rules: trimmed, key kept, given or removed', () => {
    expect(V['memory.settings.update']({ summaryModel: { url: ' http://127.0.0.1:11434/v1 ', model: ' llama3 ', extra: 1 } })).toEqual({ summaryModel: { url: 'http://127.0.0.1:11434/v1', model: 'llama3' } });
    expect(V['memory.settings.update']({ summaryModel: { url: 'https://llm.example', model: 'm', apiKey: ` ${KEY} ` } })).toEqual({ summaryModel: { url: 'https://llm.example', model: 'm', apiKey: KEY } });
    expect(V['memory.settings.update']({ summaryModel: { url: 'https://llm.example', model: 'm', apiKey: null } })).toEqual({ summaryModel: { url: 'https://llm.example', model: 'm', apiKey: null } });
    expect(V['memory.settings.update']({ summaryModel: null })).toEqual({ summaryModel: null });
    expect(V['memory.settings.update']({ useChatModel: false })).toEqual({ useChatModel: false });
    expect(V['memory.settings.get']({ anything: true })).toEqual({});
    expect(V['memory.settings.test']({})).toEqual({});
  });

  it.each([
    ['a file address', { url: 'file:///etc/passwd', model: 'm' }, 'The endpoint URL must be an http or https address'],
    ['an address with credentials', { url: 'https://ann:pw@llm.example/v1', model: 'm' }, 'The endpoint URL must not carry a user name or password'],
    ['no address', { url: '  ', model: 'm' }, 'The endpoint URL must not be empty'],
    ['not an address', { url: 'llm example', model: 'm' }, 'The endpoint URL must be a web address'],
    ['no model', { url: 'https://llm.example', model: '' }, 'The model must not be empty'],
    ['a key with a line break', { url: 'https://llm.example', model: 'm', apiKey: 'sk-1\nX-Evil: 1' }, 'The API key must not contain control characters'],
    ['a key past the limit', { url: 'https://llm.example', model: 'm', apiKey: 'k'.repeat(MAX_API_KEY + 1) }, `The API key is longer than ${MAX_API_KEY} characters`],
    ['an empty key', { url: 'https://llm.example', model: 'm', apiKey: '   ' }, 'The API key must not be empty'],
  ])('refuse %s with a reason', (_name, summaryModel, message) => {
    expect(() => V['memory.settings.update']({ summaryModel })).toThrow(message);
  });

  it('refuse an update that does not say what to save', () => {
    expect(() => V['memory.settings.update']({})).toThrow('summaryModel (null: none) or useChatModel must be given');
    expect(() => V['memory.settings.update']({ useChatModel: 'yes' })).toThrow('useChatModel must be true or false');
  });

  it('are for Troupe\'s own pages only: they carry or guard an API key', () => {
    for (const type of ['memory.settings.get', 'memory.settings.update', 'memory.settings.test'] as const) expect(CONTENT_SCRIPT_TYPES.has(type)).toBe(false);
  });
});
