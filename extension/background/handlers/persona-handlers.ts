import { base64ToBytes, sniffRaster } from '@troupe/shared/bytes';
import type { ImageTools } from '../library/images.ts';
import { IMAGE_HEADER_BYTES } from '../../messaging/limits/library.ts';
import type { PersonaApi } from '../../messaging/protocols/persona-protocol.ts';
import type { PersonaStore } from '../personas/persona-store.ts';
import { PersonaError } from '../personas/saved-personas.ts';
import type { SavedPersona } from '../../messaging/personas.ts';
import type { Announce, Handlers } from './types.ts';

/** What deleting a persona must also update: chats and the default persona that follow it keep its text. */
export interface PersonaFollowers {
  /** Turns chats that follow `persona` into chats with their own copy; returns their keys. */
  unfollowInChats(persona: SavedPersona): Promise<string[]>;
  /** The same for the default persona. */
  unfollowAsDefault(persona: SavedPersona): Promise<void>;
}

/** Saved personas: the background shrinks each avatar picture to a thumbnail before storing it. */
export function personaHandlers(store: PersonaStore, images: ImageTools | null, followers: PersonaFollowers, announce: Announce): Handlers<PersonaApi> {
  return {
    'personas.list': () => store.list(),
    'personas.save': async ({ id, name, description, avatar }) => {
      const saved = await store.save({ id, name, description, avatar: avatar ? await thumbnail(avatar.base64, images) : avatar });
      announce({ type: 'personas-changed' });
      return saved;
    },
    'personas.delete': async ({ id }) => {
      // Followers first, in the store's queue: if this fails, the persona is still there to follow.
      await store.remove(id, async (persona) => {
        const chats = await followers.unfollowInChats(persona);
        for (const chatKey of chats) announce({ type: 'chat-changed', chatKey });
        await followers.unfollowAsDefault(persona);
      });
      announce({ type: 'personas-changed' });
      return {};
    },
  };
}

async function thumbnail(base64: string, images: ImageTools | null): Promise<string> {
  const bytes = base64ToBytes(base64);
  const mime = sniffRaster(bytes);
  if (!mime) throw new PersonaError('persona/not-an-image', 'That file is not a PNG, JPEG, WebP, GIF or AVIF picture.');
  const made = images ? await images.thumbnail(new Blob([bytes as BlobPart], { type: mime }), mime, bytes.subarray(0, IMAGE_HEADER_BYTES)) : null;
  if (!made) throw new PersonaError('persona/not-an-image', 'That picture could not be read; it may be damaged.');
  return made;
}
