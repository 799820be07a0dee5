/**
 * The open chat's settings (persona, author's note, greeting, chat lore): one record in the background
 * that several features show a part of. Each loads and saves it the same way; loads issued together
 * share one call (feature-manager.ts).
 */
import type { ChatSettingsUpdate, ChatSettingsView } from '../../messaging/protocols/chat-protocol.ts';
import type { FeatureScope } from './feature.ts';

type ChatScope = FeatureScope<'chat' | 'character'>;

export function readChatSettings({ chatKey, call }: ChatScope): Promise<ChatSettingsView> {
  return call('chat.settings.get', { chatKey });
}

/** Saves `patch` into the chat's settings; resolves with them as saved. */
export function saveChatSettings({ chatKey, call }: ChatScope, patch: Omit<ChatSettingsUpdate, 'chatKey'>): Promise<ChatSettingsView> {
  return call('chat.settings.update', { chatKey, ...patch });
}
