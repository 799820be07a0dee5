// @vitest-environment node
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE_CODES } from '@troupe/shared/protocol';
import { createPairingSecret, PairingKeys } from '@troupe/shared/pairing';
import { RelayLink } from './relay-link.ts';
import type { ConnectionEvents, SyncTransport } from './transport.ts';

/** A transport whose one connection the test drives by hand. */
function manualTransport(): { transport: SyncTransport; events: () => ConnectionEvents; closed: () => boolean } {
  let heard: ConnectionEvents | null = null;
  let closed = false;
  return {
    transport: { open: (_room, _doc, events) => { heard = events; return { drained: true, close: () => { closed = true; } }; } },
    events: () => heard!,
    closed: () => closed,
  };
}

describe('RelayLink', () => {
  it('is online only while connected and in sync, and says why the relay refused it until it syncs again', async () => {
    const { transport, events, closed } = manualTransport();
    let syncs = 0;
    let changes = 0;
    const link = new RelayLink({ synced: () => syncs++, changed: () => changes++ });
    await link.open(await PairingKeys.fromSecret(createPairingSecret()), transport, new Y.Doc(), () => false);
    expect(link.isConnected()).toBe(false);

    events().onConnected?.(true);
    expect(link.online()).toBe(false);
    events().onSynced?.();
    expect(link.online()).toBe(true);
    expect(syncs).toBe(1);

    events().onConnected?.(false);
    expect(link.online()).toBe(false);
    events().onConnected?.(true);
    expect(link.online()).toBe(false);

    events().onRefused?.(CLOSE_CODES.BAD_FRAME);
    expect(link.refused()).toBe('BAD_FRAME');
    expect(link.isConnected()).toBe(false);
    events().onRefused?.(4999);
    expect(link.refused()).toBe('closed (4999)');
    events().onConnected?.(true);
    events().onSynced?.();
    expect(link.refused()).toBeNull();
    expect(changes).toBeGreaterThan(0);

    link.close();
    expect(closed()).toBe(true);
  });

  it('opens nothing when stopped while the room name was being derived', async () => {
    const { transport, events } = manualTransport();
    const link = new RelayLink({ synced: () => {}, changed: () => {} });
    await link.open(await PairingKeys.fromSecret(createPairingSecret()), transport, new Y.Doc(), () => true);
    expect(events()).toBeNull();
  });
});
