import type { DocStore } from './doc-store.ts';
import { mergeToSnapshot } from './merge.ts';

/** A DocStore in a Map: for tests, and as the plainest statement of the interface's contract. */
export class MemoryStore implements DocStore {
  readonly kind = 'memory';
  private readonly rows = new Map<string, Uint8Array[]>();
  private readonly tokens = new Map<string, string>();

  async load(room: string): Promise<Uint8Array[]> {
    return [...(this.rows.get(room) ?? [])];
  }

  async append(room: string, updates: readonly Uint8Array[]): Promise<void> {
    const list = this.rows.get(room) ?? [];
    list.push(...updates);
    this.rows.set(room, list);
  }

  async compact(room: string): Promise<{ rows: number; bytes: number }> {
    const taken = [...(this.rows.get(room) ?? [])];
    if (taken.length === 0) return { rows: 0, bytes: 0 };
    const snapshot = await mergeToSnapshot(taken);
    const now = this.rows.get(room);
    if (!now) return { rows: 0, bytes: 0 }; // deleted while merging: stays deleted
    // Appends that landed while merging stay after the snapshot (the merge only saw `taken`).
    const landed = now.slice(taken.length);
    this.rows.set(room, [snapshot, ...landed]);
    return { rows: 1 + landed.length, bytes: snapshot.length + landed.reduce((sum, row) => sum + row.length, 0) };
  }

  async delete(room: string): Promise<void> {
    this.rows.delete(room);
    this.tokens.delete(room);
  }

  async bindToken(room: string, tokenHash: string): Promise<'bound' | 'matched' | 'mismatched'> {
    const bound = this.tokens.get(room);
    if (bound === undefined) {
      this.tokens.set(room, tokenHash);
      return 'bound';
    }
    return bound === tokenHash ? 'matched' : 'mismatched';
  }

  async close(): Promise<void> {}
}
