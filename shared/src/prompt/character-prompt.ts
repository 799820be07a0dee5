import type { ChatMessage, PromptCharacter } from './types.ts';

/**
 * SillyTavern's default main prompt. `{{char}}`/`{{user}}` are filled here; the full macro engine
 * replaces this simple substitution when the prompt engine lands.
 */
export const DEFAULT_MAIN_PROMPT = "Write {{char}}'s next reply in a fictional chat between {{char}} and {{user}}.";

/** The user's name when no persona is chosen (SillyTavern's default too). */
export const DEFAULT_USER_NAME = 'User';

/**
 * The system messages that put a character in front of a conversation, in SillyTavern's order:
 * main prompt, then the character's description. Empty parts are left out rather than sent blank.
 *
 * @example characterPromptMessages({ name: 'Seraphina', description: 'A guardian.' })
 * // [{role:'system', content:"Write Seraphina's next reply ... Seraphina and User."}, {role:'system', content:'A guardian.'}]
 */
export function characterPromptMessages(character: PromptCharacter, userName = DEFAULT_USER_NAME): ChatMessage[] {
  const fill = (text: string) => text.replaceAll('{{char}}', character.name).replaceAll('{{user}}', userName);
  const parts = [DEFAULT_MAIN_PROMPT, character.description].map((text) => fill(text).trim()).filter((text) => text.length > 0);
  return parts.map((content) => ({ role: 'system', content }));
}
