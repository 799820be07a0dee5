import type { BuildContext } from './assemble-context.ts';
import type { Slot } from './assemble-slots.ts';
import type { AssembleInput } from './assemble-types.ts';
import type { ChatMessage, ChatRole } from './types.ts';

/** NextChat's body cut into what it is: its system prompt, its kept context, and the chat itself. */
export interface HostParts {
  /** NextChat's own system prompt ("You are ChatGPT…"). */
  system: ChatMessage[];
  /** Its long-term memory and its mask's context messages. */
  context: ChatMessage[];
  /** Recent history, the new user message last. */
  chat: ChatMessage[];
}

const clampInt = (value: number, min: number, max: number): number =>
  Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min;

/** System messages right after the host prefix: NextChat's memory and system-role mask context. Never the last message. */
function leadingSystem(messages: readonly ChatMessage[]): number {
  let n = 0;
  while (n < messages.length - 1 && messages[n]?.role === 'system') n++;
  return n;
}

/**
 * Splits NextChat's body, [its system prompt] [memory, mask context] [recent history…, new user message],
 * by the counts the caller gives, clamped so that the new user message always stays in the chat.
 */
export function splitHostBody(input: Pick<AssembleInput, 'body' | 'hostSystemPrefix' | 'hostContextCount'>): HostParts {
  const all = input.body.messages;
  const prefix = clampInt(input.hostSystemPrefix, 0, all.length - 1);
  const afterPrefix = all.slice(prefix);
  const contextCount = input.hostContextCount === undefined
    ? leadingSystem(afterPrefix)
    : clampInt(input.hostContextCount, 0, Math.max(0, afterPrefix.length - 1));
  return { system: all.slice(0, prefix), context: afterPrefix.slice(0, contextCount), chat: afterPrefix.slice(contextCount) };
}

/**
 * The history, oldest first: the greeting (when asked for), then what NextChat sent. Never macro-expanded
 * (it is what the user and the model wrote), except the greeting, which comes from the card.
 */
export function buildHistory(build: BuildContext, chat: readonly ChatMessage[]): { history: Slot[]; greeted: boolean } {
  const { input, card, macros, userName, charName } = build;
  const history: Slot[] = [];
  const greetingSource = input.includeGreeting ? (input.greeting ?? card.first_mes ?? '').trim() : '';
  const greeting = greetingSource.length > 0 ? macros.run(greetingSource, 'greeting').trim() : '';
  if (greeting.length > 0) history.push({ message: { role: 'assistant', content: greeting }, id: 'greeting', label: 'Greeting', source: 'greeting' });
  const chatLabels: Readonly<Record<ChatRole, string>> = { user: `${userName} (chat)`, assistant: `${charName} (chat)`, system: 'System (chat)' };
  chat.forEach((message, i) => {
    const label = i === chat.length - 1 ? 'New message' : (chatLabels[message.role] ?? chatLabels.system);
    history.push({ message, id: `history-${i}`, label, source: 'history' });
  });
  return { history, greeted: greeting.length > 0 };
}
