/** Saved personas as every context sees them, and how a chat's persona follows one. */
import type { PersonaSettings } from './chat-settings.ts';

/** A persona the user saved to reuse across chats. */
export interface SavedPersona {
  id: string;
  name: string;
  description: string;
  /** A small square image as a data URL (made by the background from the user's picture), or null. */
  avatar: string | null;
  updatedAt: number;
}

/** The persona as the prompt uses it: the saved persona it follows (as it is now), else its own copy. */
export function resolvePersona(persona: PersonaSettings, saved: readonly SavedPersona[]): PersonaSettings {
  const followed = persona.id ? saved.find((p) => p.id === persona.id) : undefined;
  return followed ? { id: followed.id, name: followed.name, description: followed.description } : persona;
}
