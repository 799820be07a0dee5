import type { ChatCompletionBody, ChatMessage, ContentPart } from '../prompt/types.ts';
import type { WireCodec } from './codec.ts';
import { dataUrl, isRecord, numberOrUndefined, splitDataUrl } from './content.ts';
import { layoutTurns } from './merge.ts';
import { parseData, SseReplyReader } from './sse.ts';
import { parseUrl } from './url.ts';

type GeminiPart = { text: string } | { inline_data: { mime_type: string; data: string } };

const MODEL_IN_PATH = /\/models\/([^/:]+):/;

/** A Gemini message's parts: all text joins into one string (NextChat merged separate messages into parts). */
function readParts(parts: unknown): string | ContentPart[] | null {
  if (!Array.isArray(parts)) return null;
  const out: ContentPart[] = [];
  for (const part of parts) {
    if (!isRecord(part)) return null;
    if (typeof part.text === 'string') out.push({ type: 'text', text: part.text });
    const inline = part.inline_data ?? part.inlineData;
    if (isRecord(inline)) {
      const mime = inline.mime_type ?? inline.mimeType;
      if (typeof mime === 'string' && typeof inline.data === 'string') out.push({ type: 'image_url', image_url: { url: dataUrl(mime, inline.data) } });
    }
  }
  if (out.every((p) => p.type === 'text')) return out.map((p) => (p as { text: string }).text).filter((t) => t.length > 0).join('\n\n');
  return out;
}

function writeParts(content: string | ContentPart[]): GeminiPart[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.flatMap((part): GeminiPart[] => {
    if (part.type === 'text') return [{ text: part.text }];
    const image = splitDataUrl(part.image_url.url);
    return image ? [{ inline_data: { mime_type: image.mediaType, data: image.data } }] : [];
  });
}

function candidateText(chunk: unknown): string {
  const parts = (chunk as { candidates?: { content?: { parts?: unknown } }[] } | null)?.candidates?.[0]?.content?.parts;
  if (!Array.isArray(parts)) return '';
  // As NextChat shows it: the parts of one chunk joined by a blank line.
  return parts.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).filter(Boolean).join('\n\n');
}

/**
 * Google Gemini (`/v1beta/models/{model}:streamGenerateContent`): `contents` of user/model `parts`,
 * `systemInstruction`; the model and the stream switch (`alt=sse`) are in the URL.
 */
export const geminiCodec: WireCodec = {
  read(body, url) {
    if (!isRecord(body) || !Array.isArray(body.contents) || body.contents.length === 0) return null;
    const messages: ChatMessage[] = [];
    const instruction = isRecord(body.systemInstruction) ? readParts(body.systemInstruction.parts) : null;
    if (typeof instruction === 'string' && instruction) messages.push({ role: 'system', content: instruction });
    for (const entry of body.contents) {
      if (!isRecord(entry) || (entry.role !== 'user' && entry.role !== 'model')) return null;
      const content = readParts(entry.parts);
      if (content === null) return null;
      messages.push({ role: entry.role === 'model' ? 'assistant' : 'user', content });
    }
    const target = parseUrl(url, 'http://relative.invalid/');
    if (!target) return null;
    const view: ChatCompletionBody = { messages, stream: target.searchParams.get('alt') === 'sse' };
    const model = MODEL_IN_PATH.exec(target.pathname)?.[1];
    if (model) view.model = decodeURIComponent(model);
    const maxTokens = isRecord(body.generationConfig) ? numberOrUndefined(body.generationConfig.maxOutputTokens) : undefined;
    if (maxTokens !== undefined) view.max_tokens = maxTokens;
    return view;
  },
  write(original, built) {
    const { system, turns } = layoutTurns(built.messages);
    const out: Record<string, unknown> = {
      ...(original as object),
      contents: turns.map((t) => ({ role: t.role === 'assistant' ? 'model' : 'user', parts: writeParts(t.content) })),
    };
    if (system) out.systemInstruction = { parts: [{ text: system }] };
    else delete out.systemInstruction;
    return out;
  },
  // Gemini's stream has no end marker: it is complete when the connection closes.
  streamReader: () => new SseReplyReader((data) => ({ text: candidateText(parseData(data)) })),
  jsonText(json) {
    const chunks = Array.isArray(json) ? json : [json];
    return chunks.map(candidateText).join('');
  },
};
