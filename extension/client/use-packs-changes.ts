import { useEffect, useState } from 'preact/hooks';
import { subscribeToBackground } from './runtime-client.ts';

/** A number that grows whenever shared or imported packs change (or the background woke up again), for effects that list them. */
export function usePacksChanges(): number {
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    const stop = new AbortController();
    subscribeToBackground((event) => { if (event.type === 'packs-changed' || event.type === 'reconnected') setChanges((n) => n + 1); }, stop.signal);
    return () => stop.abort();
  }, []);
  return changes;
}
