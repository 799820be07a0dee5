/**
 * The index doc's room, which is this device's link to the relay: while it is connected and has
 * given us the index, doc and blob rooms may open; when the relay refuses it (a 44xx close code), the
 * status says why. Kept apart from the index bookkeeping so that "can we talk to the relay" has one owner.
 */
import type * as Y from 'yjs';
import { closeCodeName } from '@troupe/shared/protocol';
import { INDEX_DOC_ID } from '@troupe/shared/docs';
import type { PairingKeys } from '@troupe/shared/pairing';
import type { SyncConnection, SyncTransport } from './transport.ts';

export interface RelayLinkEvents {
  /** The index is in sync with the relay (again): time to compare it and start rooms. */
  synced(): void;
  /** Connected, disconnected or refused: the status may have changed. */
  changed(): void;
}

export class RelayLink {
  private connection: SyncConnection | null = null;
  private connected = false;
  private synced = false;
  /** The relay's reason for closing the index room for good, until it syncs again. */
  private refusal: string | null = null;

  constructor(private readonly events: RelayLinkEvents) {}

  /** Opens the index room; `cancelled` is asked after the (async) room derivation, so a stop during it opens nothing. */
  async open(keys: PairingKeys, transport: SyncTransport, index: Y.Doc, cancelled: () => boolean): Promise<void> {
    const room = await keys.join(INDEX_DOC_ID);
    if (cancelled()) return;
    this.connection = transport.open(room, index, {
      onConnected: (connected) => {
        this.connected = connected;
        if (!connected) this.synced = false;
        this.events.changed();
      },
      onSynced: () => {
        this.synced = true;
        this.refusal = null;
        this.events.synced();
      },
      onRefused: (code) => {
        this.refusal = closeCodeName(code) ?? `closed (${code})`;
        this.connected = false;
        this.events.changed();
      },
    });
  }

  /** Connected and in sync with the index: rooms may open. */
  online(): boolean {
    return this.connected && this.synced;
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** Why the relay refused the index room, or null. */
  refused(): string | null {
    return this.refusal;
  }

  close(): void {
    this.connection?.close();
  }
}
