import { describe, expect, it } from 'vitest';
import { chatCompletionsUrl, summaryPrompt, withoutKey } from './model-summary.ts';

describe('chatCompletionsUrl', () => {
  it.each([
    ['https://api.example.com', 'https://api.example.com/v1/chat/completions'],
    ['https://api.example.com/', 'https://api.example.com/v1/chat/completions'],
    ['https://api.example.com/v1', 'https://api.example.com/v1/chat/completions'],
    ['https://api.example.com/v1/', 'https://api.example.com/v1/chat/completions'],
    ['http://127.0.0.1:3000/api/openai/v1/chat/completions', 'http://127.0.0.1:3000/api/openai/v1/chat/completions'],
    ['https://openrouter.ai/api/v1', 'https://openrouter.ai/api/v1/chat/completions'],
  ])('%s -> %s', (address, expected) => {
    expect(chatCompletionsUrl(address)).toBe(expected);
  });
});

describe('summaryPrompt', () => {
  it('asks for a third-person summary that keeps the facts, within the token budget, over a speaker-labelled transcript', () => {
    const [system, user] = summaryPrompt([
      { id: 'a', role: 'user', name: 'Rowan', text: ' Where is the compass? ' },
      { id: 'b', role: 'assistant', name: '', text: 'Aldric has it.' },
    ], 150);
    expect(system!.role).toBe('system');
    for (const words of ['name, number, place, item, promise', 'injury', 'third person', 'at most 150 tokens']) expect(system!.content).toContain(words);
    expect(user!.content).toContain('Rowan: Where is the compass?\n\nassistant: Aldric has it.');
  });
});

describe('withoutKey', () => {
  it('replaces the key, keeps the text on one line and short', () => {
    expect(withoutKey('bad key sk-abcd\nsk-abcd again', 'sk-abcd')).toBe('bad key [key] [key] again');
    expect(withoutKey('x'.repeat(2_000), undefined)).toHaveLength(500);
  });
});
