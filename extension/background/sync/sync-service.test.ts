import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createPairingSecret, formatPairLink, parsePairLink } from '@troupe/shared/pairing';
import { DEFAULT_RELAY_URL } from '@troupe/shared/protocol';
import { openTroupeDb, type TroupeDb } from '../db/database.ts';
import { DeviceKeys } from '../keys/device-key.ts';
import { PairingStore, sealedPairingItem } from './pairing-store.ts';
import { relayUrlItem, syncStatusItem } from '../../messaging/storage/sync.ts';
import { SyncService } from './sync-service.ts';
import type { SyncTransport } from './transport.ts';

/** A relay that never answers: the service's bookkeeping is under test here, not the network. */
const silentRelay: SyncTransport = { open: () => ({ drained: true, close() {} }) };

let db: TroupeDb;
let service: SyncService;
let deviceKeys: DeviceKeys;
const storedSecret = () => new PairingStore(deviceKeys).load();
const relays: string[] = [];

beforeEach(() => {
  fakeBrowser.reset();
  db = openTroupeDb(`sync-service-${crypto.randomUUID()}`);
  relays.length = 0;
  deviceKeys = new DeviceKeys(`device-keys-${crypto.randomUUID()}`);
  service = new SyncService(db, { deviceKeys, transportFor: (url) => { relays.push(url); return silentRelay; } });
});

afterEach(async () => {
  await service.stop();
  await db.delete();
});

describe('SyncService', () => {
  it('starts unpaired on the default relay', async () => {
    await service.start();
    expect(await service.overview()).toEqual({ status: { state: 'unpaired' }, paired: false, relayUrl: DEFAULT_RELAY_URL, fingerprint: null });
    expect(relays).toEqual([]);
  });

  it('makes a pairing on the first link, keeps it for the next, and connects to the relay', async () => {
    await service.setRelayUrl('ws://relay.test:9000/');
    const first = await service.createLink();
    const again = await service.createLink();
    expect(again.link).toBe(first.link);
    expect(parsePairLink(first.link).relayUrl).toBe('ws://relay.test:9000');
    expect(first.fingerprint).toMatch(/^[A-Z0-9X]{4}-[A-Z0-9X]{4}$/);
    expect(relays).toEqual(['ws://relay.test:9000']);
    const overview = await service.overview();
    expect(overview).toMatchObject({ paired: true, fingerprint: first.fingerprint, status: { state: 'offline' } });
    expect(await syncStatusItem.getValue()).toEqual({ state: 'offline' });
  });

  it('pairs with a link, takes its relay, and unpairs', async () => {
    const secret = createPairingSecret();
    const overview = await service.pair(formatPairLink({ secret, relayUrl: 'ws://other.test:1234' }));
    expect(overview).toMatchObject({ paired: true, relayUrl: 'ws://other.test:1234' });
    expect(await storedSecret()).toBe(secret);
    const after = await service.unpair();
    expect(after).toMatchObject({ paired: false, status: { state: 'unpaired' }, fingerprint: null });
    expect(await sealedPairingItem.getValue()).toBeNull();
  });

  it('refuses a bad link and a bad relay address with coded errors, changing nothing', async () => {
    await expect(service.pair('https://example.com')).rejects.toMatchObject({ code: 'pairing/not-a-link' });
    await expect(service.setRelayUrl('http://relay.test')).rejects.toMatchObject({ code: 'sync/bad-relay-url' });
    expect(await sealedPairingItem.getValue()).toBeNull();
    expect(await relayUrlItem.getValue()).toBe(DEFAULT_RELAY_URL);
  });

  it('reports a pairing this device can no longer open, instead of making a new one behind the person\'s back', async () => {
    await service.pair(formatPairLink({ secret: createPairingSecret() }));
    await service.stop();
    // The extension's IndexedDB was cleared: the sealed pairing stays, its key is gone.
    const amnesiac = new SyncService(db, { deviceKeys: new DeviceKeys(`device-keys-${crypto.randomUUID()}`), transportFor: () => silentRelay });
    await amnesiac.start();
    expect(await amnesiac.overview()).toMatchObject({ paired: true, fingerprint: null, status: { state: 'error', reason: expect.stringContaining('pair it again') } });
    await expect(amnesiac.createLink()).rejects.toMatchObject({ code: 'sync/pairing-unreadable' });
    const secret = createPairingSecret();
    expect(await amnesiac.pair(formatPairLink({ secret }))).toMatchObject({ paired: true, status: { state: 'offline' } });
    await amnesiac.stop();
  });
});
