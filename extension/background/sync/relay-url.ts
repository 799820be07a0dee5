import { MAX_RELAY_URL_CHARS } from '@troupe/shared/pairing';
import { SyncError } from './errors.ts';

/**
 * The relay address as stored: trimmed, without a trailing slash, ws:// or wss:// only (the relay
 * speaks WebSocket; http would fail later with a less helpful message). Throws SyncError otherwise.
 */
export function normalizeRelayUrl(text: string): string {
  const url = text.trim().replace(/\/+$/, '');
  if (url.length > MAX_RELAY_URL_CHARS || !/^wss?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url)) {
    throw new SyncError('sync/bad-relay-url', 'The relay address must look like ws://host:port or wss://host (no query or fragment).');
  }
  return url;
}
