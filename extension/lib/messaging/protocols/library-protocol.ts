/** Runtime messages of the character library. */
import type { CharacterSummary } from '../../db/characters.ts';
import { MAX_AVATAR_DATA_URL, MAX_CHARACTER_DESCRIPTION, MAX_CHARACTER_NAME } from '../../limits.ts';
import { MessageError, nullable, object, string } from '../validate.ts';
import { emptyRequest, type Validators } from './define.ts';

export interface LibraryApi {
  'characters.list': { req: Record<string, never>; res: CharacterSummary[] };
  'characters.create': { req: { name: string; description: string; avatar: string | null }; res: CharacterSummary };
}

/** Only raster images as base64 data URLs: an SVG avatar could carry script. */
const AVATAR_DATA_URL = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/;

export const LIBRARY_VALIDATORS: Validators<LibraryApi> = {
  'characters.list': emptyRequest,
  'characters.create': (p) => {
    const o = object(p, 'payload');
    const name = string(o.name, 'Name', MAX_CHARACTER_NAME).trim();
    if (name.length === 0) throw new MessageError('Name must not be empty');
    const avatar = nullable(o.avatar, (v) => string(v, 'Avatar', MAX_AVATAR_DATA_URL));
    if (avatar !== null && !AVATAR_DATA_URL.test(avatar)) throw new MessageError('Avatar must be a PNG, JPEG, WebP or GIF image');
    return { name, description: string(o.description, 'Description', MAX_CHARACTER_DESCRIPTION), avatar };
  },
};
