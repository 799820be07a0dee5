import Dexie from 'dexie';

/**
 * Calls `listener` after every committed write to any of `tables` in this database, from this
 * context or another one (Dexie's `storagemutated` event, which also covers `clear()` and bulk
 * writes, unlike table hooks). For caches that must not serve a value older than the last write.
 * Returns the unsubscribe function.
 */
export function onTableWrites(db: Dexie, tables: readonly string[], listener: () => void): () => void {
  const prefixes = tables.map((table) => `idb://${db.name}/${table}/`);
  const handler = (parts: Record<string, unknown>) => {
    if (Object.keys(parts).some((part) => prefixes.some((prefix) => part.startsWith(prefix)))) listener();
  };
  Dexie.on('storagemutated', handler);
  return () => Dexie.on('storagemutated').unsubscribe(handler);
}
