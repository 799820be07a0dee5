import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { PromptReport } from '@troupe/shared/prompt';
import { setup } from '../../background/prompt-service/test-support.ts';
import { DEFAULT_CHAT_SETTINGS, EMPTY_PERSONA } from '../../messaging/chat-settings.ts';
import { kitRevisionItem } from '../../messaging/storage/kit-revision.ts';
import { createPageKit } from './page-kit.ts';
import { fakeBackground } from './test-support.ts';

const CHAT = 'http://127.0.0.1:3000#s1';

/** The inspector's report of a request to `model` (only its model matters here). */
const reportFor = (model: string): PromptReport => ({
  at: 1, characterName: 'Mira', model, parts: [], trimmed: { historyDropped: 0, historyKept: 0, greetingDropped: false },
  lore: { entries: [], warnings: [], budget: { limit: 0, used: 0, overflowed: false }, skipped: 0 },
  fit: { contextSize: 8192, reserved: 1024, total: 10, fits: true },
});

/** A page kit on a background whose prompt service makes real kits. */
function pageKit(reportedModel: string | null) {
  const { service } = setup();
  const background = fakeBackground();
  background.answer('prompt.kit', ({ chatKey, model }) => service.kit(chatKey, model));
  background.answer('prompt.report', () => (reportedModel ? reportFor(reportedModel) : null));
  background.answer('chat.settings.update', ({ chatKey }) => ({ chatKey, settings: DEFAULT_CHAT_SETTINGS, defaultPersona: EMPTY_PERSONA, greetings: [] }));
  background.answer('characters.list', () => []);
  const kit = createPageKit(background.call, () => {}, new AbortController().signal);
  return { kit, background };
}

describe('createPageKit', () => {
  beforeEach(() => fakeBrowser.reset());

  it('gets the chat\'s kit when the person starts typing, for the model of its last request, once', async () => {
    const { kit, background } = pageKit('gpt-4o');
    expect(kit.warm(CHAT)).toBe(true);
    await vi.waitFor(() => expect(kit.builder.modelFor(CHAT)).toBe('gpt-4o'));
    expect(background.callsOf('prompt.kit')).toEqual([{ chatKey: CHAT, model: 'gpt-4o' }]);
    expect(kit.warm(CHAT)).toBe(false);
    // A request for a model of another tokenizer needs another kit.
    kit.sawModel(CHAT, 'gpt-4');
    expect(kit.warm(CHAT)).toBe(true);
    await vi.waitFor(() => expect(background.callsOf('prompt.kit')).toHaveLength(2));
    expect(background.callsOf('prompt.report')).toHaveLength(1);
  });

  it('drops the kit before a call that changes what prompts are made from, and when the background says kits are stale', async () => {
    const { kit } = pageKit(null);
    kit.warm(CHAT);
    await vi.waitFor(() => expect(kit.builder.modelFor(CHAT)).toBe('gpt-4o-mini'));
    await kit.call('characters.list', {});
    expect(kit.builder.modelFor(CHAT)).toBe('gpt-4o-mini');
    const saving = kit.call('chat.settings.update', { chatKey: CHAT, greetingIndex: 1 });
    expect(kit.builder.modelFor(CHAT)).toBeNull();
    await saving;

    kit.warm(CHAT);
    await vi.waitFor(() => expect(kit.builder.modelFor(CHAT)).toBe('gpt-4o-mini'));
    await kitRevisionItem.setValue(7);
    await vi.waitFor(() => expect(kit.builder.modelFor(CHAT)).toBeNull());
  });
});
