/**
 * The user's saved personas (SillyTavern's persona list): who the user is in a chat, with an avatar.
 * Chats follow a saved persona by id, so editing it changes every chat that uses it; each chat also
 * keeps a copy of the name and description, which it uses if the persona is deleted. Pure list
 * operations; persona-store.ts owns where the list lives.
 */
import type { PersonaSettings } from '../../messaging/chat-settings.ts';
import type { SavedPersona } from '../../messaging/personas.ts';
import { MAX_PERSONA_DESCRIPTION, MAX_PERSONA_NAME } from '../../messaging/limits/prompt.ts';
import { MAX_PERSONA_AVATAR_DATA_URL, MAX_SAVED_PERSONAS } from '../../messaging/limits/persona.ts';
import { RASTER_DATA_URL } from '@troupe/shared/bytes';

/** What is stored (format 1). */
export interface SavedPersonaList { format: 1; personas: SavedPersona[] }

export const EMPTY_PERSONA_LIST: SavedPersonaList = { format: 1, personas: [] };

export type PersonaErrorCode = 'persona/not-found' | 'persona/too-many' | 'persona/no-name' | 'persona/not-an-image';

/** A persona change that cannot be made; `code` is stable, `message` is for people. */
export class PersonaError extends Error {
  constructor(readonly code: PersonaErrorCode, message: string) {
    super(message);
    this.name = 'PersonaError';
  }
}


/**
 * The personas in whatever was stored, skipping entries that are not well-formed (a newer or broken
 * writer must not take the whole list down). Unknown formats read as empty.
 */
export function readSavedPersonas(stored: unknown): SavedPersona[] {
  const list = stored as { format?: unknown; personas?: unknown } | null;
  if (!list || list.format !== 1 || !Array.isArray(list.personas)) return [];
  const seen = new Set<string>();
  return list.personas.filter((p: unknown): p is SavedPersona => {
    const o = p as Partial<SavedPersona> | null;
    const ok = !!o && typeof o.id === 'string' && o.id.length > 0 && !seen.has(o.id)
      && typeof o.name === 'string' && o.name.length <= MAX_PERSONA_NAME
      && typeof o.description === 'string' && o.description.length <= MAX_PERSONA_DESCRIPTION
      && (o.avatar === null || (typeof o.avatar === 'string' && o.avatar.length <= MAX_PERSONA_AVATAR_DATA_URL && RASTER_DATA_URL.test(o.avatar)))
      && typeof o.updatedAt === 'number';
    if (ok) seen.add(o.id!);
    return ok;
  }).slice(0, MAX_SAVED_PERSONAS);
}

export interface PersonaInput {
  /** null creates a new persona. */
  id: string | null;
  name: string;
  description: string;
  /** A new avatar data URL, null to remove it, undefined to keep the current one. */
  avatar?: string | null;
}

/** The list with `input` created or updated (sorted by name), and the saved persona. */
export function withSavedPersona(list: readonly SavedPersona[], input: PersonaInput, now: number, newId: () => string): { personas: SavedPersona[]; saved: SavedPersona } {
  const name = input.name.trim();
  if (!name) throw new PersonaError('persona/no-name', 'A saved persona needs a name.');
  if (input.avatar && !RASTER_DATA_URL.test(input.avatar)) throw new PersonaError('persona/not-an-image', 'The persona\'s avatar must be a PNG, JPEG, WebP or GIF image.');
  const existing = input.id === null ? undefined : list.find((p) => p.id === input.id);
  if (input.id !== null && !existing) throw new PersonaError('persona/not-found', 'That persona was deleted meanwhile.');
  if (!existing && list.length >= MAX_SAVED_PERSONAS) throw new PersonaError('persona/too-many', `You can keep up to ${MAX_SAVED_PERSONAS} personas; delete one first.`);
  const saved: SavedPersona = {
    id: existing?.id ?? newId(),
    name,
    description: input.description,
    avatar: input.avatar === undefined ? existing?.avatar ?? null : input.avatar,
    updatedAt: now,
  };
  const personas = [...list.filter((p) => p.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { personas, saved };
}

/** The list without persona `id` (deleting one that is already gone changes nothing). */
export function withoutPersona(list: readonly SavedPersona[], id: string): SavedPersona[] {
  return list.filter((p) => p.id !== id);
}
