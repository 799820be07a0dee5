/**
 * This device's wrapping keys: AES-GCM keys made with `extractable: false` and kept in their own
 * IndexedDB database of the extension's origin. Why: `storage.local` is readable from every content
 * script (and by anything that dumps it), while this database is reachable only from extension pages
 * and the background, and even there no API hands out the key's bytes: script can seal and unseal
 * with it, never copy it. The keys never sync and are never exported; losing one only means pairing
 * this device again.
 */

import { base64UrlToBytes, bytesToBase64Url } from '@troupe/shared/bytes';

/** Database and store of the device keys (format 1: one row `{ name, key }` per purpose). */
const DEVICE_KEYS_DB = 'troupe-device-keys';
const STORE = 'keys';
const DB_FORMAT = 1;

/** `pairing`: the sync secret; `summary-model`: the API key of the model that writes chats' summaries; `voice`: the speech endpoint's and ElevenLabs' keys. */
export type DeviceKeyPurpose = 'pairing' | 'summary-model' | 'voice';

/** A text sealed with a device key: AES-GCM-256 ciphertext of its UTF-8 and the 96-bit IV, both base64url. */
export interface SealedText {
  iv: string;
  sealed: string;
}

const IV_BYTES = 12;

/** Seals `text` with `key`; `binding` is authenticated with it, so the ciphertext cannot pass for another secret's. */
export async function sealText(key: CryptoKey, binding: string, text: string): Promise<SealedText> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(binding) }, key, new TextEncoder().encode(text));
  return { iv: bytesToBase64Url(iv), sealed: bytesToBase64Url(new Uint8Array(sealed)) };
}

/** Opens what sealText sealed with the same key and binding; throws when it cannot (another key, damaged, tampered). */
export async function unsealText(key: CryptoKey, binding: string, value: SealedText): Promise<string> {
  const iv = base64UrlToBytes(value.iv);
  const sealed = base64UrlToBytes(value.sealed);
  if (!iv || iv.length !== IV_BYTES || !sealed) throw new Error('the sealed value is damaged');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: new TextEncoder().encode(binding) }, key, sealed as Uint8Array<ArrayBuffer>);
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

/** Whether `value` has the shape sealText makes. */
export function isSealedText(value: unknown): value is SealedText {
  const v = value as Partial<SealedText> | null;
  return typeof v === 'object' && v !== null && typeof v.iv === 'string' && typeof v.sealed === 'string';
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openKeysDb(name: string): Promise<IDBDatabase> {
  const open = indexedDB.open(name, DB_FORMAT);
  open.onupgradeneeded = () => { open.result.createObjectStore(STORE, { keyPath: 'name' }); };
  return request(open);
}

export class DeviceKeys {
  /** One pending lookup per purpose, so two first uses at once make one key, not two. */
  private readonly pending = new Map<DeviceKeyPurpose, Promise<CryptoKey>>();

  constructor(private readonly dbName = DEVICE_KEYS_DB) {}

  /** The key for `purpose`, made (non-extractable) on first use. */
  key(purpose: DeviceKeyPurpose): Promise<CryptoKey> {
    let found = this.pending.get(purpose);
    if (!found) {
      found = this.loadOrMake(purpose);
      this.pending.set(purpose, found);
      found.catch(() => this.pending.delete(purpose));
    }
    return found;
  }

  private async loadOrMake(purpose: DeviceKeyPurpose): Promise<CryptoKey> {
    const db = await openKeysDb(this.dbName);
    try {
      const row = await request(db.transaction(STORE).objectStore(STORE).get(purpose)) as { key?: unknown } | undefined;
      if (row?.key instanceof CryptoKey) return row.key;
      const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      // `add`, not `put`: if another context made one meanwhile, keep theirs (the first sealed with it).
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      const existing = await request(store.get(purpose)) as { key?: unknown } | undefined;
      if (existing?.key instanceof CryptoKey) return existing.key;
      await request(store.add({ name: purpose, key }));
      return key;
    } finally {
      db.close();
    }
  }
}
