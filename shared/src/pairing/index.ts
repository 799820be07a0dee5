/** Pairing without accounts: a shared secret, its share link, and the room names and tokens derived from it. */
export { PairingError, type PairingErrorCode } from './errors.ts';
export { createPairingSecret, pairingSecretBytes, type PairingSecret } from './secret.ts';
export { PAIR_LINK_SCHEME, PAIR_LINK_VERSION, formatPairLink, parsePairLink, type PairLink } from './link.ts';
export { PairingKeys, deriveJoinToken, deriveRoomName } from './derive.ts';
export { MAX_RELAY_URL_CHARS, MAX_SECRET_BYTES, MIN_SECRET_BYTES, SECRET_BYTES } from './limits.ts';
