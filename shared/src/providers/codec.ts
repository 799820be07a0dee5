import type { ChatCompletionBody } from '../prompt/types.ts';

/**
 * What Troupe needs of one wire format: NextChat's request read as OpenAI-style chat messages (the
 * form the prompt engine builds in), the built prompt written back into the provider's own body, and
 * the reply's text read from its stream or JSON.
 */
export interface WireCodec {
  /**
   * The request body as chat messages with `stream`, `model` and `max_tokens` (null when the body is
   * not this format's chat body). `url` carries what some formats keep there (Gemini: model, `alt=sse`).
   */
  read(body: unknown, url: string): ChatCompletionBody | null;
  /** `original` with its messages replaced by `built`'s, in this format; every other key kept. */
  write(original: unknown, built: ChatCompletionBody): unknown;
  /** A fresh reader for one streamed reply. */
  streamReader(): ReplyTextReader;
  /** The text of a whole (non-streamed) reply. */
  jsonText(json: unknown): string;
}

/** Accumulates a streamed reply's text as its bytes arrive (already decoded to text). */
export interface ReplyTextReader {
  /** Feeds decoded text; returns true once the stream said it is complete. */
  push(chunk: string): boolean;
  /** The stream closed: read what is left. */
  finish(): void;
  text(): string;
  readonly sawDone: boolean;
}

/** A reader for a whole JSON reply: collects the bytes, reads the text once the body ends. */
export function jsonReplyReader(jsonText: (json: unknown) => string): ReplyTextReader {
  let raw = '';
  let parsed = '';
  return {
    sawDone: false,
    push(chunk) {
      raw += chunk;
      return false;
    },
    finish() {
      try {
        parsed = jsonText(JSON.parse(raw) as unknown);
      } catch {
        parsed = '';
      }
    },
    text: () => parsed,
  };
}
