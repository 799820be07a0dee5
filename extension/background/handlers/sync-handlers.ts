import type { SyncApi } from '../../messaging/protocols/sync-protocol.ts';
import type { TroupeDb } from '../db/database.ts';
import { syncServiceFor } from '../sync/sync-service.ts';
import type { Handlers } from './types.ts';

/** Sync's answers: the service does the work; these only route. */
export function syncHandlers(db: TroupeDb): Handlers<SyncApi> {
  const service = syncServiceFor(db);
  return {
    'sync.status': () => service.overview(),
    'sync.createLink': () => service.createLink(),
    'sync.pair': ({ link }) => service.pair(link),
    'sync.unpair': () => service.unpair(),
    'sync.setRelay': ({ url }) => service.setRelayUrl(url),
  };
}
