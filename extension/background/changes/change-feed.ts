/**
 * The one change feed of the background: every committed write to the library and chat tables, and
 * every write of the settings a prompt is built from, as one stream of changes (what table, which
 * ids, whose write). Built once per database; the prompt service, sync and the kit revision subscribe
 * to it instead of each watching Dexie, storage and the handlers on its own.
 *
 * Writes are seen through Dexie's table hooks, so every write path (present and future, bulk ones
 * included) is heard; a change is delivered after its transaction commits, one per table touched.
 */
import type { TombstoneRow, TroupeDb } from '../db/database.ts';
import { currentWriteOrigin, type WriteOrigin } from './write-origin.ts';
import { onSettingsWritten } from './settings-writes.ts';

export type { WriteOrigin } from './write-origin.ts';

/** The tables the feed reports, and `settings` (the prompt settings and personas in extension storage). */
export type ChangeTable = 'characters' | 'lorebooks' | 'tombstones' | 'chats' | 'chatLog' | 'memories' | 'settings';

/** Assets and thumbnails are left out: nothing built from them is kept, and a hook on them would slow imports. */
const WATCHED_TABLES = ['characters', 'lorebooks', 'tombstones', 'chats', 'chatLog', 'memories'] as const satisfies readonly ChangeTable[];
type WatchedTable = (typeof WATCHED_TABLES)[number];

export interface Change {
  table: ChangeTable;
  /** Whose write: the person's (through the library, chats, settings), sync's, a stored reply, or the prompt service's own bookkeeping. */
  origin: WriteOrigin;
  /**
   * The ids written (created or updated), by the aggregate they belong to: a character's id, a lorebook's id, a chat key (chats, chatLog, memories), a deleted doc's id
   * (tombstones), a storage key (settings).
   */
  ids: readonly string[];
  /** Ids whose row was deleted in this change (a purged character, a pruned chat log). */
  removed: readonly string[];
  /** tombstones only: what kind of doc each new tombstone stands for. */
  kinds?: ReadonlyMap<string, TombstoneRow['kind']>;
  /** The table's version once this change is applied: it goes up by one with every change. */
  version: number;
}

export type ChangeListener = (change: Change) => void;

/** What one transaction wrote to one table, gathered until it commits. */
interface Pending {
  ids: Set<string>;
  removed: Set<string>;
  kinds: Map<string, TombstoneRow['kind']>;
}

/** The parts of a Dexie transaction a hook receives that the feed uses. */
interface HookTransaction {
  on(event: 'complete', listener: () => void): void;
}

/** A table's hook registration, as Dexie exposes it. */
interface Hookable {
  hook(event: 'creating' | 'updating' | 'deleting', listener: (...args: never[]) => void): void;
  hook(event: 'creating' | 'updating' | 'deleting'): { unsubscribe(listener: (...args: never[]) => void): void };
}

/** What the prompt service and sync need of the feed: versions and a subscription (tests use a ChangeStream). */
export interface ChangeSource {
  version(table: ChangeTable): number;
  subscribe(listener: ChangeListener, signal?: AbortSignal): () => void;
}

/** Versions per table and the subscribers: the feed's delivery, apart from where changes come from. */
export class ChangeStream implements ChangeSource {
  private readonly listeners = new Set<ChangeListener>();
  private readonly versions = new Map<ChangeTable, number>();

  /** The table's current version (0 before any change since the feed started). Caches keyed by it never serve a value older than the last write. */
  version(table: ChangeTable): number {
    return this.versions.get(table) ?? 0;
  }

  /** Calls `listener` with every change from now on, until `signal` aborts or the returned function is called. */
  subscribe(listener: ChangeListener, signal?: AbortSignal): () => void {
    const stop = () => { this.listeners.delete(listener); };
    if (signal?.aborted) return stop;
    this.listeners.add(listener);
    signal?.addEventListener('abort', stop, { once: true });
    return stop;
  }

  /** Delivers a change of `table` to every subscriber, with the table's next version. */
  publish(table: ChangeTable, origin: WriteOrigin, ids: Iterable<string>, more: { removed?: Iterable<string>; kinds?: ReadonlyMap<string, TombstoneRow['kind']> } = {}): Change {
    const version = this.version(table) + 1;
    this.versions.set(table, version);
    const change: Change = { table, origin, ids: [...ids], removed: [...(more.removed ?? [])], version, ...(more.kinds ? { kinds: more.kinds } : {}) };
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        // One subscriber's bug must not keep the change from the others.
        console.error('Troupe: a change listener failed', error);
      }
    }
    return change;
  }

  /** Drops every subscriber. */
  protected clear(): void {
    this.listeners.clear();
  }
}

/** The change stream fed by the database's table hooks and by settings writes. */
export class ChangeFeed extends ChangeStream {
  private readonly pending = new WeakMap<HookTransaction, Map<WatchedTable, Pending>>();
  private readonly stops: (() => void)[] = [];

  constructor(db: TroupeDb) {
    super();
    for (const table of WATCHED_TABLES) this.stops.push(this.hookTable(db, table));
    this.stops.push(onSettingsWritten((key) => this.publish('settings', 'person', [key])));
  }

  /** Stops hearing writes (tests, and a database that closes). */
  close(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.clear();
  }

  private hookTable(db: TroupeDb, table: WatchedTable): () => void {
    const hookable = db.table(table) as unknown as Hookable;
    const note = (tx: HookTransaction, write: (pending: Pending) => void) => write(this.pendingFor(tx, table));
    const creating = (key: unknown, row: Record<string, unknown>, tx: HookTransaction) => note(tx, (p) => {
      const id = aggregateId(table, key, row);
      if (id === null) return;
      p.ids.add(id);
      if (table === 'tombstones' && isTombstoneKind(row.kind)) p.kinds.set(id, row.kind);
    });
    const updating = (_mods: unknown, key: unknown, row: Record<string, unknown>, tx: HookTransaction) => note(tx, (p) => {
      const id = aggregateId(table, key, row);
      if (id !== null) p.ids.add(id);
    });
    const deleting = (key: unknown, row: Record<string, unknown> | undefined, tx: HookTransaction) => note(tx, (p) => {
      const id = aggregateId(table, key, row ?? {});
      if (id === null) return;
      p.removed.add(id);
    });
    hookable.hook('creating', creating as never);
    hookable.hook('updating', updating as never);
    hookable.hook('deleting', deleting as never);
    return () => {
      hookable.hook('creating').unsubscribe(creating as never);
      hookable.hook('updating').unsubscribe(updating as never);
      hookable.hook('deleting').unsubscribe(deleting as never);
    };
  }

  /** The writes gathered for `table` in `tx`; the first one arranges for the change to go out on commit. */
  private pendingFor(tx: HookTransaction, table: WatchedTable): Pending {
    let tables = this.pending.get(tx);
    if (!tables) {
      tables = new Map();
      this.pending.set(tx, tables);
      const origin = currentWriteOrigin(tx);
      const gathered = tables;
      tx.on('complete', () => {
        for (const [name, writes] of gathered) this.publish(name, origin, writes.ids, { removed: writes.removed, ...(name === 'tombstones' ? { kinds: writes.kinds } : {}) });
      });
    }
    let writes = tables.get(table);
    if (!writes) {
      writes = { ids: new Set(), removed: new Set(), kinds: new Map() };
      tables.set(table, writes);
    }
    return writes;
  }
}

/** The aggregate a row belongs to (see Change.ids), or null when the row does not say. */
function aggregateId(table: WatchedTable, key: unknown, row: Record<string, unknown>): string | null {
  const value = table === 'chatLog' ? row.chatKey : key;
  return typeof value === 'string' ? value : null;
}

const feeds = new WeakMap<TroupeDb, ChangeFeed>();

/** The database's change feed, made on first use: one per database, however many parts ask. */
export function changeFeedFor(db: TroupeDb): ChangeFeed {
  let feed = feeds.get(db);
  if (!feed) {
    feed = new ChangeFeed(db);
    feeds.set(db, feed);
  }
  return feed;
}

function isTombstoneKind(kind: unknown): kind is TombstoneRow['kind'] {
  return kind === 'character' || kind === 'lorebook' || kind === 'memory';
}
