/**
 * A minimal observable value: one owner writes, others read it and hear of each change. The overlay's
 * state, each panel feature's data and the feature manager's slots are all one of these.
 */

/** What a reader may do: read now, and hear of each change until `signal` aborts. */
export interface ReadableStore<T> {
  get(): T;
  subscribe(listener: (value: T) => void, signal: AbortSignal): void;
}

export interface Store<T> extends ReadableStore<T> {
  set(patch: Partial<T>): void;
}

export function createStore<T extends object>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(patch) {
      value = { ...value, ...patch };
      for (const listener of [...listeners]) listener(value);
    },
    subscribe(listener, signal) {
      if (signal.aborted) return;
      // Wrapped, so one listener added twice is two subscriptions, each ended by its own signal.
      const once = (next: T) => listener(next);
      listeners.add(once);
      signal.addEventListener('abort', () => listeners.delete(once), { once: true });
    },
  };
}
