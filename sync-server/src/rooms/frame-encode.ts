import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPE, SYNC_TYPE } from '@troupe/shared/protocol';

/** `[SYNC, UPDATE, update]`: how an update reaches clients, whatever frame it arrived in. */
export function encodeUpdateFrame(update: Uint8Array): Uint8Array {
  return encodeSync(SYNC_TYPE.UPDATE, update);
}

/** `[SYNC, STEP1, stateVector]`: asks the client for what the relay lacks. */
export function encodeStep1Frame(stateVector: Uint8Array): Uint8Array {
  return encodeSync(SYNC_TYPE.STEP1, stateVector);
}

/** `[SYNC, STEP2, update]`: answers a client's step 1 with what it lacks. */
export function encodeStep2Frame(update: Uint8Array): Uint8Array {
  return encodeSync(SYNC_TYPE.STEP2, update);
}

/** `[AWARENESS, update]`. */
export function encodeAwarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.SYNC);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
