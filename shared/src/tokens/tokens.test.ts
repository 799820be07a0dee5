import { describe, expect, it } from 'vitest';
import { contextSizeFor } from './context-size.ts';
import { encodingFor } from './encoding.ts';
import { DEFAULT_CONTEXT_SIZE, IMAGE_PART_TOKENS, LOW_DETAIL_IMAGE_TOKENS } from './limits.ts';
import { normalizeModel } from './model-name.ts';
import { countChatTokens, countTokens, loadedTokenizerFor, tokenizerFor, type TokenChatMessage } from './tokenizer.ts';

describe('encodingFor', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini', 'o200k_base'],
    ['chatgpt-4o-latest', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['o1-mini', 'o200k_base'],
    ['o3', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['openai/gpt-4o', 'o200k_base'],
    ['gpt-3.5-turbo@OpenAI', 'cl100k_base'],
    ['GPT-4O', 'o200k_base'],
    ['claude-3-5-sonnet', 'o200k_base'],
    ['some-local-model', 'o200k_base'],
  ])('%s -> %s', (model, encoding) => {
    expect(encodingFor(model)).toBe(encoding);
  });
});

describe('normalizeModel', () => {
  it.each([
    ['  GPT-4o ', 'gpt-4o'],
    ['openai/gpt-4o', 'gpt-4o'],
    ['anthropic/claude-3-opus@OpenRouter', 'claude-3-opus'],
  ])('%s -> %s', (model, expected) => {
    expect(normalizeModel(model)).toBe(expected);
  });
});

describe('contextSizeFor', () => {
  it.each([
    ['gpt-4o-mini', 128_000],
    ['gpt-4.1', 1_047_576],
    ['gpt-4', 8_192],
    ['gpt-4-32k', 32_768],
    ['gpt-4-turbo-2024-04-09', 128_000],
    ['gpt-3.5-turbo', 16_385],
    ['gpt-3.5-turbo-instruct', 4_096],
    ['o1-mini', 128_000],
    ['o3-mini', 200_000],
    ['gpt-5-mini', 400_000],
    ['claude-3-5-sonnet-20241022', 200_000],
    ['google/gemini-1.5-pro', 2_097_152],
    ['unknown-model', DEFAULT_CONTEXT_SIZE],
  ])('%s -> %i', (model, size) => {
    expect(contextSizeFor(model)).toBe(size);
  });
});

describe('countTokens (real BPE)', () => {
  // Counts tiktoken gives for these encodings (the cl100k ones are the examples in OpenAI's cookbook).
  it.each([
    ['Hello, world!', 'gpt-4o', 4],
    ['Hello, world!', 'gpt-4', 4],
    ['tiktoken is great!', 'gpt-3.5-turbo', 6],
    ['tiktoken is great!', 'gpt-4o', 6],
    ['antidisestablishmentarianism', 'gpt-4', 6],
    ['', 'gpt-4o', 0],
  ])('%j with %s is %i tokens', async (text, model, expected) => {
    expect(await countTokens(text, model)).toBe(expected);
  });

  it('counts text that looks like a special token instead of throwing', async () => {
    await expect(countTokens('hi <|endoftext|> there', 'gpt-4o')).resolves.toBe(9);
  });

  it('loads each encoding once and shares it between models', async () => {
    const [a, b] = await Promise.all([tokenizerFor('gpt-4o'), tokenizerFor('o3-mini')]);
    expect(a).toBe(b);
    expect(loadedTokenizerFor('gpt-5')).toBe(a);
    expect((await tokenizerFor('gpt-4')).encoding).toBe('cl100k_base');
  });
});

describe('countChatTokens', () => {
  // The OpenAI cookbook's example conversation: 129 prompt tokens for gpt-3.5-turbo / gpt-4, 124 for gpt-4o,
  // as reported by the API itself.
  const cookbook: TokenChatMessage[] = [
    { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
    { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
    { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
    { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
    { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
    { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
  ];

  it.each([
    ['gpt-3.5-turbo', 129],
    ['gpt-4', 129],
    ['gpt-4o', 124],
    ['gpt-4o-mini', 124],
  ])('the cookbook example costs %s %i tokens', async (model, expected) => {
    expect(await countChatTokens(cookbook, model)).toBe(expected);
  });

  it('counts text parts and charges a fixed cost per image', async () => {
    const text = await countChatTokens([{ role: 'user', content: 'Hello, world!' }], 'gpt-4o');
    const parts = await countChatTokens(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hello, world!' },
            { type: 'image_url', image_url: { url: 'data:,' } },
            { type: 'image_url', image_url: { url: 'data:,', detail: 'low' } },
          ],
        },
      ],
      'gpt-4o',
    );
    expect(parts - text).toBe(IMAGE_PART_TOKENS + LOW_DETAIL_IMAGE_TOKENS);
  });

  it('an empty conversation still costs the reply priming', async () => {
    expect(await countChatTokens([], 'gpt-4o')).toBe(3);
  });
});
