/**
 * Size of a new pairing secret. 256 bits: the secret is an HMAC-SHA256 key and the only thing that
 * stands between a relay and the user's data, so it matches the hash size (the floor is 128 bits).
 */
export const SECRET_BYTES = 32;

/** Shortest secret a link may carry (128 bits): anything shorter is guessable enough to refuse. */
export const MIN_SECRET_BYTES = 16;

/** Longest secret a link may carry: keeps links QR-scannable and bounds work on pasted junk. */
export const MAX_SECRET_BYTES = 64;

/** Longest relay URL a link may carry, so a pasted link stays small enough for a QR code. */
export const MAX_RELAY_URL_CHARS = 512;
