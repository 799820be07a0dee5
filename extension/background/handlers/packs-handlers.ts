import type { PacksApi } from '../../messaging/protocols/packs-protocol.ts';
import type { PackService } from '../packs/pack-service.ts';
import type { Handlers } from './types.ts';

/** Packs' answers: the service does the work; these only route. */
export function packsHandlers(service: PackService): Handlers<PacksApi> {
  return {
    'packs.share': ({ characterIds, expiry }) => service.share(characterIds, expiry),
    'packs.shared.list': () => service.sharedPacks(),
    'packs.shared.update': ({ id }) => service.updateShared(id),
    'packs.shared.setExpiry': ({ id, expiry }) => service.setExpiry(id, expiry),
    'packs.shared.stop': async ({ id }) => { await service.stopSharing(id); return {}; },
    'packs.preview': ({ link }) => service.preview(link),
    'packs.import': ({ link, version, replace }) => service.importLink(link, version, replace),
    'packs.imported.list': () => service.importedPacks(),
    'packs.imported.check': ({ force }) => service.check(force),
    'packs.imported.apply': ({ id }) => service.applyUpdate(id),
    'packs.imported.forget': async ({ id }) => { await service.forgetImported(id); return {}; },
    'packs.openFromPage': async ({ origin, link }) => { await service.openFromPage(origin, link); return {}; },
  };
}
