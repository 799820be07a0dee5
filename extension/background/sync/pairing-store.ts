/**
 * Where this device keeps its pairing secret: sealed with the device's non-extractable pairing key
 * (device-key.ts) in `storage.local`, so the stored value is ciphertext to anything that can read
 * storage.local but not the extension's own IndexedDB (content scripts, a dump of the storage).
 * Format 1 kept the secret in plain text; it is sealed and removed the first time it is read.
 */
import { storage } from '#imports';
import { isSealedText, sealText, unsealText, type DeviceKeys } from '../keys/device-key.ts';
import { SyncError } from './errors.ts';

/** Format 2: AES-GCM-256 ciphertext of the secret's UTF-8, with its 96-bit IV, both base64url. */
export interface SealedPairing {
  format: 2;
  iv: string;
  sealed: string;
}

/** Format 1 (plain text), read only to seal it. */
export const legacyPairingItem = storage.defineItem<{ secret: string } | null>('local:sync.pairing', { fallback: null, version: 1 });
export const sealedPairingItem = storage.defineItem<SealedPairing | null>('local:sync.pairingSealed', { fallback: null, version: 1 });

/** Bound into every seal, so this ciphertext cannot pass for anything else sealed with a device key. */
const BINDING = 'troupe/pairing-secret/2';

function isSealed(value: unknown): value is SealedPairing {
  return isSealedText(value) && (value as Partial<SealedPairing>).format === 2;
}

export class PairingStore {
  constructor(private readonly keys: DeviceKeys) {}

  /**
   * The secret, or null when unpaired. Throws `sync/pairing-unreadable` when a sealed pairing is
   * there but this device's key cannot open it (the extension's IndexedDB was cleared): nothing is
   * deleted, so the person decides (pair again, or unpair).
   */
  async load(): Promise<string | null> {
    const legacy = await legacyPairingItem.getValue();
    if (legacy && typeof legacy.secret === 'string') {
      await this.save(legacy.secret);
      await legacyPairingItem.removeValue();
      return legacy.secret;
    }
    const stored = await sealedPairingItem.getValue();
    if (stored === null) return null;
    if (!isSealed(stored)) throw unreadable('its stored form is damaged');
    try {
      return await unsealText(await this.keys.key('pairing'), BINDING, stored);
    } catch (error) {
      throw unreadable(error instanceof Error && error.message === 'the sealed value is damaged' ? 'its stored form is damaged' : 'this device\'s key for it is gone (was the extension\'s site data cleared?)');
    }
  }

  /** Seals and stores `secret`, or forgets the pairing (both formats) when it is null. */
  async save(secret: string | null): Promise<void> {
    if (secret === null) {
      await Promise.all([sealedPairingItem.removeValue(), legacyPairingItem.removeValue()]);
      return;
    }
    const sealed = await sealText(await this.keys.key('pairing'), BINDING, secret);
    await sealedPairingItem.setValue({ format: 2, ...sealed });
  }
}

function unreadable(why: string): SyncError {
  return new SyncError('sync/pairing-unreadable', `This device's pairing could not be read: ${why}. Pair this device again, or unpair it`);
}
