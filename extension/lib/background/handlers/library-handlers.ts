import type { TroupeDb } from '../../db/database.ts';
import { createCharacter, listCharacters } from '../../db/characters.ts';
import type { LibraryApi } from '../../messaging/protocols/library-protocol.ts';
import type { Handlers, Announce } from './types.ts';

export function libraryHandlers(db: TroupeDb, announce: Announce): Handlers<LibraryApi> {
  return {
    'characters.list': () => listCharacters(db),
    'characters.create': async (req) => {
      const created = await createCharacter(db, req);
      announce({ type: 'characters-changed' });
      return created;
    },
  };
}
