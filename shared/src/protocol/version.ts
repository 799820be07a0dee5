/** Bumped when the relay's HTTP/WebSocket contract changes incompatibly. */
export const PROTOCOL_VERSION = 1;
