/**
 * Sync's settings and state in chrome.storage.local (never storage.sync: the pairing secret must not
 * leave this device except as the room names and tokens derived from it).
 */
import { storage } from '#imports';
import { DEFAULT_RELAY_URL } from '@troupe/shared/protocol';
import type { SyncStatus } from '../sync-types.ts';

/** Where the relay's address is kept (absent until the person sets one or pairs). */
export const RELAY_URL_KEY = 'local:sync.relayUrl';

/** The relay's ws(s) address. */
export const relayUrlItem = storage.defineItem<string>(RELAY_URL_KEY, { fallback: DEFAULT_RELAY_URL, version: 1 });

/** The current status, written by the background; pages and the panel watch it (it holds nothing secret). */
export const syncStatusItem = storage.defineItem<SyncStatus>('local:sync.status', { fallback: { state: 'unpaired' }, version: 1 });
