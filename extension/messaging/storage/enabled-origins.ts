import { storage } from '#imports';

/**
 * The extra sites the user enabled Troupe's NextChat overlay on (match patterns). Kept apart from
 * Chrome's granted host permissions, which also cover SillyTavern servers the user connects to:
 * a permission alone never puts NextChat scripts on a site.
 */
export const nextChatOriginsSetting = storage.defineItem<string[]>('local:nextchatOrigins', { fallback: [], version: 1 });
