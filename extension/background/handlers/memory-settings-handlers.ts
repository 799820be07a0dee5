import type { MemorySettingsApi, MemorySettingsView } from '../../messaging/protocols/memory-protocol.ts';
import type { SummaryMessage } from '../../messaging/protocols/offscreen-protocol.ts';
import type { SummaryModel, SummaryModelStore } from '../memory/summary-model-store.ts';
import type { Summariser } from '../offscreen/summariser.ts';
import type { Handlers } from './types.ts';

/** The tiny chat the Test button has the saved model summarise: two lines, one fact, cheap for any model. */
const TEST_CHAT: readonly SummaryMessage[] = [
  { id: 'test-1', role: 'user', name: 'Ann', text: 'I left my brass lantern at the lighthouse last night.' },
  { id: 'test-2', role: 'assistant', name: 'Mira', text: 'I will bring the lantern back to you at dawn.' },
];
/** Room for a sentence or two: the test asks whether the model answers, not how well it summarises. */
const TEST_TARGET_TOKENS = 100;

const view = (saved: SummaryModel | null, useChatModel: boolean): MemorySettingsView => ({
  summaryModel: saved ? { url: saved.url, model: saved.model, hasKey: saved.apiKey !== null } : null,
  useChatModel,
});

/** True when both addresses are the same origin (scheme, host, port): a kept key goes only where it went before. */
function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** `text` with every occurrence of `key` replaced (a failure's words are shown, the key never is); as the worker cleans its errors. */
function withoutKey(text: string, key: string | undefined): string {
  return key && key.length >= 4 ? text.split(key).join('[key]') : text;
}

/**
 * The options page's Memory settings: which model writes summaries, and whether chats' own models do
 * when none is set. The API key is stored on this device only and never answered back: the page sees
 * `hasKey`. Changing the address to another origin without giving a key drops the saved key, so a key
 * is never sent to a server it was not given for.
 */
export function memorySettingsHandlers(
  summariser: Pick<Summariser, 'summarise'>,
  models: Pick<SummaryModelStore, 'load' | 'save' | 'endpoint' | 'useChatModel' | 'setUseChatModel'>,
  /** Drops the chats' own credentials the background keeps, when the person turns that off. */
  forgetChatModels: () => Promise<void> = async () => {},
): Handlers<MemorySettingsApi> {
  const current = async () => view(await models.load(), await models.useChatModel());
  return {
    'memory.settings.get': current,
    'memory.settings.update': async ({ summaryModel, useChatModel }) => {
      if (useChatModel !== undefined) await models.setUseChatModel(useChatModel);
      if (useChatModel === false) await forgetChatModels();
      if (summaryModel === null) await models.save(null);
      else if (summaryModel !== undefined) {
        const saved = await models.load();
        const kept = saved && sameOrigin(saved.url, summaryModel.url) ? saved.apiKey : null;
        await models.save({ url: summaryModel.url, model: summaryModel.model, apiKey: summaryModel.apiKey === undefined ? kept : summaryModel.apiKey });
      }
      return current();
    },
    'memory.settings.test': async () => {
      const endpoint = await models.endpoint();
      if (!endpoint) return { ok: false, message: 'No summary model is saved: summaries are made by the local summariser.' };
      try {
        const result = await summariser.summarise({ jobId: `test-${Date.now()}`, messages: [...TEST_CHAT], targetTokens: TEST_TARGET_TOKENS, model: endpoint.model, endpoint });
        if (result.source === 'model') return { ok: true, sample: result.text };
        return { ok: false, message: withoutKey(result.modelError ?? 'The model\'s summary was not used; the local summariser wrote it.', endpoint.apiKey) };
      } catch (error) {
        return { ok: false, message: withoutKey(error instanceof Error ? error.message : String(error), endpoint.apiKey) };
      }
    },
  };
}
