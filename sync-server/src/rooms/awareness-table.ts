import * as encoding from 'lib0/encoding';
import { AWARENESS_STALE_MS } from '../limits.ts';
import { BinaryReader, malformed } from './binary-reader.ts';

/** One entry of a y-protocols awareness update; `state` is the JSON text ("null" = the client left). */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
}

/** Parses a y-protocols awareness update strictly (count, then id/clock/JSON per entry, nothing after). */
export function parseAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const r = new BinaryReader(update);
  const n = r.count();
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < n; i++) {
    const clientId = r.varUint();
    const clock = r.varUint();
    const state = r.varString();
    try {
      JSON.parse(state);
    } catch {
      throw malformed('awareness state is not JSON');
    }
    entries.push({ clientId, clock, state });
  }
  r.end();
  return entries;
}

/** Encodes entries as a y-protocols awareness update. */
export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}

interface Slot {
  clock: number;
  state: string;
  updatedAt: number;
}

/**
 * The awareness (presence) states of one room, kept as JSON text: the relay never needs to read
 * them, only to apply y-protocols' clock rule, hand current states to new clients, and announce
 * that a disconnected client left. Cheaper than a y-protocols `Awareness` per room (no timer, no
 * parse/serialise round trip), with the same wire format and the same acceptance rule.
 */
export class AwarenessTable {
  private readonly slots = new Map<number, Slot>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Applies entries with the y-protocols rule (a higher clock wins, an unknown client counting as
   * clock 0; at equal clocks only a removal of a present state wins) and returns those that changed
   * something.
   */
  apply(entries: readonly AwarenessEntry[]): AwarenessEntry[] {
    const changed: AwarenessEntry[] = [];
    const now = this.now();
    for (const entry of entries) {
      const slot = this.slots.get(entry.clientId);
      const current = slot?.clock ?? 0;
      const removesPresent = entry.state === 'null' && slot !== undefined && slot.state !== 'null';
      if (current < entry.clock || (current === entry.clock && removesPresent)) {
        this.slots.set(entry.clientId, { clock: entry.clock, state: entry.state, updatedAt: now });
        changed.push(entry);
      }
    }
    return changed;
  }

  /** Marks clients as gone (clock + 1, state null), as y-protocols does, and returns the removal entries. */
  remove(clientIds: Iterable<number>): AwarenessEntry[] {
    const removed: AwarenessEntry[] = [];
    for (const clientId of clientIds) {
      const slot = this.slots.get(clientId);
      if (!slot || slot.state === 'null') continue;
      const entry = { clientId, clock: slot.clock + 1, state: 'null' };
      this.slots.set(clientId, { clock: entry.clock, state: entry.state, updatedAt: this.now() });
      removed.push(entry);
    }
    return removed;
  }

  /** Present, recently renewed states; drops stale ones on the way (their owners stopped renewing). */
  current(): AwarenessEntry[] {
    const now = this.now();
    const out: AwarenessEntry[] = [];
    for (const [clientId, slot] of this.slots) {
      if (slot.state === 'null') continue;
      if (now - slot.updatedAt > AWARENESS_STALE_MS) {
        this.slots.delete(clientId);
        continue;
      }
      out.push({ clientId, clock: slot.clock, state: slot.state });
    }
    return out;
  }
}
