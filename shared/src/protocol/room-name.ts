/**
 * Room names on the wire are opaque base64url strings (a pairing derives them with HMAC, so neither
 * the pairing secret nor document ids appear on the wire). The relay accepts nothing else, which
 * keeps names safe as SQL values, Redis channel suffixes and URL path segments.
 */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

/** True when `name` is acceptable as a room name. */
export function isValidRoomName(name: string): boolean {
  return ROOM_NAME_PATTERN.test(name);
}
