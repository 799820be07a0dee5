/**
 * Writes of the settings a prompt is built from (the default persona, saved personas, global prompt
 * settings), which live in extension storage rather than the database. Only the background writes
 * them, through `writeSetting`, so the change feed hears a write the moment it lands: storage's own
 * change event arrives later, and a request built in between would use the old value.
 */

type Listener = (key: string) => void;
const listeners = new Set<Listener>();

/** A setting item as WXT defines it (the parts used here). */
export interface SettingItem<T> {
  readonly key: string;
  setValue(value: T): Promise<void>;
}

/** Writes `value` and tells the change feed. */
export async function writeSetting<T>(item: SettingItem<T>, value: T): Promise<void> {
  await item.setValue(value);
  for (const listener of [...listeners]) listener(item.key);
}

/** Calls `listener` with the key of every setting written from now on; returns the unsubscribe function. */
export function onSettingsWritten(listener: Listener): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}
