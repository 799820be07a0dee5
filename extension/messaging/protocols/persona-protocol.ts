/** Runtime messages of the saved personas: list, create or edit (with an avatar picture), delete. */
import { MAX_PERSONA_DESCRIPTION, MAX_PERSONA_NAME } from '../limits/prompt.ts';
import { MAX_PERSONA_AVATAR_BYTES } from '../limits/persona.ts';
import type { SavedPersona } from '../personas.ts';
import { base64, nullable, object, string } from '../validate.ts';
import { emptyRequest, type Validators } from './define.ts';

export interface PersonaApi {
  'personas.list': { req: Record<string, never>; res: SavedPersona[] };
  /**
   * `id` null creates a persona. `avatar`: `{ base64 }` a new picture (any raster format; the background
   * shrinks it), `null` removes the avatar, absent keeps it.
   */
  'personas.save': { req: { id: string | null; name: string; description: string; avatar?: { base64: string } | null }; res: SavedPersona };
  'personas.delete': { req: { id: string }; res: Record<string, never> };
}

const id = (v: unknown) => string(v, 'id', 100, { min: 1 });

export const PERSONA_VALIDATORS: Validators<PersonaApi> = {
  'personas.list': emptyRequest,
  'personas.save': (p) => {
    const o = object(p, 'payload');
    const request: PersonaApi['personas.save']['req'] = {
      id: nullable(o.id, id),
      name: string(o.name, 'name', MAX_PERSONA_NAME, { min: 1 }),
      description: string(o.description, 'description', MAX_PERSONA_DESCRIPTION),
    };
    if (o.avatar === null) request.avatar = null;
    else if (o.avatar !== undefined) request.avatar = { base64: base64(object(o.avatar, 'avatar').base64, 'avatar.base64', MAX_PERSONA_AVATAR_BYTES) };
    return request;
  },
  'personas.delete': (p) => ({ id: id(object(p, 'payload').id) }),
};
