/**
 * The open chat's prompt kit, held by this page: with it the page builds the chat's prompts itself, in
 * the request's own task, whether or not Chrome has stopped the background since (it stops an idle one
 * after ~30 s). A kit must never outlive a change to what it was built from, so this is also where the
 * panel's calls pass: one that changes a chat, a persona or its settings drops the kit first.
 */
import { WARM_INTERVAL_MS } from '../../messaging/limits/general.ts';
import { kitRevisionItem } from '../../messaging/storage/kit-revision.ts';
import type { RuntimeType } from '../../messaging/runtime-protocol.ts';
import type { BackgroundCall } from './overlay-state.ts';
import { PageBuilder } from './page-build.ts';

/** The model a kit is first asked for, before any request of the chat named one (its tokenizer's counts). */
const DEFAULT_KIT_MODEL = 'gpt-4o-mini';

/**
 * Calls after which a held kit is stale. The background also says so (kitRevisionItem), but only after
 * the change; dropping before the call keeps a message sent right after a save from using the old kit.
 */
const KIT_CHANGING_CALLS: ReadonlySet<RuntimeType> = new Set<RuntimeType>(['chat.activate', 'chat.settings.update', 'personas.save', 'personas.delete']);

export interface PageKit {
  builder: PageBuilder;
  /** `call` for the panel: drops the held kit before any call in KIT_CHANGING_CALLS. */
  call: BackgroundCall;
  /** The chat's last request on this page asked for `model` (its tokenizer is what the next kit needs). */
  sawModel(chatKey: string, model: string): void;
  /**
   * The person starts on a message in a character chat: gets the chat's kit now, while they type,
   * unless it is held. Resolves true when it asked (the caller may refresh what a request needs too).
   */
  warm(chatKey: string): boolean;
}

export function createPageKit(call: BackgroundCall, report: (error: unknown) => void, signal: AbortSignal): PageKit {
  const builder = new PageBuilder({
    fetchKit: (chatKey, model) => call('prompt.kit', { chatKey, model }),
    countTokens: (model, texts) => call('prompt.count', { model, texts }),
    used: (chatKey, state, built) => { call('prompt.used', { chatKey, state, report: built }).catch(report); },
    now: () => new Date(),
  });
  const unwatch = kitRevisionItem.watch(() => builder.drop());
  signal.addEventListener('abort', unwatch, { once: true });

  // The model of each chat's last request: seen here, or as the background last reported it.
  const models = new Map<string, string>();
  const reported = new Map<string, Promise<string>>();
  const modelOf = (chatKey: string) => {
    let model = reported.get(chatKey);
    if (!model) {
      model = call('prompt.report', { chatKey }).then((last) => last?.model || DEFAULT_KIT_MODEL, () => DEFAULT_KIT_MODEL);
      reported.set(chatKey, model);
    }
    return model;
  };
  let failedAt = -Infinity;

  return {
    builder,
    call: (type, payload) => {
      if (KIT_CHANGING_CALLS.has(type)) builder.drop();
      return call(type, payload);
    },
    sawModel: (chatKey, model) => { if (model) models.set(chatKey, model); },
    warm(chatKey) {
      // Every key press lands here: held already, nothing to do.
      const known = models.get(chatKey) ?? builder.modelFor(chatKey);
      if ((known && builder.canBuild(chatKey, known)) || Date.now() - failedAt < WARM_INTERVAL_MS) return false;
      void (known ? Promise.resolve(known) : modelOf(chatKey))
        .then((model) => builder.prepare(chatKey, model))
        .catch(() => { failedAt = Date.now(); });
      return true;
    },
  };
}
