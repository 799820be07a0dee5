/** Helpers shared by the prompt tests (not exported from the package). */
import { makeLoreEntry, type LoreBook, type LoreEntry } from '../lore/index.ts';
import type { AssembledPrompt, AssembleInput, PromptCard } from './assemble-types.ts';
import { messageText, type ChatCompletionBody, type ChatMessage } from './types.ts';

/** One token per whitespace-separated word: budgets are easy to reason about. */
export const countWords = (text: string): number => text.split(/\s+/).filter((word) => word.length > 0).length;

export const NEXTCHAT_SYSTEM = '\nYou are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2023-10\nCurrent model: gpt-4o-mini';

export const sys = (content: string): ChatMessage => ({ role: 'system', content });
export const user = (content: string): ChatMessage => ({ role: 'user', content });
export const bot = (content: string): ChatMessage => ({ role: 'assistant', content });

export function nextChatBody(messages: ChatMessage[], extra: Record<string, unknown> = {}): ChatCompletionBody {
  return { messages, stream: true, model: 'gpt-4o-mini', temperature: 0.5, presence_penalty: 0, max_tokens: 4000, ...extra };
}

export const MIRA: PromptCard = {
  name: 'Mira',
  description: '{{char}} is a cartographer.',
  personality: 'Curious.',
  scenario: '{{user}} meets {{char}} at the docks.',
  first_mes: 'Hello, {{user}}.',
};

/** A build input with the usual NextChat shape: its system prompt, then one user message. */
export function input(over: Partial<AssembleInput> = {}): AssembleInput {
  return {
    body: nextChatBody([sys(NEXTCHAT_SYSTEM), user('Hi')]),
    character: MIRA,
    hostSystemPrefix: 1,
    countTokens: countWords,
    contextSize: 100_000,
    persona: { name: 'Ann' },
    macros: { now: new Date(2026, 10, 3, 15, 5), rng: () => 0 },
    ...over,
  };
}

export function loreBook(name: string, entries: readonly (Partial<LoreEntry> & Pick<LoreEntry, 'uid'>)[]): LoreBook {
  return { name, entries: entries.map((entry) => makeLoreEntry(entry)) };
}

/** The messages as `role: text` lines (`role/name: text` for named ones), easy to compare as a table. */
export function lines(result: AssembledPrompt): string[] {
  return result.messages.map((message) => `${message.role}${message.name ? `/${message.name}` : ''}: ${messageText(message)}`);
}
