import { encodingFor, type EncodingName } from './encoding.ts';
import { IMAGE_PART_TOKENS, LOW_DETAIL_IMAGE_TOKENS, REPLY_PRIMING_TOKENS, TOKENS_PER_MESSAGE, TOKENS_PER_NAME } from './limits.ts';

/** The chat-completion message shape this module counts (structurally the OpenAI one). */
export interface TokenChatMessage {
  role: string;
  content: string | readonly TokenContentPart[];
  name?: string;
}

export type TokenContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } };

/** A loaded BPE tokenizer. `count` and `countChat` keep their identity, so they can key caches. */
export interface Tokenizer {
  readonly encoding: EncodingName;
  /** Tokens in a piece of text. Special-token text such as `<|endoftext|>` counts as ordinary text. */
  readonly count: (text: string) => number;
  /** Tokens a chat-completion request's messages cost, OpenAI's per-message overhead included. */
  readonly countChat: (messages: readonly TokenChatMessage[]) => number;
}

/** What Troupe needs of a gpt-tokenizer encoding API. */
export interface EncodingModule {
  countTokens: (text: string, options?: { disallowedSpecial?: Set<string> }) => number;
}

/** Loads one encoding's tables; where they come from is the host's choice (see setEncodingLoader). */
export type EncodingLoader = (encoding: EncodingName) => Promise<EncodingModule>;

/**
 * The encoding tables are megabytes, so this module never imports them itself: the host registers
 * how to load them. Node and tests use `useBundledEncodings()` (`@troupe/shared/tokens/bundled`); the
 * extension's service worker fetches them as files on first use, because a service worker may not
 * `import()` and bundling them would make every wake-up parse 3 MB.
 */
let loader: EncodingLoader | null = null;

/** Registers how encoding tables are loaded. Call once, before the first `tokenizerFor`. */
export function setEncodingLoader(next: EncodingLoader): void {
  loader = next;
}

// Users paste anything; text that looks like a special token must be counted, not rejected.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const ready = new Map<EncodingName, Tokenizer>();
const loading = new Map<EncodingName, Promise<Tokenizer>>();

function partTokens(part: TokenContentPart, count: (text: string) => number): number {
  if (part.type === 'text') return count(part.text);
  return part.image_url.detail === 'low' ? LOW_DETAIL_IMAGE_TOKENS : IMAGE_PART_TOKENS;
}

function makeTokenizer(encoding: EncodingName, module: EncodingModule): Tokenizer {
  const count = (text: string): number => (text.length === 0 ? 0 : module.countTokens(text, PLAIN_TEXT));
  const countChat = (messages: readonly TokenChatMessage[]): number => {
    let total = REPLY_PRIMING_TOKENS;
    for (const message of messages) {
      total += TOKENS_PER_MESSAGE + count(message.role);
      if (typeof message.content === 'string') total += count(message.content);
      else for (const part of message.content) total += partTokens(part, count);
      if (message.name !== undefined) total += count(message.name) + TOKENS_PER_NAME;
    }
    return total;
  };
  return Object.freeze({ encoding, count, countChat });
}

/**
 * Loads (once, lazily) the real BPE tokenizer for a model: o200k_base or cl100k_base via gpt-tokenizer,
 * with `encodingFor`'s fallback for unknown models. Safe to call from a worker; the encoding tables are
 * only fetched by the first call that needs them.
 *
 * @example const { count } = await tokenizerFor('gpt-4o'); count('Hello, world!') // 4
 */
export function tokenizerFor(model: string): Promise<Tokenizer> {
  const encoding = encodingFor(model);
  const done = ready.get(encoding);
  if (done) return Promise.resolve(done);
  let pending = loading.get(encoding);
  if (!pending) {
    if (!loader) return Promise.reject(new Error('No tokenizer tables: call setEncodingLoader (or useBundledEncodings) first.'));
    pending = loader(encoding).then(
      (module) => {
        const tokenizer = makeTokenizer(encoding, module);
        ready.set(encoding, tokenizer);
        loading.delete(encoding);
        return tokenizer;
      },
      (error: unknown) => {
        loading.delete(encoding);
        throw error;
      },
    );
    loading.set(encoding, pending);
  }
  return pending;
}

/** The tokenizer for a model if `tokenizerFor` already loaded it, for synchronous code paths. */
export function loadedTokenizerFor(model: string): Tokenizer | undefined {
  return ready.get(encodingFor(model));
}

/** Tokens in `text` for `model` (loads the tokenizer on first use). */
export async function countTokens(text: string, model: string): Promise<number> {
  return (await tokenizerFor(model)).count(text);
}

/** Tokens the messages of a chat-completion request cost for `model`, per-message overhead included. */
export async function countChatTokens(messages: readonly TokenChatMessage[], model: string): Promise<number> {
  return (await tokenizerFor(model)).countChat(messages);
}
