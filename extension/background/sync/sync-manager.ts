/**
 * Keeps this device's library in step with its paired devices through the relay. One room carries
 * the library index doc (which ids exist, which changed, which were deleted); each character or
 * lorebook doc has its own room, opened only while it has something to exchange, a few at a time.
 * Local writes keep working offline: changed ids stay marked until their room synced.
 */
import type { SyncStatus } from '../../messaging/sync-types.ts';
import * as Y from 'yjs';
import { closeCodeName } from '@troupe/shared/protocol';
import type { PairingKeys } from '@troupe/shared/pairing';
import type { TroupeDb } from '../db/database.ts';
import { bytesToBase64, base64ToBytes } from '@troupe/shared/bytes';
import { applyRemoteUpdate, charactersWithLocalAssets, deleteForRemote, loadLocalDoc, localAssets, localDocIds, localTombstones, missingAssets, removeSyncedAsset, watchLocalChanges, type DocKind } from '../library/sync-hooks.ts';
import { characterAssets, charactersWithAssets, hashInUse, observeAssetChanges, removeCharacterAssets, setCharacterAssets, type AssetEntry } from './asset-manifest.ts';
import { sha256Hex } from './blob-room.ts';
import { BlobSync, type PendingUpload } from './blob-sync.ts';
import { checkIndexFormat, indexEntries, indexEntry, INDEX_DOC_ID, initIndexDoc, markDeleted, stampItem } from './index-doc.ts';
import { DEFAULT_SYNC_LIMITS, DRAIN_POLL_MS, SAVE_DELAY_MS, type SyncLimits } from './limits.ts';
import type { SyncConnection, SyncTransport } from './transport.ts';

/**
 * What survives a service-worker restart: the index doc, which docs still need a push or were
 * pulled, and (format 2) which blobs still need an upload. Format 1 is read as format 2 without uploads.
 */
export interface PersistedSyncState {
  format: 1 | 2;
  /** Y.encodeStateAsUpdate of the index doc, base64. */
  index: string;
  /** id -> the index stamp this device last synced. */
  seen: Record<string, string>;
  /** id -> kind, for docs changed here and not yet synced. */
  dirty: Record<string, DocKind>;
  /** Format 2: blobs this device owes the relay. */
  uploads?: PendingUpload[];
  /**
   * Format 2: false until this device has listed the assets of characters it synced before asset
   * sync existed (a format-1 state); those docs are not dirty, so no push would list them.
   */
  assetsListed?: boolean;
}

export interface SyncStateStore {
  load(): Promise<PersistedSyncState | null>;
  save(state: PersistedSyncState): Promise<void>;
}

export interface SyncManagerOptions {
  db: TroupeDb;
  keys: PairingKeys;
  transport: SyncTransport;
  store: SyncStateStore;
  onStatus?: (status: SyncStatus) => void;
  /** Other limits than DEFAULT_SYNC_LIMITS (tests; the bench measures the old ones against the new). */
  limits?: Partial<SyncLimits>;
}

/** Origin of changes this device makes to a synced Y.Doc (anything else came from the relay). */
const LOCAL = Symbol('troupe-local');

export class SyncManager {
  private readonly index = new Y.Doc();
  private seen: Record<string, string> = {};
  private dirty: Record<string, DocKind> = {};
  private readonly queue = new Map<string, DocKind>();
  private readonly open = new Map<string, DocRoom>();
  private indexConnection: SyncConnection | null = null;
  private connected = false;
  private indexSynced = false;
  private refused: string | null = null;
  private stopped = false;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private unwatch: (() => void) | null = null;
  private lastStatus = '';
  private readonly limits: SyncLimits;
  private readonly blobs: BlobSync;
  private unobserveAssets: (() => void) | null = null;
  private checkedAllBlobs = false;
  private assetsListed = true;

  constructor(private readonly options: SyncManagerOptions) {
    this.limits = { ...DEFAULT_SYNC_LIMITS, ...options.limits };
    this.blobs = new BlobSync({
      db: options.db,
      keys: options.keys,
      transport: options.transport,
      limits: this.limits,
      online: () => !this.stopped && this.connected && this.indexSynced,
      inUse: (hash) => hashInUse(this.index, hash),
      changed: () => {
        this.scheduleSave();
        this.emit();
      },
    });
  }

  /** Loads the saved state, watches local writes and connects the index room. */
  async start(): Promise<void> {
    const { db, keys, transport, store } = this.options;
    const saved = await store.load();
    if (saved?.format === 1 || saved?.format === 2) {
      Y.applyUpdate(this.index, base64ToBytes(saved.index));
      this.seen = { ...saved.seen };
      this.dirty = { ...saved.dirty };
      for (const upload of saved.uploads ?? []) this.blobs.add({ kind: 'upload', ...upload });
      this.assetsListed = saved.format === 2 && saved.assetsListed !== false;
    }
    initIndexDoc(this.index);
    this.unwatch = watchLocalChanges(db, {
      changed: (kind, id) => this.localChange(kind, id),
      deleted: (kind, id) => this.localDelete(kind, id),
    });
    // Anything this device holds that the index never heard of (made before pairing, or while the worker slept unpaired).
    for (const { kind, id } of await localTombstones(db)) if (!indexEntry(this.index, id)?.deleted) markDeleted(this.index, kind, id, Date.now());
    for (const { kind, id } of await localDocIds(db)) if (!indexEntry(this.index, id)) this.dirty[id] = kind;
    for (const [id, kind] of Object.entries(this.dirty)) this.queue.set(id, kind);
    this.index.on('update', (_update: Uint8Array, origin: unknown) => {
      this.scheduleSave();
      if (origin !== LOCAL) this.reconcile();
    });
    this.unobserveAssets = observeAssetChanges(this.index, (origin) => origin !== LOCAL, (ids, removed) => this.remoteAssetsChanged(ids, removed));
    this.scheduleSave();
    if (this.stopped) return;
    const room = await keys.join(INDEX_DOC_ID);
    if (this.stopped) return;
    this.indexConnection = transport.open(room, this.index, {
      onConnected: (connected) => {
        this.connected = connected;
        if (!connected) this.indexSynced = false;
        this.emit();
      },
      onSynced: () => {
        this.indexSynced = true;
        this.refused = null;
        this.reconcile();
        this.blobs.pump();
        if (!this.checkedAllBlobs) {
          this.checkedAllBlobs = true;
          this.checkAllBlobs().catch((error: unknown) => console.error('Troupe sync: could not check for missing assets', error));
          if (!this.assetsListed) this.listOldAssets().catch((error: unknown) => console.error('Troupe sync: could not list older assets', error));
        }
      },
      onRefused: (code) => {
        this.refused = closeCodeName(code) ?? `closed (${code})`;
        this.connected = false;
        this.emit();
      },
    });
    this.emit();
  }

  /** Disconnects everything and saves; the manager cannot be started again. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    this.unobserveAssets?.();
    this.blobs.stop();
    this.indexConnection?.close();
    for (const room of this.open.values()) room.abort();
    this.open.clear();
    this.queue.clear();
    if (this.saveTimer !== null) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    await this.save();
    this.index.destroy();
  }

  /** The status as the UI shows it. */
  status(): SyncStatus {
    if (this.refused) return { state: 'error', reason: this.refused };
    if (!this.connected) return { state: 'offline' };
    const pending = this.queue.size + this.open.size + this.blobs.pending();
    if (!this.indexSynced || pending > 0) return { state: 'syncing', pending };
    return { state: 'connected' };
  }

  /** Resolves once nothing is queued or open and the index is synced (tests and the e2e harness wait on this). */
  async idle(): Promise<void> {
    while (this.status().state !== 'connected') await new Promise<void>((resolve) => { this.idleWaiters.push(resolve); });
  }

  private idleWaiters: (() => void)[] = [];

  private emit(): void {
    const status = this.status();
    const key = JSON.stringify(status);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.options.onStatus?.(status);
  }

  private localChange(kind: DocKind, id: string): void {
    if (this.stopped || indexEntry(this.index, id)?.deleted) return;
    this.dirty[id] = kind;
    this.scheduleSave();
    const room = this.open.get(id);
    if (room) room.pushLocal();
    else this.enqueue(kind, id);
  }

  private localDelete(kind: DocKind, id: string): void {
    if (this.stopped) return;
    let dropped: AssetEntry[] = [];
    this.index.transact(() => {
      markDeleted(this.index, kind, id, Date.now());
      if (kind === 'character') dropped = removeCharacterAssets(this.index, id);
    }, LOCAL);
    this.clearUnused(dropped);
    delete this.dirty[id];
    this.seen[id] = '';
    this.queue.delete(id);
    this.open.get(id)?.abort();
    this.scheduleSave();
    this.emit();
  }

  /** Applies what the index says: remote deletions here, stale or new docs queued for a pull. */
  private reconcile(): void {
    if (this.stopped) return;
    if (!checkIndexFormat(this.index)) {
      this.refused = 'index made by a newer Troupe';
      this.emit();
      return;
    }
    for (const entry of indexEntries(this.index)) {
      if (entry.deleted) {
        if (this.seen[entry.id] !== '' || this.dirty[entry.id]) {
          delete this.dirty[entry.id];
          this.seen[entry.id] = '';
          this.queue.delete(entry.id);
          this.open.get(entry.id)?.abort();
          deleteForRemote(this.options.db, entry.kind, entry.id).catch((error: unknown) => console.error('Troupe sync: could not apply a deletion', error));
        }
      } else if (this.seen[entry.id] !== entry.stamp && !this.open.has(entry.id)) {
        this.queue.set(entry.id, entry.kind);
      }
    }
    this.scheduleSave();
    this.pump();
  }

  private enqueue(kind: DocKind, id: string): void {
    this.queue.set(id, kind);
    this.pump();
  }

  /** Opens doc rooms for queued ids while fewer than `maxOpenDocRooms` are open and the relay is reachable. */
  private pump(): void {
    if (!this.stopped && this.connected && this.indexSynced) {
      for (const [id, kind] of this.queue) {
        if (this.open.size >= this.limits.maxOpenDocRooms) break;
        if (this.open.has(id)) continue;
        this.queue.delete(id);
        this.runRoom(kind, id);
      }
    }
    this.emit();
  }

  private runRoom(kind: DocKind, id: string): void {
    const pushing = this.dirty[id] !== undefined;
    const room = new DocRoom(this.options, this.limits, kind, id, pushing);
    this.open.set(id, room);
    const stampAtStart = indexEntry(this.index, id)?.stamp ?? '';
    room.run().then((result) => {
      if (this.open.get(id) === room) this.open.delete(id);
      if (this.stopped || result === 'aborted') return;
      if (result === 'timeout') {
        this.queue.set(id, kind);
      } else if (pushing || result === 'pushed') {
        // Our state reached the relay: a new stamp tells the other devices to pull.
        const stamp = crypto.randomUUID();
        this.index.transact(() => stampItem(this.index, kind, id, stamp), LOCAL);
        this.seen[id] = stamp;
        if (room.changedLocallyAfterSync) this.queue.set(id, kind);
        else delete this.dirty[id];
        if (kind === 'character') this.publishAssets(id).catch((error: unknown) => console.error('Troupe sync: could not publish assets', error));
      } else {
        this.seen[id] = stampAtStart;
        // Only this entry can have moved on while its room was open (a full reconcile per pulled doc
        // made a first sync quadratic in the library's size).
        const now = indexEntry(this.index, id);
        if (now && !now.deleted && now.stamp !== stampAtStart) this.queue.set(id, kind);
        if (kind === 'character') this.checkBlobs(id);
      }
      this.scheduleSave();
      this.pump();
    }, (error: unknown) => {
      console.error('Troupe sync: a document room failed', error);
      if (this.open.get(id) === room) this.open.delete(id);
      this.pump();
    });
  }

  /**
   * Lists the character's assets (by hash) in the index and queues their uploads; blobs that its
   * assets no longer use are cleared from the relay when nothing else refers to them.
   */
  private async publishAssets(id: string): Promise<void> {
    const assets = await localAssets(this.options.db, id, sha256Hex);
    if (this.stopped || indexEntry(this.index, id)?.deleted) return;
    let dropped: AssetEntry[] = [];
    this.index.transact(() => { dropped = setCharacterAssets(this.index, id, assets); }, LOCAL);
    for (const asset of assets) this.blobs.add({ kind: 'upload', characterId: id, hash: asset.hash, size: asset.size });
    this.clearUnused(dropped);
  }

  /** Queues clearing the rooms of blobs that no character refers to any more (best effort; see blob-sync.ts). */
  private clearUnused(dropped: readonly AssetEntry[]): void {
    for (const entry of dropped) if (!hashInUse(this.index, entry.hash)) this.blobs.add({ kind: 'clear', hash: entry.hash, size: entry.size });
  }

  /** Another device changed assets: fetch what is missing, drop what it removed. */
  private remoteAssetsChanged(ids: Set<string>, removed: { characterId: string; uri: string }[]): void {
    for (const { characterId, uri } of removed) {
      if (characterAssets(this.index, characterId).some((entry) => entry.uri === uri)) continue;
      removeSyncedAsset(this.options.db, characterId, uri).catch((error: unknown) => console.error('Troupe sync: could not remove an asset', error));
    }
    for (const id of ids) this.checkBlobs(id, true);
  }

  private checkBlobs(id: string, fresh = false): void {
    const entries = characterAssets(this.index, id);
    if (entries.length === 0) return;
    this.blobs.check(id, entries, fresh).catch((error: unknown) => console.error('Troupe sync: could not check for missing assets', error));
  }

  /** Once per start: queue every asset the index lists and this device lacks (e.g. left over from an earlier session). */
  private async checkAllBlobs(): Promise<void> {
    const wanted = new Map<string, AssetEntry[]>();
    for (const id of charactersWithAssets(this.index)) wanted.set(id, characterAssets(this.index, id));
    for (const { characterId, asset } of await missingAssets(this.options.db, wanted)) {
      if (this.stopped) return;
      this.blobs.add({ kind: 'download', characterId, entry: asset });
    }
  }

  /** Once after an upgrade from format 1: lists (and uploads) the assets of characters synced before assets were. */
  private async listOldAssets(): Promise<void> {
    for (const id of await charactersWithLocalAssets(this.options.db)) {
      if (this.stopped) return;
      const entry = indexEntry(this.index, id);
      if (entry && !entry.deleted && characterAssets(this.index, id).length === 0) await this.publishAssets(id);
    }
    this.assetsListed = true;
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.saveTimer !== null || this.stopped) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.save().catch((error: unknown) => console.error('Troupe sync: could not save its state', error));
    }, SAVE_DELAY_MS);
  }

  private save(): Promise<void> {
    return this.options.store.save({
      format: 2,
      index: bytesToBase64(Y.encodeStateAsUpdate(this.index)),
      seen: { ...this.seen },
      dirty: { ...this.dirty },
      uploads: this.blobs.pendingUploads(),
      assetsListed: this.assetsListed,
    });
  }
}

type RoomResult = 'pulled' | 'pushed' | 'timeout' | 'aborted';


/**
 * One doc's room for as long as it has something to exchange: sync, then close once what we sent
 * has left the socket, lingering until quiet only when this device has edits to push.
 */
class DocRoom {
  private readonly doc = new Y.Doc();
  private connection: SyncConnection | null = null;
  private lastActivity = Date.now();
  private aborted = false;
  private wake: (() => void) | null = null;
  private writes: Promise<unknown> = Promise.resolve();
  private pushedLocal = false;
  private failedWrite = false;
  /** A local change arrived after the room closed its books: the doc needs another round. */
  changedLocallyAfterSync = false;
  private closing = false;

  constructor(
    private readonly options: SyncManagerOptions,
    private readonly limits: SyncLimits,
    private readonly kind: DocKind,
    private readonly id: string,
    private readonly pushing: boolean,
  ) {}

  async run(): Promise<RoomResult> {
    const { db, keys, transport } = this.options;
    const local = await loadLocalDoc(db, this.kind, this.id);
    try {
      Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(local), LOCAL);
    } finally {
      local.destroy();
    }
    this.doc.on('updateV2', (update: Uint8Array, origin: unknown) => {
      this.lastActivity = Date.now();
      if (origin === LOCAL) return;
      this.writes = this.writes.then(() => applyRemoteUpdate(db, this.kind, this.id, update)).catch((error: unknown) => {
        // Not marked as pulled: the room is opened again later and the relay sends the change again.
        this.failedWrite = true;
        console.error('Troupe sync: could not store a remote change', error);
      });
    });
    const room = await keys.join(this.id);
    if (this.aborted) return this.finish('aborted');
    let synced = false;
    let lost = false;
    this.connection = transport.open(room, this.doc, {
      onSynced: () => { synced = true; this.poke(); },
      onConnected: (connected) => { if (!connected && synced) { lost = true; this.poke(); } },
      onRefused: () => { lost = true; this.poke(); },
    });
    const deadline = Date.now() + this.limits.docSyncTimeoutMs;
    while (!synced && !this.aborted && Date.now() < deadline) await this.sleep(deadline - Date.now());
    if (this.aborted) return this.finish('aborted');
    if (!synced) return this.finish('timeout');
    // Stay until what we sent has left the socket, and while updates flow when we have edits to push.
    for (;;) {
      const linger = this.pushing || this.pushedLocal ? this.limits.docLingerMs : this.limits.pullLingerMs;
      const quietFor = Date.now() - this.lastActivity;
      if (this.aborted) return this.finish('aborted');
      // The socket dropped before we knew our state left it: try again on the next connection.
      if (lost) return this.finish('timeout');
      if (quietFor >= linger && (this.connection?.drained ?? true)) break;
      await this.sleep(Math.max(linger - quietFor, DRAIN_POLL_MS));
    }
    this.closing = true;
    await this.writes;
    if (this.failedWrite) return this.finish('timeout');
    return this.finish(this.pushedLocal ? 'pushed' : 'pulled');
  }

  /** Sends this device's newest state of the doc through the open room. */
  pushLocal(): void {
    if (this.closing) {
      this.changedLocallyAfterSync = true;
      return;
    }
    this.pushedLocal = true;
    loadLocalDoc(this.options.db, this.kind, this.id).then((local) => {
      try {
        if (!this.aborted) Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(local, Y.encodeStateVector(this.doc)), LOCAL);
      } finally {
        local.destroy();
      }
    }, (error: unknown) => console.error('Troupe sync: could not read a local change', error));
  }

  abort(): void {
    this.aborted = true;
    this.poke();
  }

  private finish(result: RoomResult): RoomResult {
    this.connection?.close();
    this.doc.destroy();
    return result;
  }

  private poke(): void {
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() { clearTimeout(timer); resolve(); }
      this.wake = done;
    });
  }
}
