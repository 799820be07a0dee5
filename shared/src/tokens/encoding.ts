import { normalizeModel } from './model-name.ts';

/** The BPE encodings Troupe counts with. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

/**
 * Encoding used when the model is not an OpenAI model we know. o200k_base is what current OpenAI models
 * use, and for other vendors' models (Claude, Gemini, Llama, DeepSeek...) whose tokenizers are not public
 * or not bundled it is a reasonable stand-in: English prose counts come out within roughly 10-20%.
 */
export const FALLBACK_ENCODING: EncodingName = 'o200k_base';

/** Model-name prefixes to encodings, checked in order (gpt-4o before gpt-4). */
export const MODEL_ENCODINGS: readonly (readonly [prefix: string, encoding: EncodingName])[] = [
  ['gpt-4o', 'o200k_base'],
  ['chatgpt-4o', 'o200k_base'],
  ['gpt-4.1', 'o200k_base'],
  ['gpt-4.5', 'o200k_base'],
  ['gpt-5', 'o200k_base'],
  ['gpt-oss', 'o200k_base'],
  ['o1', 'o200k_base'],
  ['o3', 'o200k_base'],
  ['o4', 'o200k_base'],
  ['gpt-4', 'cl100k_base'],
  ['gpt-3.5', 'cl100k_base'],
  ['gpt-35', 'cl100k_base'],
  ['text-embedding-3', 'cl100k_base'],
  ['text-embedding-ada-002', 'cl100k_base'],
];

/**
 * Which encoding counts tokens for a model: o200k_base for gpt-4o / gpt-4.1 / o-series / gpt-5,
 * cl100k_base for gpt-4 and gpt-3.5, FALLBACK_ENCODING for anything else.
 *
 * @example encodingFor('openai/gpt-4o-mini') // 'o200k_base'
 */
export function encodingFor(model: string): EncodingName {
  const name = normalizeModel(model);
  for (const [prefix, encoding] of MODEL_ENCODINGS) if (name.startsWith(prefix)) return encoding;
  return FALLBACK_ENCODING;
}
