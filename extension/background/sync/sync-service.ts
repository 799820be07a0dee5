/**
 * The background's sync: the pairing (sealed, see pairing-store.ts) and relay settings in
 * chrome.storage.local, and one SyncManager running while this device is paired. Status changes are
 * written to `syncStatusItem`, which pages and the panel watch.
 */
import { createPairingSecret, formatPairLink, PairingKeys, parsePairLink } from '@troupe/shared/pairing';
import type { TroupeDb } from '../db/database.ts';
import { DeviceKeys } from '../keys/device-key.ts';
import { SyncError } from './errors.ts';
import { PairingStore, sealedPairingItem } from './pairing-store.ts';
import { normalizeRelayUrl } from './relay-url.ts';
import { relayUrlItem, syncStatusItem } from '../../messaging/storage/sync.ts';
import type { SyncOverview, SyncStatus } from '../../messaging/sync-types.ts';
import { syncStateItem } from './state-item.ts';
import { SyncManager } from './sync-manager.ts';
import { websocketTransport, type SyncTransport } from './transport.ts';

export interface SyncServiceOptions {
  /** The network seam; tests pass an in-memory relay. */
  transportFor?: (relayUrl: string) => SyncTransport;
  /** Where the pairing key lives; tests give each run its own. */
  deviceKeys?: DeviceKeys;
}

export class SyncService {
  private manager: SyncManager | null = null;
  private fingerprint: string | null = null;
  private current: SyncStatus = { state: 'unpaired' };
  /** Starts and stops run one after another, so a quick pair-then-unpair never leaves a manager behind. */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly pairing: PairingStore;

  constructor(private readonly db: TroupeDb, private readonly options: SyncServiceOptions = {}) {
    this.pairing = new PairingStore(options.deviceKeys ?? new DeviceKeys());
  }

  /** Resumes sync when this device was paired before the worker (re)started. */
  start(): Promise<void> {
    return this.serial(() => this.restart());
  }

  async overview(): Promise<SyncOverview> {
    // Paired means a pairing is stored, even one this device can no longer open (its status says so).
    const [sealed, relayUrl] = await Promise.all([sealedPairingItem.getValue(), relayUrlItem.getValue()]);
    return { status: this.current, paired: sealed !== null, relayUrl, fingerprint: sealed ? this.fingerprint : null };
  }

  /** The link to pair another device (a new pairing is made on first use); it carries the relay address. */
  createLink(): Promise<{ link: string; fingerprint: string }> {
    return this.serial(async () => {
      let secret = await this.pairing.load();
      if (secret === null) {
        secret = createPairingSecret();
        await this.pairing.save(secret);
        await this.restart();
      }
      const relayUrl = await relayUrlItem.getValue();
      const fingerprint = await (await PairingKeys.fromSecret(secret)).fingerprint();
      return { link: formatPairLink({ secret, relayUrl }), fingerprint };
    });
  }

  /** Joins the pairing in `link` (and its relay, when the link names one); replaces any earlier pairing. */
  pair(link: string): Promise<SyncOverview> {
    return this.serial(async () => {
      const parsed = parsePairLink(link);
      const previous = await this.pairing.load().catch(() => null);
      if (previous !== parsed.secret) {
        await this.stopManager();
        await syncStateItem.setValue(null);
      }
      if (parsed.relayUrl !== undefined) await relayUrlItem.setValue(normalizeRelayUrl(parsed.relayUrl));
      await this.pairing.save(parsed.secret);
      await this.restart();
      return this.overview();
    });
  }

  /** Forgets the pairing on this device; the library stays as it is. */
  unpair(): Promise<SyncOverview> {
    return this.serial(async () => {
      await this.stopManager();
      await this.pairing.save(null);
      await syncStateItem.setValue(null);
      this.setStatus({ state: 'unpaired' });
      return this.overview();
    });
  }

  /** Changes the relay address; a paired device reconnects there. */
  setRelayUrl(url: string): Promise<SyncOverview> {
    return this.serial(async () => {
      await relayUrlItem.setValue(normalizeRelayUrl(url));
      await this.restart();
      return this.overview();
    });
  }

  /** Stops sync (tests, shutdown). */
  stop(): Promise<void> {
    return this.serial(() => this.stopManager());
  }

  private async restart(): Promise<void> {
    await this.stopManager();
    this.fingerprint = null;
    let secret: string | null;
    try {
      secret = await this.pairing.load();
    } catch (error) {
      if (!(error instanceof SyncError)) throw error;
      this.setStatus({ state: 'error', reason: 'this device can no longer read its pairing; pair it again, or unpair' });
      return;
    }
    if (secret === null) {
      this.setStatus({ state: 'unpaired' });
      return;
    }
    const relayUrl = await relayUrlItem.getValue();
    const keys = await PairingKeys.fromSecret(secret);
    this.fingerprint = await keys.fingerprint();
    const transport = this.options.transportFor?.(relayUrl) ?? websocketTransport(relayUrl);
    const manager = new SyncManager({
      db: this.db,
      keys,
      transport,
      store: { load: () => syncStateItem.getValue(), save: (state) => syncStateItem.setValue(state) },
      onStatus: (status) => { if (this.manager === manager) this.setStatus(status); },
    });
    this.manager = manager;
    this.setStatus({ state: 'offline' });
    await manager.start();
  }

  private async stopManager(): Promise<void> {
    const manager = this.manager;
    this.manager = null;
    if (manager) await manager.stop();
  }

  private setStatus(status: SyncStatus): void {
    this.current = status;
    syncStatusItem.setValue(status).catch((error: unknown) => console.error('Troupe sync: could not publish its status', error));
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}


const services = new WeakMap<TroupeDb, SyncService>();

/** The one SyncService of a database (the background's), created on first use. */
export function syncServiceFor(db: TroupeDb): SyncService {
  let service = services.get(db);
  if (!service) {
    service = new SyncService(db);
    services.set(db, service);
  }
  return service;
}
