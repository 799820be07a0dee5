import { storage } from '#imports';
import type { PersistedSyncState } from './sync-state.ts';

/** The index doc and bookkeeping, so a restarted service worker resumes where it stopped. */
export const syncStateItem = storage.defineItem<PersistedSyncState | null>('local:sync.state', { fallback: null, version: 1 });
