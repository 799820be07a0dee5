import { IMAGE_PART_TOKENS, LOW_DETAIL_IMAGE_TOKENS, TOKENS_PER_MESSAGE, TOKENS_PER_NAME } from '../tokens/index.ts';
import { MAX_CACHED_TEXT_CHARS, MAX_TOKEN_CACHE_CHARS, MAX_TOKEN_CACHE_ENTRIES } from './limits.ts';
import type { ChatMessage } from './types.ts';

interface CountCache {
  counts: Map<string, number>;
  chars: number;
}

const caches = new WeakMap<(text: string) => number, CountCache>();

/**
 * A memoised form of a token counter: the same text is counted once and remembered (bounded by
 * MAX_TOKEN_CACHE_ENTRIES and MAX_TOKEN_CACHE_CHARS, oldest first out). Keyed by the counter's identity,
 * so pass the same function every turn (a loaded tokenizer's `count`).
 */
export function cachedCounter(count: (text: string) => number): (text: string) => number {
  let cache = caches.get(count);
  if (!cache) {
    cache = { counts: new Map(), chars: 0 };
    caches.set(count, cache);
  }
  const store = cache;
  return (text: string): number => {
    if (text.length === 0) return 0;
    const known = store.counts.get(text);
    if (known !== undefined) return known;
    const tokens = count(text);
    if (text.length > MAX_CACHED_TEXT_CHARS) return tokens;
    while (store.counts.size > 0 && (store.counts.size >= MAX_TOKEN_CACHE_ENTRIES || store.chars + text.length > MAX_TOKEN_CACHE_CHARS)) {
      const oldest = store.counts.keys().next().value;
      if (oldest === undefined) break;
      store.counts.delete(oldest);
      store.chars -= oldest.length;
    }
    store.counts.set(text, tokens);
    store.chars += text.length;
    return tokens;
  };
}

/**
 * Tokens one message adds to a chat-completion request, OpenAI's per-message overhead included: the same
 * sum `Tokenizer.countChat` makes, without its once-per-request reply priming.
 */
export function messageTokens(message: ChatMessage, count: (text: string) => number): number {
  let total = TOKENS_PER_MESSAGE + count(message.role);
  if (typeof message.content === 'string') total += count(message.content);
  else {
    for (const part of message.content) {
      if (part.type === 'text') total += typeof part.text === 'string' ? count(part.text) : 0;
      else if (part.type === 'image_url') total += part.image_url.detail === 'low' ? LOW_DETAIL_IMAGE_TOKENS : IMAGE_PART_TOKENS;
    }
  }
  if (message.name !== undefined) total += count(message.name) + TOKENS_PER_NAME;
  return total;
}
