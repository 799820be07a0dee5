import type { ChatCompletionBody, ChatMessage, ContentPart } from '../prompt/types.ts';
import type { WireCodec } from './codec.ts';
import { dataUrl, isRecord, numberOrUndefined, splitDataUrl } from './content.ts';
import { layoutTurns } from './merge.ts';
import { parseData, SseReplyReader } from './sse.ts';

/**
 * NextChat keeps Anthropic's turns alternating with filler messages whose whole text is ";" (and maps
 * its system messages to the user). They carry nothing of the chat.
 */
const NEXTCHAT_FILLER = ';';

type AnthropicBlock = { type: 'text'; text: string } | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } };

function readContent(content: unknown): string | ContentPart[] | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const parts: ContentPart[] = [];
  for (const block of content) {
    if (!isRecord(block)) return null;
    if (block.type === 'text' && typeof block.text === 'string') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image' && isRecord(block.source) && typeof block.source.media_type === 'string' && typeof block.source.data === 'string') {
      parts.push({ type: 'image_url', image_url: { url: dataUrl(block.source.media_type, block.source.data) } });
    }
  }
  return parts;
}

function writeContent(content: string | ContentPart[]): string | AnthropicBlock[] {
  if (typeof content === 'string') return content;
  return content.flatMap((part): AnthropicBlock[] => {
    if (part.type === 'text') return [{ type: 'text', text: part.text }];
    const image = splitDataUrl(part.image_url.url);
    return image ? [{ type: 'image', source: { type: 'base64', media_type: image.mediaType, data: image.data } }] : [];
  });
}

function systemText(system: unknown): string {
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) return '';
  return system.map((block) => (isRecord(block) && typeof block.text === 'string' ? block.text : '')).filter(Boolean).join('\n\n');
}

/** Anthropic Messages (`/v1/messages`): top-level `system`, user/assistant turns, typed SSE events. */
export const anthropicCodec: WireCodec = {
  read(body) {
    if (!isRecord(body) || !Array.isArray(body.messages) || body.messages.length === 0) return null;
    const messages: ChatMessage[] = [];
    const system = systemText(body.system);
    if (system) messages.push({ role: 'system', content: system });
    for (const message of body.messages) {
      if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) return null;
      const content = readContent(message.content);
      if (content === null) return null;
      if (content === NEXTCHAT_FILLER) continue;
      messages.push({ role: message.role, content });
    }
    if (messages.length === 0) return null;
    const view: ChatCompletionBody = { messages, stream: body.stream === true };
    if (typeof body.model === 'string') view.model = body.model;
    const maxTokens = numberOrUndefined(body.max_tokens);
    if (maxTokens !== undefined) view.max_tokens = maxTokens;
    return view;
  },
  write(original, built) {
    const { system, turns } = layoutTurns(built.messages);
    const out: Record<string, unknown> = { ...(original as object), messages: turns.map((t) => ({ role: t.role, content: writeContent(t.content) })) };
    if (system) out.system = system;
    else delete out.system;
    return out;
  },
  streamReader: () => new SseReplyReader((data) => {
    const event = parseData(data) as { type?: unknown; delta?: { type?: unknown; text?: unknown } } | undefined;
    if (event?.type === 'message_stop') return { done: true };
    const text = event?.type === 'content_block_delta' && event.delta?.type === 'text_delta' ? event.delta.text : undefined;
    return { text: typeof text === 'string' ? text : undefined };
  }),
  jsonText(json) {
    const content = (json as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) return '';
    return content.map((block) => (isRecord(block) && block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
  },
};
