import { describe, expect, it } from 'vitest';
import { applyCharacter } from './apply-character.ts';
import { characterPromptMessages } from './character-prompt.ts';
import { messageText, type ChatCompletionBody } from './types.ts';

const body: ChatCompletionBody = {
  messages: [
    { role: 'system', content: '\nYou are ChatGPT, a large language model trained by OpenAI.' },
    { role: 'user', content: 'Earlier question' },
    { role: 'assistant', content: 'Earlier answer' },
    { role: 'user', content: [{ type: 'text', text: 'Hello' }, { type: 'image_url', image_url: { url: 'data:x' } }] },
  ],
  stream: true,
  model: 'gpt-4o-mini',
  temperature: 0.5,
  max_tokens: 4000,
};

describe('characterPromptMessages', () => {
  it('fills char and user into the main prompt and adds the description', () => {
    expect(characterPromptMessages({ name: 'Mira', description: '{{char}} is a cartographer who teases {{user}}.' }, 'Ann')).toEqual([
      { role: 'system', content: "Write Mira's next reply in a fictional chat between Mira and Ann." },
      { role: 'system', content: 'Mira is a cartographer who teases Ann.' },
    ]);
  });

  it('leaves out an empty description instead of sending a blank message', () => {
    expect(characterPromptMessages({ name: 'Mira', description: '   ' })).toHaveLength(1);
  });
});

describe('applyCharacter', () => {
  it('puts the character first, drops the host prefix and keeps history, the user message and every other key', () => {
    const out = applyCharacter({ body, character: { name: 'Mira', description: 'A cartographer.' }, hostSystemPrefix: 1 });
    expect(out.messages.map((m) => m.role)).toEqual(['system', 'system', 'user', 'assistant', 'user']);
    expect(messageText(out.messages[0]!)).toContain("Mira's next reply");
    expect(out.messages.at(-1)).toBe(body.messages[3]);
    const { messages: _a, ...restOut } = out;
    const { messages: _b, ...restIn } = body;
    expect(restOut).toEqual(restIn);
  });

  it('keeps every message when the host injected nothing', () => {
    const out = applyCharacter({ body, character: { name: 'Mira', description: '' }, hostSystemPrefix: 0 });
    expect(out.messages.slice(1)).toEqual(body.messages);
  });

  it('does not mutate the input body', () => {
    const copy = JSON.parse(JSON.stringify(body)) as typeof body;
    applyCharacter({ body, character: { name: 'Mira', description: 'x' }, hostSystemPrefix: 1 });
    expect(body).toEqual(copy);
  });
});
