/** Wire-level facts shared by the relay and its clients. */
export { PROTOCOL_VERSION } from './version.ts';
export { CLOSE_CODES, closeCodeName, isPermanentClose, type CloseCode, type CloseCodeName } from './close-codes.ts';
export { MESSAGE_TYPE, SYNC_TYPE } from './messages.ts';
export { SYNC_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, joinProtocols, parseJoinProtocols, type JoinOffer } from './subprotocol.ts';
export { ROOM_NAME_PATTERN, isValidRoomName } from './room-name.ts';
export { DEFAULT_RELAY_URL, SYNC_PATH } from './endpoints.ts';
