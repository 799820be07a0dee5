import type { CharacterSummary } from '../../messaging/library-wire.ts';
import type { ChatState } from '../../messaging/chat-types.ts';
import type { ChatSettingsUpdate, ChatSettingsView } from '../../messaging/protocols/chat-protocol.ts';
import type { PromptReport } from '@troupe/shared/prompt';
import type { Theme } from '../nextchat/theme.ts';
import type { PersonaApi } from '../../messaging/protocols/persona-protocol.ts';
import type { SavedPersona } from '../../messaging/personas.ts';

/** Everything the panel shows. Owned by the overlay controller; features only read it and call actions. */
export interface OverlayState {
  /** Whether the person confirmed Troupe on this site (scheme, host and port); null until known. */
  site: 'confirmed' | 'unconfirmed' | null;
  chatKey: string | null;
  chat: ChatState | null;
  characters: CharacterSummary[];
  /** Whether the MAIN-world interceptor is paired with this content script. */
  interceptor: 'connected' | 'missing';
  /** NextChat landmarks this page lacks (Troupe degrades instead of breaking the page). */
  missingLandmarks: string[];
  /** The last thing that went wrong, in words for the user; null when all is well. */
  lastError: string | null;
  lastRequest: { characterName: string; at: number } | null;
  theme: Theme;
  /** The open chat's persona, author's note and greetings; null until read. */
  settings: ChatSettingsView | null;
  /** How the open chat's last request was built, for the prompt inspector; null when none was. */
  report: PromptReport | null;
  /** The user's saved personas, by name. */
  personas: SavedPersona[];
}

/** What features may ask the controller to do. Each reports its own errors into `lastError`. */
export interface OverlayActions {
  /** The person's click on "Use Troupe here": remembered for this site; Troupe starts at once. */
  confirmSite(): Promise<void>;
  activate(characterId: string | null): Promise<void>;
  createCharacter(input: { name: string; description: string; avatar: string | null }): Promise<boolean>;
  dismissError(): void;
  /** Saves part of the open chat's settings; resolves false (error reported) when it could not. */
  updateSettings(patch: Omit<ChatSettingsUpdate, 'chatKey'>): Promise<boolean>;
  /** Creates or edits a saved persona; resolves null (error reported) when it could not. */
  savePersona(input: PersonaApi['personas.save']['req']): Promise<SavedPersona | null>;
  deletePersona(id: string): Promise<boolean>;
}

export const INITIAL_OVERLAY_STATE: OverlayState = {
  site: null,
  chatKey: null,
  chat: null,
  characters: [],
  interceptor: 'missing',
  missingLandmarks: [],
  lastError: null,
  lastRequest: null,
  theme: 'light',
  settings: null,
  report: null,
  personas: [],
};
