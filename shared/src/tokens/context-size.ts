import { DEFAULT_CONTEXT_SIZE } from './limits.ts';
import { normalizeModel } from './model-name.ts';

/**
 * Context windows (input + output tokens) by model-name prefix, from the vendors' model pages. The first
 * matching prefix wins, so specific names come before their families.
 */
export const MODEL_CONTEXT_SIZES: readonly (readonly [prefix: string, tokens: number])[] = [
  ['gpt-5-chat', 128_000],
  ['gpt-5', 400_000],
  ['gpt-4.1', 1_047_576],
  ['gpt-4.5', 128_000],
  ['gpt-4o', 128_000],
  ['chatgpt-4o', 128_000],
  ['gpt-4-turbo', 128_000],
  ['gpt-4-1106', 128_000],
  ['gpt-4-0125', 128_000],
  ['gpt-4-32k', 32_768],
  ['gpt-4', 8_192],
  ['gpt-3.5-turbo-instruct', 4_096],
  ['gpt-3.5-turbo', 16_385],
  ['gpt-oss', 131_072],
  ['o1-mini', 128_000],
  ['o1-preview', 128_000],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4-mini', 200_000],
  ['claude', 200_000],
  ['gemini-1.5-pro', 2_097_152],
  ['gemini-1.5-flash', 1_048_576],
  ['gemini-2', 1_048_576],
  ['deepseek', 128_000],
  ['llama-3.1', 131_072],
  ['llama-3.2', 131_072],
  ['llama-3.3', 131_072],
  ['llama3', 8_192],
  ['llama-3', 8_192],
  ['mistral-large', 128_000],
];

/**
 * The context size to assume for a model when the user has not set one: the table's first matching
 * prefix, else DEFAULT_CONTEXT_SIZE.
 *
 * @example contextSizeFor('gpt-4o-mini') // 128000
 */
export function contextSizeFor(model: string): number {
  const name = normalizeModel(model);
  for (const [prefix, tokens] of MODEL_CONTEXT_SIZES) if (name.startsWith(prefix)) return tokens;
  return DEFAULT_CONTEXT_SIZE;
}
