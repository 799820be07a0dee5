import type { ChatMessage, ContentPart } from '../prompt/types.ts';
import { messageText } from '../prompt/types.ts';

/** Where the messages of a built prompt go in formats with a separate system field and strict turns. */
export interface TurnLayout {
  /** The leading system messages' text, joined: the provider's own system field. */
  system: string;
  /** The rest as alternating user/assistant turns, starting with the user (merged where roles repeat). */
  turns: Array<{ role: 'user' | 'assistant'; content: string | ContentPart[] }>;
}

/**
 * Lays out a built prompt for Anthropic and Gemini, which keep the system prompt apart and want turns
 * that alternate and start with the user: leading system messages become the system field; a later
 * system message (author's note, depth lore, post-history instructions) is said by the user; repeated
 * roles merge, blank messages go. When the chat would start with the character (a greeting), the last
 * leading system message (SillyTavern's "[Start a new Chat]") opens it as the user's turn instead.
 */
export function layoutTurns(messages: readonly ChatMessage[]): TurnLayout {
  let first = 0;
  while (first < messages.length && messages[first]!.role === 'system') first += 1;
  const leading = messages.slice(0, first).map(messageText).filter((text) => text.trim().length > 0);
  const turns: TurnLayout['turns'] = [];
  const rest = messages.slice(first).map((m) => ({ role: m.role === 'assistant' ? 'assistant' as const : 'user' as const, content: m.content }));
  if (rest[0]?.role === 'assistant') rest.unshift({ role: 'user', content: leading.length > 1 ? leading.pop()! : '[Start a new Chat]' });
  for (const message of rest) {
    if (isBlank(message.content)) continue;
    const previous = turns.at(-1);
    if (previous && previous.role === message.role) previous.content = joinContent(previous.content, message.content);
    else turns.push({ ...message });
  }
  return { system: leading.join('\n\n'), turns };
}

function isBlank(content: string | ContentPart[]): boolean {
  return typeof content === 'string' ? content.trim().length === 0 : content.length === 0;
}

function joinContent(a: string | ContentPart[], b: string | ContentPart[]): string | ContentPart[] {
  if (typeof a === 'string' && typeof b === 'string') return `${a}\n\n${b}`;
  const parts = (c: string | ContentPart[]): ContentPart[] => (typeof c === 'string' ? [{ type: 'text', text: c }] : c);
  return [...parts(a), ...parts(b)];
}
