import { useEffect, useState } from 'preact/hooks';
import { subscribeToBackground } from './runtime-client.ts';

/**
 * A number that grows whenever the library changes (or the background woke up again and may have
 * missed telling), for effects that list library items to depend on; `refresh` grows it by hand.
 */
export function useLibraryChanges(): [changes: number, refresh: () => void] {
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    const stop = new AbortController();
    subscribeToBackground((event) => { if (event.type === 'characters-changed' || event.type === 'reconnected') setChanges((n) => n + 1); }, stop.signal);
    return () => stop.abort();
  }, []);
  return [changes, () => setChanges((n) => n + 1)];
}
