/**
 * Runs the panel's features: each gets a run while what it needs holds (the site confirmed, a chat
 * open, a character active), a new one when that chat or character changes, with a signal tied to the
 * chat and to the content script (WXT's `ctx.signal`). The guards every feature would otherwise repeat
 * live here, once; what a failing feature breaks stays in its own section (feature-run.tsx).
 */
import type { BackgroundCall, OverlayHandle, OverlayState } from '../overlay/overlay-state.ts';
import type { RuntimeRequest, RuntimeResponse, RuntimeType } from '../../messaging/runtime-protocol.ts';
import { linkedController } from '../overlay/linked-controller.ts';
import { createStore, type ReadableStore } from '../overlay/store.ts';
import type { FeatureRun, FeatureScope, Needs, PanelFeature, RunHost } from './feature.ts';
import { runFeature } from './feature-run.tsx';

export interface FeatureSlot {
  readonly feature: PanelFeature;
  /** The feature's current run and its key; both null while what it needs does not hold. */
  readonly current: ReadableStore<{ run: FeatureRun | null; key: string | null }>;
}

/** Starts `features` (in display order) on `overlay`, for as long as `signal` lasts. */
export function startFeatures(features: readonly PanelFeature[], overlay: OverlayHandle, signal: AbortSignal): FeatureSlot[] {
  const host: RunHost = { overlay, reads: sharedReads(overlay.call), run: runFeature };
  return features.map((feature) => {
    const current = createStore<{ run: FeatureRun | null; key: string | null }>({ run: null, key: null });
    let ending: AbortController | null = null;
    const follow = (state: OverlayState) => {
      const key = signal.aborted ? null : runKey(feature.needs, state);
      if (key === current.get().key) return;
      ending?.abort();
      ending = key === null ? null : linkedController(signal);
      const run = ending && feature.run(scopeFor(feature.needs, state, overlay.call, ending.signal), host);
      current.set({ run, key });
    };
    overlay.state.subscribe(follow, signal);
    signal.addEventListener('abort', () => follow(overlay.state.get()), { once: true });
    follow(overlay.state.get());
    return { feature, current };
  });
}

/** Which run a feature with `needs` gets in `state`: a new key ends the old run and starts one; null, none. */
export function runKey(needs: Needs, { site, chatKey, chat }: OverlayState): string | null {
  if (site !== 'confirmed') return null;
  if (needs === 'site') return 'site';
  if (!chatKey) return null;
  if (needs === 'chat') return chatKey;
  const character = chat?.chatKey === chatKey ? chat.character : null;
  return character ? `${chatKey}\n${character.id}` : null;
}

/** A run's scope; its `call` refuses once the run has ended, so an ended feature can change nothing. */
function scopeFor(needs: Needs, { chatKey }: OverlayState, call: BackgroundCall, signal: AbortSignal): FeatureScope {
  return {
    chatKey: needs === 'site' ? null : chatKey,
    call: (type, payload) => (signal.aborted ? Promise.reject(signal.reason) : call(type, payload)),
    signal,
  };
}

/**
 * Loads are reads: identical ones issued together (in one task, as every feature of a chat starts or
 * hears the same announcement) share one call. Only those: a read asked for later may follow a change
 * the earlier one predates, so it asks anew.
 */
export function sharedReads(call: BackgroundCall): BackgroundCall {
  const together = new Map<string, Promise<unknown>>();
  return <T extends RuntimeType>(type: T, payload: RuntimeRequest<T>): Promise<RuntimeResponse<T>> => {
    const key = `${type}\n${JSON.stringify(payload)}`;
    const shared = together.get(key);
    if (shared) return shared as Promise<RuntimeResponse<T>>;
    const answer = call(type, payload);
    together.set(key, answer);
    queueMicrotask(() => together.delete(key));
    return answer;
  };
}
