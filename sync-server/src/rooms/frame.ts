import { MESSAGE_TYPE, SYNC_TYPE } from '@troupe/shared/protocol';
import { BinaryReader } from './binary-reader.ts';
import { RelayError } from './errors.ts';
import { checkStateVector, checkUpdateV1 } from './update-check.ts';
import { parseAwarenessUpdate, type AwarenessEntry } from './awareness-table.ts';

/** A client frame after checking: what the relay acts on. Payloads are copies that own their bytes. */
export type ClientFrame =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'update'; update: Uint8Array; step2: boolean }
  | { kind: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { kind: 'query-awareness' };

/**
 * Parses one y-websocket frame from a client, strictly: one message, nothing after it, payloads
 * well-formed. Throws RelayError('frame/malformed' | 'frame/unsupported-type') otherwise; the
 * caller closes that connection and nothing else.
 */
export function parseClientFrame(frame: Uint8Array): ClientFrame {
  const r = new BinaryReader(frame);
  const type = r.varUint();
  switch (type) {
    case MESSAGE_TYPE.SYNC: {
      const syncType = r.varUint();
      const payload = r.varBytes().slice();
      r.end();
      if (syncType === SYNC_TYPE.STEP1) {
        checkStateVector(payload);
        return { kind: 'sync-step1', stateVector: payload };
      }
      if (syncType === SYNC_TYPE.STEP2 || syncType === SYNC_TYPE.UPDATE) {
        checkUpdateV1(payload);
        return { kind: 'update', update: payload, step2: syncType === SYNC_TYPE.STEP2 };
      }
      throw new RelayError('frame/unsupported-type', `unknown sync message ${syncType}`);
    }
    case MESSAGE_TYPE.AWARENESS: {
      const payload = r.varBytes().slice();
      r.end();
      return { kind: 'awareness', update: payload, entries: parseAwarenessUpdate(payload) };
    }
    case MESSAGE_TYPE.QUERY_AWARENESS:
      r.end();
      return { kind: 'query-awareness' };
    default:
      throw new RelayError('frame/unsupported-type', `unknown message type ${type}`);
  }
}

/** True for the update Yjs encodes when there is nothing to send (a step 2 from an up-to-date client). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
