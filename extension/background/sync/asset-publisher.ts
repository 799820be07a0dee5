/**
 * Keeps the asset manifest (in the index doc) and the blobs on the relay in step with the library:
 * lists a character's assets after its doc was pushed and queues the uploads this device owes,
 * clears blobs nothing refers to any more, and fetches what another device listed and this one
 * lacks. The blob rooms themselves are blob-sync.ts's; the index doc is index-sync.ts's.
 */
import { characterAssets, charactersWithAssets, hashInUse, observeAssetChanges, removeCharacterAssets, setCharacterAssets, sha256Hex, type AssetEntry } from '@troupe/shared/docs';
import type { PairingKeys } from '@troupe/shared/pairing';
import type { TroupeDb } from '../db/database.ts';
import { charactersWithLocalAssets, localAssets, missingAssets, removeSyncedAsset } from '../library/sync-hooks.ts';
import { BlobSync, type PendingUpload } from './blob-sync.ts';
import type { IndexSync } from './index-sync.ts';
import type { SyncLimits } from './limits.ts';
import type { SyncTransport } from './transport.ts';

export interface AssetPublisherOptions {
  db: TroupeDb;
  keys: PairingKeys;
  transport: SyncTransport;
  limits: SyncLimits;
  index: IndexSync;
  /** Whether blob rooms may be opened now. */
  online(): boolean;
  /** Uploads or the blob queue changed: worth saving, and the status may have changed. */
  changed(): void;
}

export class AssetPublisher {
  private readonly blobs: BlobSync;
  /** False until the characters synced before asset sync existed (a format-1 saved state) had their assets listed. */
  private listed = true;
  /** Once per start, after the first sync of the index: everything the index lists and this device lacks is fetched. */
  private checkedAll = false;
  private stopped = false;

  constructor(private readonly options: AssetPublisherOptions) {
    const { db, keys, transport, limits, index } = options;
    this.blobs = new BlobSync({
      db, keys, transport, limits,
      online: options.online,
      // Unreadable (newer) index: nothing may be cleared, since we cannot tell what still uses it.
      inUse: (hash) => !index.usable() || hashInUse(index.doc, hash),
      changed: options.changed,
    });
  }

  /** Takes over the uploads a saved state owes and whether older characters' assets were listed. */
  restore(uploads: readonly PendingUpload[], listed: boolean): void {
    for (const upload of uploads) this.blobs.add({ kind: 'upload', ...upload });
    this.listed = listed;
  }

  /** Starts hearing other devices' changes to the manifest; returns the function that stops. */
  observe(): () => void {
    const { index } = this.options;
    return observeAssetChanges(index.doc, (origin) => index.isRemote(origin), (ids, removed) => {
      if (index.usable()) this.remoteChanged(ids, removed);
    });
  }

  /** The index is in sync with the relay: run queued blob work, and (once per start) catch up on what is missing or unlisted. */
  indexSynced(): void {
    this.blobs.pump();
    if (this.checkedAll || !this.options.index.usable()) return;
    this.checkedAll = true;
    this.checkAll().catch((error: unknown) => console.error('Troupe sync: could not check for missing assets', error));
    if (!this.listed) this.listOld().catch((error: unknown) => console.error('Troupe sync: could not list older assets', error));
  }

  /** A character's doc reached the relay: list its assets and upload their blobs. */
  pushed(id: string): void {
    this.publish(id).catch((error: unknown) => console.error('Troupe sync: could not publish assets', error));
  }

  /** A character's doc was pulled: fetch the assets it lists and this device lacks. */
  pulled(id: string): void {
    this.check(id);
  }

  /** A character was deleted here: its entries leave the manifest (call inside the index's local transaction). */
  characterDeleted(id: string): void {
    if (this.options.index.usable()) this.clearUnused(removeCharacterAssets(this.options.index.doc, id));
  }

  /** Blob jobs queued or running. */
  pending(): number {
    return this.blobs.pending();
  }

  /** What the saved state keeps of asset sync. */
  saved(): { uploads: PendingUpload[]; assetsListed: boolean } {
    return { uploads: this.blobs.pendingUploads(), assetsListed: this.listed };
  }

  stop(): void {
    this.stopped = true;
    this.blobs.stop();
  }

  /**
   * Lists the character's assets (by hash) in the index and queues their uploads; blobs that its
   * assets no longer use are cleared from the relay when nothing else refers to them.
   */
  private async publish(id: string): Promise<void> {
    const { db, index } = this.options;
    const assets = await localAssets(db, id, sha256Hex);
    if (this.stopped || !index.usable() || index.entry(id)?.deleted) return;
    let dropped: AssetEntry[] = [];
    index.transactLocal(() => { dropped = setCharacterAssets(index.doc, id, assets); });
    for (const asset of assets) this.blobs.add({ kind: 'upload', characterId: id, hash: asset.hash, size: asset.size });
    this.clearUnused(dropped);
  }

  /** Queues clearing the rooms of blobs that no character refers to any more (best effort; see blob-sync.ts). */
  private clearUnused(dropped: readonly AssetEntry[]): void {
    for (const entry of dropped) if (!hashInUse(this.options.index.doc, entry.hash)) this.blobs.add({ kind: 'clear', hash: entry.hash, size: entry.size });
  }

  /** Another device changed assets: fetch what is missing, drop what it removed. */
  private remoteChanged(ids: Set<string>, removed: { characterId: string; uri: string }[]): void {
    const { db, index } = this.options;
    for (const { characterId, uri } of removed) {
      if (characterAssets(index.doc, characterId).some((entry) => entry.uri === uri)) continue;
      removeSyncedAsset(db, characterId, uri).catch((error: unknown) => console.error('Troupe sync: could not remove an asset', error));
    }
    for (const id of ids) this.check(id, true);
  }

  private check(id: string, fresh = false): void {
    const { index } = this.options;
    if (!index.usable()) return;
    const entries = characterAssets(index.doc, id);
    if (entries.length === 0) return;
    this.blobs.check(id, entries, fresh).catch((error: unknown) => console.error('Troupe sync: could not check for missing assets', error));
  }

  /** Queues every asset the index lists and this device lacks (e.g. left over from an earlier session). */
  private async checkAll(): Promise<void> {
    const { db, index } = this.options;
    const wanted = new Map<string, AssetEntry[]>();
    for (const id of charactersWithAssets(index.doc)) wanted.set(id, characterAssets(index.doc, id));
    for (const { characterId, asset } of await missingAssets(db, wanted)) {
      if (this.stopped) return;
      this.blobs.add({ kind: 'download', characterId, entry: asset });
    }
  }

  /** Once after an upgrade from a format-1 state: lists (and uploads) the assets of characters synced before assets were. */
  private async listOld(): Promise<void> {
    const { db, index } = this.options;
    for (const id of await charactersWithLocalAssets(db)) {
      if (this.stopped) return;
      const entry = index.entry(id);
      if (entry && !entry.deleted && characterAssets(index.doc, id).length === 0) await this.publish(id);
    }
    this.listed = true;
    this.options.changed();
  }
}
