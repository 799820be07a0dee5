/**
 * Keeps this device's library in step with its paired devices through the relay. One room carries
 * the library index doc (which ids exist, which changed, which were deleted); each character,
 * lorebook or chat memory doc has its own room, opened only while it has something to exchange, a few at a time;
 * asset blobs travel in rooms of their own. Local writes keep working offline: changed ids stay
 * marked until their room synced.
 *
 * This class only wires the parts together and answers for them: the index bookkeeping
 * (index-sync.ts), the index room (relay-link.ts), the doc rooms (doc-rooms.ts), the asset manifest
 * and blobs (asset-publisher.ts) and the saved state (sync-state.ts) each own their state.
 */
import type { SyncStatus } from '../../messaging/sync-types.ts';
import type { DocKind } from '@troupe/shared/docs';
import type { PairingKeys } from '@troupe/shared/pairing';
import type { TroupeDb } from '../db/database.ts';
import { deleteDocForRemote, syncedDocIds, syncedTombstones, watchSyncedChanges } from './synced-docs.ts';
import { AssetPublisher } from './asset-publisher.ts';
import { DocRooms } from './doc-rooms.ts';
import { IndexSync } from './index-sync.ts';
import { DEFAULT_SYNC_LIMITS, type SyncLimits } from './limits.ts';
import { RelayLink } from './relay-link.ts';
import { readSyncState, StateSaver, type SyncStateStore } from './sync-state.ts';
import type { SyncTransport } from './transport.ts';

export type { PersistedSyncState, SyncStateStore } from './sync-state.ts';

export interface SyncManagerOptions {
  db: TroupeDb;
  keys: PairingKeys;
  transport: SyncTransport;
  store: SyncStateStore;
  onStatus?: (status: SyncStatus) => void;
  /** Other limits than DEFAULT_SYNC_LIMITS (tests; the bench measures the old ones against the new). */
  limits?: Partial<SyncLimits>;
}

export class SyncManager {
  private readonly index: IndexSync;
  private readonly link: RelayLink;
  private readonly rooms: DocRooms;
  private readonly assets: AssetPublisher;
  private readonly saver: StateSaver;
  /** What `stop` undoes besides the parts: the local-change watch and the manifest observer. */
  private readonly cleanups: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private lastStatus = '';
  private stopped = false;

  constructor(private readonly options: SyncManagerOptions) {
    const { db, keys, transport, store } = options;
    const limits = { ...DEFAULT_SYNC_LIMITS, ...options.limits };
    const online = () => !this.stopped && this.link.online() && this.index.usable();
    const changed = () => {
      this.saver.schedule();
      this.emit();
    };
    this.index = new IndexSync({
      wanted: (kind, id) => this.rooms.request(kind, id),
      deletedElsewhere: (kind, id) => {
        this.rooms.cancel(id);
        deleteDocForRemote(db, kind, id).catch((error: unknown) => console.error('Troupe sync: could not apply a deletion', error));
      },
      changed: () => this.saver.schedule(),
    });
    this.link = new RelayLink({
      synced: () => {
        this.reconcile();
        this.assets.indexSynced();
      },
      changed: () => this.emit(),
    });
    this.rooms = new DocRooms({
      db, keys, transport, limits, online,
      pushing: (id) => this.index.isDirty(id),
      stampOf: (id) => this.index.stampOf(id),
      finished: (round) => {
        const again = this.index.roundDone(round);
        if (round.kind === 'character') {
          if (round.pushed) this.assets.pushed(round.id);
          else this.assets.pulled(round.id);
        }
        return again;
      },
      changed: () => this.emit(),
    });
    this.assets = new AssetPublisher({ db, keys, transport, limits, index: this.index, online, changed });
    this.saver = new StateSaver(store, () => ({ ...this.index.saved(), ...this.assets.saved() }));
  }

  /** Loads the saved state, watches local writes and connects the index room. */
  async start(): Promise<void> {
    const { db, keys, transport, store } = this.options;
    const saved = readSyncState(await store.load());
    // Stopped meanwhile: nothing may be watched or observed after `stop` has undone what was.
    if (this.stopped) return;
    this.index.load(saved);
    if (saved) this.assets.restore(saved.uploads, saved.assetsListed);
    this.cleanups.push(watchSyncedChanges(db, {
      changed: (kind, id) => this.localChange(kind, id),
      deleted: (kind, id) => this.localDelete(kind, id),
    }));
    const tombstones = await syncedTombstones(db);
    const local = await syncedDocIds(db);
    if (this.stopped) return;
    for (const { kind, id } of this.index.adopt(tombstones, local)) this.rooms.request(kind, id);
    this.index.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      this.saver.schedule();
      if (this.index.isRemote(origin)) this.reconcile();
    });
    this.cleanups.push(this.assets.observe());
    this.saver.schedule();
    await this.link.open(keys, transport, this.index.doc, () => this.stopped);
    if (this.stopped) return;
    this.emit();
  }

  /** Disconnects everything and saves; the manager cannot be started again. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.assets.stop();
    this.link.close();
    this.rooms.stop();
    await this.saver.stop();
    this.index.destroy();
  }

  /** The status as the UI shows it. */
  status(): SyncStatus {
    const refused = this.link.refused() ?? this.index.refused();
    if (refused) return { state: 'error', reason: refused };
    if (!this.link.isConnected()) return { state: 'offline' };
    const pending = this.rooms.pending() + this.assets.pending();
    if (!this.link.online() || pending > 0) return { state: 'syncing', pending };
    return { state: 'connected' };
  }

  /** Resolves once nothing is queued or open and the index is synced (tests and the e2e harness wait on this). */
  async idle(): Promise<void> {
    while (this.status().state !== 'connected') await new Promise<void>((resolve) => { this.idleWaiters.push(resolve); });
  }

  private emit(): void {
    const status = this.status();
    const key = JSON.stringify(status);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.options.onStatus?.(status);
  }

  private localChange(kind: DocKind, id: string): void {
    if (this.stopped || !this.index.changedHere(kind, id)) return;
    this.rooms.pushLocal(kind, id);
  }

  private localDelete(kind: DocKind, id: string): void {
    if (this.stopped) return;
    this.index.transactLocal(() => {
      this.index.deletedHere(kind, id);
      if (kind === 'character') this.assets.characterDeleted(id);
    });
    this.rooms.cancel(id);
    this.saver.schedule();
    this.emit();
  }

  /** Applies what the index says (see IndexSync.reconcile), then opens the rooms it asked for. */
  private reconcile(): void {
    if (this.stopped) return;
    this.index.reconcile();
    this.rooms.pump();
  }
}
