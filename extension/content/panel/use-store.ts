/** Preact's side of a store (overlay/store.ts): a component re-renders when the value it reads changes. */
import { useEffect, useState } from 'preact/hooks';
import type { ReadableStore } from '../overlay/store.ts';

/** The store's value, kept current while the calling component is mounted. */
export function useStore<T>(store: ReadableStore<T>): T {
  const [value, setValue] = useState(() => store.get());
  useEffect(() => {
    const mounted = new AbortController();
    // The value may have changed between the render and this effect.
    setValue(store.get());
    store.subscribe(setValue, mounted.signal);
    return () => mounted.abort();
  }, [store]);
  return value;
}
