/**
 * Tests only: the background as a fake that answers what a test says and records every call and
 * listener, and a page whose idle callbacks exist.
 */
import { vi } from 'vitest';
import type { RuntimeRequest, RuntimeResponse, RuntimeType } from '../../messaging/runtime-protocol.ts';
import type { BackgroundCall, BackgroundEvent, BackgroundSubscribe } from './overlay-state.ts';

type Handler<T extends RuntimeType> = (payload: RuntimeRequest<T>) => RuntimeResponse<T> | Promise<RuntimeResponse<T>>;

export interface FakeBackground {
  call: BackgroundCall;
  subscribe: BackgroundSubscribe;
  /** Every call made, in order. */
  calls: { type: RuntimeType; payload: unknown }[];
  /** The payloads of the calls of `type`, in order. */
  callsOf<T extends RuntimeType>(type: T): RuntimeRequest<T>[];
  /** How `type` answers from now on (throw, or reject, to fail it). A call nobody answers fails. */
  answer<T extends RuntimeType>(type: T, handler: Handler<T>): void;
  /** Announces `event` to every listener, as the background does. */
  emit(event: BackgroundEvent): void;
  /** How many listeners are subscribed now. */
  listeners(): number;
}

export function fakeBackground(): FakeBackground {
  const handlers = new Map<RuntimeType, (payload: unknown) => unknown>();
  const listeners = new Set<(event: BackgroundEvent) => void>();
  const calls: FakeBackground['calls'] = [];
  return {
    calls,
    callsOf: <T extends RuntimeType>(type: T) => calls.filter((c) => c.type === type).map((c) => c.payload as RuntimeRequest<T>),
    call: async <T extends RuntimeType>(type: T, payload: RuntimeRequest<T>) => {
      calls.push({ type, payload });
      const handler = handlers.get(type);
      if (!handler) throw new Error(`the fake background has no answer for ${type}`);
      // Registered through `answer`, which typed it for this `type`.
      return (await handler(payload)) as RuntimeResponse<T>;
    },
    subscribe(onEvent, signal) {
      if (signal.aborted) return;
      const listener = (event: BackgroundEvent) => onEvent(event);
      listeners.add(listener);
      signal.addEventListener('abort', () => listeners.delete(listener), { once: true });
    },
    answer(type, handler) {
      handlers.set(type, handler as (payload: unknown) => unknown);
    },
    emit(event) {
      for (const listener of [...listeners]) listener(event);
    },
    listeners: () => listeners.size,
  };
}

/** happy-dom has no idle callbacks; the page's thread is idle in a test once the current task is done. */
export function idleLikeABrowser(): void {
  if ('requestIdleCallback' in globalThis) return;
  vi.stubGlobal('requestIdleCallback', (task: IdleRequestCallback) => setTimeout(() => task({ didTimeout: false, timeRemaining: () => 50 }), 0));
  vi.stubGlobal('cancelIdleCallback', (handle: number) => clearTimeout(handle));
}
