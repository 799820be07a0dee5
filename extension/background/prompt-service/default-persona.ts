import { storage } from '#imports';
import { EMPTY_PERSONA, type PersonaSettings } from '../../messaging/chat-settings.ts';

/** The persona every chat uses unless it sets its own (kept in extension storage, not per chat). */
export const defaultPersonaSetting = storage.defineItem<PersonaSettings>('local:persona.default', { fallback: EMPTY_PERSONA, version: 1 });
