import type { ChatCompletionBody, ChatMessage } from '../prompt/types.ts';
import type { WireCodec } from './codec.ts';
import { isRecord } from './content.ts';
import { parseData, SseReplyReader } from './sse.ts';

/** Structural check of an OpenAI chat body: an object whose `messages` all have a known role and content. */
export function isChatCompletionBody(body: unknown): body is ChatCompletionBody {
  if (!isRecord(body)) return false;
  const { messages } = body;
  return Array.isArray(messages) && messages.length > 0 && messages.every(isChatMessage);
}

function isChatMessage(value: unknown): value is ChatMessage {
  if (!isRecord(value)) return false;
  const { role, content } = value;
  return (role === 'system' || role === 'user' || role === 'assistant') && (typeof content === 'string' || Array.isArray(content));
}

/** o1/o3/o4-mini requests: NextChat drops system messages and opens with a `developer` message instead. */
function hasDeveloperMessage(body: unknown): boolean {
  return isRecord(body) && Array.isArray(body.messages) && body.messages.some((m) => isRecord(m) && m.role === 'developer');
}

/** Reads `developer` messages as system ones (what they are to the prompt engine). */
function withoutDeveloperRole(body: unknown): unknown {
  if (!hasDeveloperMessage(body)) return body;
  const record = body as Record<string, unknown>;
  return { ...record, messages: (record.messages as unknown[]).map((m) => (isRecord(m) && m.role === 'developer' ? { ...m, role: 'system' } : m)) };
}

/**
 * The OpenAI chat-completions format (OpenAI, Azure, DeepSeek, Moonshot, xAI, ByteDance, ChatGLM,
 * SiliconFlow, 302.AI, iFlytek and any compatible endpoint): the body already is chat messages.
 */
export const openaiCodec: WireCodec = {
  read(body) {
    const view = withoutDeveloperRole(body);
    return isChatCompletionBody(view) ? view : null;
  },
  write(original, built) {
    // Reasoning models take the system prompt as `developer` messages.
    const messages = hasDeveloperMessage(original) ? built.messages.map((m) => (m.role === 'system' ? { ...m, role: 'developer' } : m)) : built.messages;
    return { ...(original as object), messages };
  },
  streamReader: () => new SseReplyReader((data) => {
    if (data === '[DONE]') return { done: true };
    const content = (parseData(data) as { choices?: { delta?: { content?: unknown } }[] } | undefined)?.choices?.[0]?.delta?.content;
    return { text: typeof content === 'string' ? content : undefined };
  }),
  jsonText(json) {
    const content = (json as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message?.content;
    return typeof content === 'string' ? content : '';
  },
};
