import type { ChatRole, HostSystemMode } from '@troupe/shared/prompt';
import { DEFAULT_AUTHOR_NOTE_DEPTH } from './limits/prompt.ts';

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
 * persona; `greetingIndex` points into `[first_mes, ...alternate_greetings]`; `lorebookIds` are the
 * library books bound to this chat (SillyTavern's chat lore); `hostSystemMode` null follows the global
 * setting for NextChat's own system prompt. Versioned: version 1 rows (before chat lore) still read.
 */
export interface ChatSettings {
  version: 2;
  persona: PersonaSettings | null;
  authorNote: AuthorNoteSettings;
  greetingIndex: number;
  lorebookIds: string[];
  hostSystemMode: HostSystemMode | null;
  /**
   * The character's replies in this chat are read aloud (issue #12); off by default. Added within
   * format 2: a row without it reads as off, and an older build ignores it.
   */
  readAloud: boolean;
}

/** The first stored format: no chat lore, no per-chat system prompt mode. */
export interface ChatSettingsV1 {
  version: 1;
  persona: PersonaSettings | null;
  authorNote: AuthorNoteSettings;
  greetingIndex: number;
}

/** Any format a `chats` row may hold. */
export type StoredChatSettings = ChatSettingsV1 | ChatSettings;

export const CHAT_SETTINGS_VERSION = 2;

export const AUTHOR_NOTE_ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];

export const HOST_SYSTEM_MODES: readonly HostSystemMode[] = ['drop', 'keep', 'merge'];

export const EMPTY_PERSONA: PersonaSettings = { name: '', description: '' };

export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  version: CHAT_SETTINGS_VERSION,
  persona: null,
  authorNote: { text: '', depth: DEFAULT_AUTHOR_NOTE_DEPTH, everyN: 0, role: 'system' },
  greetingIndex: 0,
  lorebookIds: [],
  hostSystemMode: null,
  readAloud: false,
};

/**
 * A chat's settings in the current format with defaults filled in, whether nothing, a version 1 row or a
 * current row was saved. A format from a newer build reads as the defaults rather than being misread.
 */
export function chatSettingsOrDefault(saved: StoredChatSettings | undefined | null): ChatSettings {
  if (!saved || (saved.version !== 1 && saved.version !== 2)) return DEFAULT_CHAT_SETTINGS;
  const current: Partial<ChatSettings> = saved.version === 1 ? { persona: saved.persona, authorNote: saved.authorNote, greetingIndex: saved.greetingIndex } : saved;
  return {
    ...DEFAULT_CHAT_SETTINGS,
    ...current,
    version: CHAT_SETTINGS_VERSION,
    authorNote: { ...DEFAULT_CHAT_SETTINGS.authorNote, ...current.authorNote },
    lorebookIds: Array.isArray(current.lorebookIds) ? [...current.lorebookIds] : [],
    hostSystemMode: current.hostSystemMode ?? null,
    readAloud: current.readAloud === true,
  };
}

/** The card's greetings in the order the panel swipes them: `first_mes`, then each alternate. */
export function greetingsOf(card: { first_mes?: string; alternate_greetings?: readonly string[] }): string[] {
  return [card.first_mes ?? '', ...(card.alternate_greetings ?? [])];
}

/** The greeting the user picked, falling back to the first one when the card lost that alternate. */
export function chosenGreeting(greetings: readonly string[], index: number): string {
  return greetings[index] ?? greetings[0] ?? '';
}
