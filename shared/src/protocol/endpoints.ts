/** Where the relay listens unless the user sets another address: the local relay on its default port. */
export const DEFAULT_RELAY_URL = 'ws://127.0.0.1:8787';

/**
 * Path under the relay URL where rooms live; a provider's server URL is `${relayUrl}${SYNC_PATH}`
 * and y-websocket appends `/<roomName>`.
 */
export const SYNC_PATH = '/sync';
