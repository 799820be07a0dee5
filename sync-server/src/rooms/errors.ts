import { CLOSE_CODES } from '@troupe/shared/protocol';

/** Why the relay closed a connection or refused an operation. Each maps to one close code. */
export type RelayErrorCode =
  | 'frame/malformed'
  | 'frame/unsupported-type'
  | 'frame/too-large'
  | 'room/bad-name'
  | 'room/doc-too-large'
  | 'room/limit'
  | 'room/deleted'
  | 'auth/missing-token'
  | 'auth/token-mismatch'
  | 'auth/unsupported-protocol'
  | 'conn/rate-limited'
  | 'conn/slow-consumer'
  | 'relay/shutting-down'
  | 'relay/internal';

const CLOSE_CODE_FOR: Record<RelayErrorCode, number> = {
  'frame/malformed': CLOSE_CODES.BAD_FRAME,
  'frame/unsupported-type': CLOSE_CODES.BAD_FRAME,
  'frame/too-large': CLOSE_CODES.TOO_LARGE,
  'room/bad-name': CLOSE_CODES.BAD_FRAME,
  'room/doc-too-large': CLOSE_CODES.TOO_LARGE,
  'room/limit': CLOSE_CODES.ROOM_LIMIT,
  'room/deleted': CLOSE_CODES.ROOM_DELETED,
  'auth/missing-token': CLOSE_CODES.UNAUTHORISED,
  'auth/token-mismatch': CLOSE_CODES.FORBIDDEN,
  'auth/unsupported-protocol': CLOSE_CODES.UNSUPPORTED_PROTOCOL,
  'conn/rate-limited': CLOSE_CODES.RATE_LIMITED,
  'conn/slow-consumer': CLOSE_CODES.SLOW_CONSUMER,
  'relay/shutting-down': CLOSE_CODES.GOING_AWAY,
  'relay/internal': CLOSE_CODES.INTERNAL,
};

export class RelayError extends Error {
  /** The WebSocket close code this error closes a connection with. */
  readonly closeCode: number;

  constructor(
    readonly code: RelayErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RelayError';
    this.closeCode = CLOSE_CODE_FOR[code];
  }
}

/** Close reasons travel in a control frame limited to 123 bytes; keep them short and ASCII. */
export function closeReason(error: RelayError): string {
  return `${error.code}: ${error.message}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
}
