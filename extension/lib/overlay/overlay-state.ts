import type { CharacterSummary } from '../db/characters.ts';
import type { ChatState } from '../db/chats.ts';
import type { Theme } from '../nextchat/theme.ts';

/** Everything the panel shows. Owned by the overlay controller; features only read it and call actions. */
export interface OverlayState {
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
}

/** What features may ask the controller to do. Each reports its own errors into `lastError`. */
export interface OverlayActions {
  activate(characterId: string | null): Promise<void>;
  createCharacter(input: { name: string; description: string; avatar: string | null }): Promise<boolean>;
  dismissError(): void;
}

export const INITIAL_OVERLAY_STATE: OverlayState = {
  chatKey: null,
  chat: null,
  characters: [],
  interceptor: 'missing',
  missingLandmarks: [],
  lastError: null,
  lastRequest: null,
  theme: 'light',
};
