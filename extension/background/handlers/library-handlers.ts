import { browser } from '#imports';
import type { TroupeDb } from '../db/database.ts';
import { base64ToBytes } from '@troupe/shared/bytes';
import { libraryFor } from '../library/library.ts';
import { firstPageStore } from '../../messaging/storage/library-first-page.ts';
import { serveImportOverWorker } from '../worker-import.ts';
import { SHARE_HASH_KEY, type LibraryApi } from '../../messaging/protocols/library-protocol.ts';
import type { Handlers, Announce } from './types.ts';

/** The library's answers. Every change is announced once, as `characters-changed`, to every open page and panel. */
export function libraryHandlers(db: TroupeDb, announce: Announce): Handlers<LibraryApi> {
  const library = libraryFor(db);
  library.onChange(() => announce({ type: 'characters-changed' }));
  // Pages show it while this worker starts again after Chrome stopped it.
  library.keepFirstPage(firstPageStore);
  // Imports from extension pages also arrive as worker messages carrying Blobs (see worker-channel.ts).
  // Registered here, while the worker starts, so the listener exists whenever the worker wakes.
  serveImportOverWorker((items) => library.importWire(items));
  return {
    'characters.list': () => library.summaries(),
    'characters.create': (req) => library.createCharacter(req),
    'library.query': (req) => library.query(req),
    'library.tags': () => library.tags(),
    'library.import': async ({ items }) => ({ results: await library.importWire(items) }),
    'library.character.get': ({ id }) => library.character(id),
    'library.character.update': ({ id, patch }) => library.updateCharacter(id, patch),
    'library.asset.get': ({ id }) => library.assetDataUrl(id),
    'library.asset.add': ({ characterId, type, name, base64 }) => library.addAsset(characterId, { type, name, bytes: base64ToBytes(base64) }),
    'library.asset.remove': ({ characterId, assetId }) => library.removeAsset(characterId, assetId),
    'library.export': (req) => (req.kind === 'character' ? library.exportCharacter(req.id, req.format) : library.exportLorebook(req.id, req.format)),
    'library.delete': ({ kind, id }) => library.remove(kind, id),
    'library.undoDelete': async ({ kind, id }) => {
      await library.undoRemove(kind, id);
      return {};
    },
    'library.lorebooks': ({ search }) => library.lorebooks(search),
    'library.lorebook.create': ({ name }) => library.createLorebook(name),
    'library.lore.get': ({ target, offset, limit }) => library.lore(target, offset, limit),
    'library.lore.upsertEntry': ({ target, key, entry }) => library.upsertLoreEntry(target, key, entry),
    'library.lore.removeEntry': async ({ target, key }) => {
      await library.removeLoreEntry(target, key);
      return {};
    },
    'library.lore.updateBook': async ({ target, fields }) => {
      await library.updateLoreBook(target, fields);
      return {};
    },
    'library.openManager': async ({ share }) => {
      if (share) await browser.tabs.create({ url: `${browser.runtime.getURL('/options.html')}#${SHARE_HASH_KEY}=${encodeURIComponent(share)}` });
      else await browser.runtime.openOptionsPage();
      return {};
    },
  };
}
