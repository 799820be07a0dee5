/**
 * The y-websocket wire framing, which the relay speaks unchanged so that y-websocket's
 * `WebsocketProvider` connects as is. Every binary frame is one message:
 * `varUint(messageType)` followed by the type's payload.
 */
export const MESSAGE_TYPE = {
  /** `varUint(syncType)` + `varUint8Array(payload)` (y-protocols/sync). */
  SYNC: 0,
  /** `varUint8Array(awarenessUpdate)` (y-protocols/awareness encoding). */
  AWARENESS: 1,
  /** y-protocols/auth; sent by servers only, never accepted from clients. */
  AUTH: 2,
  /** No payload: asks the other side to send every awareness state it knows. */
  QUERY_AWARENESS: 3,
} as const;

/** Sub-types of a SYNC message (y-protocols/sync). */
export const SYNC_TYPE = {
  /** Payload is the sender's state vector; the answer is STEP2 with what the sender lacks. */
  STEP1: 0,
  /** Payload is a Yjs update (v1) answering a STEP1. */
  STEP2: 1,
  /** Payload is a Yjs update (v1) made after the initial exchange. */
  UPDATE: 2,
} as const;
