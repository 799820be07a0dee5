/**
 * The test LLM's Anthropic Messages and Google Gemini faces: how each provider's request is read (as
 * chat messages, for the echo reply and for assertions) and how its reply is written, streamed or
 * whole, as those APIs send them. Written from the providers' public API references, independently of
 * Troupe's own code, so a test checks Troupe against the formats, not against itself.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function blocksText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.filter((b) => isObject(b) && b.type === 'text').map((b) => String((b as Json).text ?? '')).join('\n');
}

/** An Anthropic Messages body as chat messages (`system` first); null when it is not one. */
export function anthropicChat(json: unknown): ChatBodyJson | null {
  if (!isObject(json) || !Array.isArray(json.messages)) return null;
  const messages: ChatMessageJson[] = [];
  const system = blocksText(json.system);
  if (system) messages.push({ role: 'system', content: system });
  for (const m of json.messages) {
    if (!isObject(m)) return null;
    messages.push({ role: String(m.role), content: blocksText(m.content) });
  }
  return { messages, stream: json.stream === true, model: typeof json.model === 'string' ? json.model : undefined };
}

/** A Gemini generateContent body as chat messages (`systemInstruction` first, `model` as assistant). */
export function geminiChat(json: unknown, path: string): ChatBodyJson | null {
  if (!isObject(json) || !Array.isArray(json.contents)) return null;
  const partsText = (parts: unknown) => (Array.isArray(parts) ? parts.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).join('\n') : '');
  const messages: ChatMessageJson[] = [];
  if (isObject(json.systemInstruction)) messages.push({ role: 'system', content: partsText(json.systemInstruction.parts) });
  for (const c of json.contents) {
    if (!isObject(c)) return null;
    messages.push({ role: c.role === 'model' ? 'assistant' : String(c.role), content: partsText(c.parts) });
  }
  const url = new URL(path, 'http://127.0.0.1');
  const model = /\/models\/([^/:]+):/.exec(url.pathname)?.[1];
  return { messages, stream: url.searchParams.get('alt') === 'sse', model };
}

/** Anthropic's streamed events for a reply in `chunks` (named events, JSON data, `message_stop` last). */
export function anthropicEvents(id: string, model: string, chunks: string[]): string[] {
  const ev = (type: string, data: Json) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  return [
    ev('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('ping', {}),
    ...chunks.map((text) => ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
    ev('content_block_stop', { index: 0 }),
    ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: chunks.length } }),
    ev('message_stop', {}),
  ];
}

export function anthropicMessage(id: string, model: string, text: string): Json {
  return { id, type: 'message', role: 'assistant', model, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };
}

/** One Gemini response chunk. */
export function geminiChunk(text: string, finished: boolean): Json {
  return { candidates: [{ content: { role: 'model', parts: [{ text }] }, ...(finished ? { finishReason: 'STOP' } : {}), index: 0 }], modelVersion: 'test-llm' };
}

/** One OpenAI chat message as sent by NextChat; `content` is a string or a list of parts. */
export interface ChatMessageJson {
  role: string;
  content: string | Array<{ type: string; text?: string }>;
}

/** The parts of an OpenAI chat-completions body the harness reads. */
export interface ChatBodyJson {
  messages: ChatMessageJson[];
  stream?: boolean;
  model?: string;
}
