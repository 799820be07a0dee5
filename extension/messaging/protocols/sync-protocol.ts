/** Runtime messages about sync between this device and its paired devices (the background runs it). */
import { MAX_RELAY_URL_CHARS } from '@troupe/shared/pairing';
import type { SyncOverview } from '../sync-types.ts';
import { object, string } from '../validate.ts';
import { emptyRequest, type Validators } from './define.ts';

/** A pairing link is `troupe-pair:v1:<secret>[:<relay>]`: a secret of at most 64 bytes plus an encoded relay URL. */
const MAX_PAIR_LINK_CHARS = 200 + Math.ceil((MAX_RELAY_URL_CHARS * 4) / 3);

export interface SyncApi {
  'sync.status': { req: Record<string, never>; res: SyncOverview };
  'sync.createLink': { req: Record<string, never>; res: { link: string; fingerprint: string } };
  'sync.pair': { req: { link: string }; res: SyncOverview };
  'sync.unpair': { req: Record<string, never>; res: SyncOverview };
  'sync.setRelay': { req: { url: string }; res: SyncOverview };
}

export const SYNC_VALIDATORS: Validators<SyncApi> = {
  'sync.status': emptyRequest,
  'sync.createLink': emptyRequest,
  'sync.pair': (p) => ({ link: string(object(p, 'payload').link, 'link', MAX_PAIR_LINK_CHARS, { min: 1 }) }),
  'sync.unpair': emptyRequest,
  'sync.setRelay': (p) => ({ url: string(object(p, 'payload').url, 'url', MAX_RELAY_URL_CHARS + 16, { min: 1 }) }),
};
