import { hashToken } from '../rooms/relay.ts';
import { RelayError } from '../rooms/errors.ts';
import type { RelayHooks } from '../rooms/hooks.ts';
import type { DocStore } from './doc-store.ts';

/**
 * Relay hooks backed by a DocStore: persistence goes to the store, and authentication binds the
 * first token a room sees (its SHA-256 only, never the token) and refuses any other (4403).
 */
export function createStoreHooks(store: DocStore): RelayHooks {
  return {
    async authenticate({ room, token }) {
      const outcome = await store.bindToken(room, hashToken(token));
      if (outcome === 'mismatched') throw new RelayError('auth/token-mismatch', 'this room is bound to another token');
    },
    load: (room) => store.load(room),
    store: (room, updates) => store.append(room, updates),
    compact: (room) => store.compact(room),
    delete: (room) => store.delete(room),
  };
}
