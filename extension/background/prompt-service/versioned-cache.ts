/**
 * Values kept per key as of a version of what they were read from (a table's version in the change
 * feed): a lookup with a newer version reads again, so nothing older than the last write is served and
 * nobody has to remember to clear anything. A failed read is not kept.
 */
export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: number | string; value: Promise<T> }>();

  /** The value for `key` as of `version`, read with `load` when none is kept for that version. */
  get(key: string, version: number | string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && entry.version === version) return entry.value;
    const value = load();
    this.entries.set(key, { version, value });
    value.catch(() => { if (this.entries.get(key)?.value === value) this.entries.delete(key); });
    return value;
  }
}
