/** SillyTavern's chat-completion defaults (1.19, `public/scripts/openai.js`) that shape the prompt. */

/** SillyTavern's default main prompt; a card's `system_prompt` replaces it (`{{original}}` brings it back). */
export const DEFAULT_MAIN_PROMPT = "Write {{char}}'s next reply in a fictional chat between {{char}} and {{user}}.";

/** `{{user}}` when no persona is chosen (SillyTavern's default too). */
export const DEFAULT_USER_NAME = 'User';

/** System marker before the chat history ("new_chat_prompt"). */
export const DEFAULT_NEW_CHAT_PROMPT = '[Start a new Chat]';

/** System marker before each example dialogue block ("new_example_chat_prompt"). */
export const DEFAULT_EXAMPLE_CHAT_PROMPT = '[Example Chat]';

/** The post-history instructions a card's own replace ("jailbreak" prompt): empty by default. */
export const DEFAULT_POST_HISTORY_PROMPT = '';

/**
 * `name` of example-dialogue messages: SillyTavern sends them as system messages named after the side
 * that speaks, which OpenAI-style models read as few-shot turns without mistaking them for real chat.
 */
export const EXAMPLE_USER_NAME = 'example_user';
export const EXAMPLE_ASSISTANT_NAME = 'example_assistant';
