import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createPairingSecret } from '@troupe/shared/pairing';
import { DeviceKeys } from '../keys/device-key.ts';
import { legacyPairingItem, PairingStore, sealedPairingItem } from './pairing-store.ts';

let keysDb: string;
let store: PairingStore;

beforeEach(() => {
  fakeBrowser.reset();
  keysDb = `device-keys-${crypto.randomUUID()}`;
  store = new PairingStore(new DeviceKeys(keysDb));
});

describe('PairingStore', () => {
  it('keeps the secret sealed: storage.local never holds it in any form a reader could use', async () => {
    const secret = createPairingSecret();
    await store.save(secret);
    const stored = await sealedPairingItem.getValue();
    expect(stored).toMatchObject({ format: 2, iv: expect.stringMatching(/^[\w-]{16}$/), sealed: expect.any(String) });
    const everything = JSON.stringify(await fakeBrowser.storage.local.get(null));
    expect(everything).not.toContain(secret);
    expect(await store.load()).toBe(secret);
    // Another store over the same device key (the worker restarted) opens it too.
    expect(await new PairingStore(new DeviceKeys(keysDb)).load()).toBe(secret);
  });

  it('makes a non-extractable key and keeps one per purpose', async () => {
    const keys = new DeviceKeys(keysDb);
    const [a, b] = await Promise.all([keys.key('pairing'), keys.key('pairing')]);
    expect(a).toBe(b);
    expect(a.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', a)).rejects.toThrow();
    const again = await new DeviceKeys(keysDb).key('pairing');
    const iv = new Uint8Array(12);
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, a, new Uint8Array([1, 2, 3]));
    expect(new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, again, sealed))).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('seals a format-1 plain-text pairing the first time it is read, and removes the plain text', async () => {
    const secret = createPairingSecret();
    await legacyPairingItem.setValue({ secret });
    expect(await store.load()).toBe(secret);
    expect(await legacyPairingItem.getValue()).toBeNull();
    expect(await sealedPairingItem.getValue()).not.toBeNull();
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(secret);
    expect(await store.load()).toBe(secret);
  });

  it('says the pairing is unreadable (and deletes nothing) when the device key is gone or the value is damaged', async () => {
    await store.save(createPairingSecret());
    const sealed = await sealedPairingItem.getValue();
    const otherDevice = new PairingStore(new DeviceKeys(`device-keys-${crypto.randomUUID()}`));
    await expect(otherDevice.load()).rejects.toMatchObject({ code: 'sync/pairing-unreadable' });
    expect(await sealedPairingItem.getValue()).toEqual(sealed);
    await sealedPairingItem.setValue({ ...sealed!, iv: 'not base64!' });
    await expect(store.load()).rejects.toMatchObject({ code: 'sync/pairing-unreadable', message: expect.stringContaining('damaged') });
    await sealedPairingItem.setValue({ ...sealed!, sealed: `${sealed!.sealed.slice(0, -4)}AAAA` });
    await expect(store.load()).rejects.toMatchObject({ code: 'sync/pairing-unreadable' });
  });

  it('forgets both formats on unpair', async () => {
    await legacyPairingItem.setValue({ secret: createPairingSecret() });
    await store.save(createPairingSecret());
    await store.save(null);
    expect(await legacyPairingItem.getValue()).toBeNull();
    expect(await sealedPairingItem.getValue()).toBeNull();
    expect(await store.load()).toBeNull();
  });
});
