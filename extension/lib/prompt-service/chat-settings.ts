import type { ChatRole } from '@troupe/shared/prompt';
import { DEFAULT_AUTHOR_NOTE_DEPTH } from './limits.ts';

/**
 * Who the user is in the prompt (`{{user}}` and the persona description). With `id`, it follows that
 * saved persona (its current name and description win); the copy here is used if it was deleted.
 */
export interface PersonaSettings {
  name: string;
  description: string;
  id?: string | null;
}

/** The chat's author's note: `text` empty means none. `everyN` 0 inserts it every turn. */
export interface AuthorNoteSettings {
  text: string;
  depth: number;
  everyN: number;
  role: ChatRole;
}

/**
 * What the user set for one chat, stored on its `chats` row. `persona` null follows the global default
 * persona; `greetingIndex` points into `[first_mes, ...alternate_greetings]`. Versioned.
 */
export interface ChatSettings {
  version: 1;
  persona: PersonaSettings | null;
  authorNote: AuthorNoteSettings;
  greetingIndex: number;
}

export const AUTHOR_NOTE_ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];

export const EMPTY_PERSONA: PersonaSettings = { name: '', description: '' };

export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  version: 1,
  persona: null,
  authorNote: { text: '', depth: DEFAULT_AUTHOR_NOTE_DEPTH, everyN: 0, role: 'system' },
  greetingIndex: 0,
};

/** A chat's settings with defaults filled in, whether or not anything was saved for it. */
export function chatSettingsOrDefault(saved: ChatSettings | undefined | null): ChatSettings {
  if (!saved || saved.version !== 1) return DEFAULT_CHAT_SETTINGS;
  return { ...DEFAULT_CHAT_SETTINGS, ...saved, authorNote: { ...DEFAULT_CHAT_SETTINGS.authorNote, ...saved.authorNote } };
}

/** The card's greetings in the order the panel swipes them: `first_mes`, then each alternate. */
export function greetingsOf(card: { first_mes?: string; alternate_greetings?: readonly string[] }): string[] {
  return [card.first_mes ?? '', ...(card.alternate_greetings ?? [])];
}

/** The greeting the user picked, falling back to the first one when the card lost that alternate. */
export function chosenGreeting(greetings: readonly string[], index: number): string {
  return greetings[index] ?? greetings[0] ?? '';
}
