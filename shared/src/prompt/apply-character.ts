import { characterPromptMessages } from './character-prompt.ts';
import type { ChatCompletionBody, ChatMessage, PromptCharacter } from './types.ts';

export interface ApplyCharacterInput {
  body: ChatCompletionBody;
  character: PromptCharacter;
  /**
   * How many leading messages the host app injected on its own (NextChat's "You are ChatGPT…" prompt).
   * They are dropped while a character is active, as SillyTavern replaces the assistant persona.
   */
  hostSystemPrefix: number;
  userName?: string;
}

/**
 * Rewrites a chat-completion body so the character's prompt leads the messages. Everything after the
 * host's own system prefix (memory, mask context, history, the new user message) is kept as it came,
 * and every other body key (model, temperature, stream…) is left untouched.
 */
export function applyCharacter({ body, character, hostSystemPrefix, userName }: ApplyCharacterInput): ChatCompletionBody {
  const kept: ChatMessage[] = body.messages.slice(hostSystemPrefix);
  return { ...body, messages: [...characterPromptMessages(character, userName), ...kept] };
}
