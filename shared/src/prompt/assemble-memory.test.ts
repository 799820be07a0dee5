import { describe, expect, it } from 'vitest';
import { assemblePrompt } from './assemble.ts';
import { countWords, input, lines, NEXTCHAT_SYSTEM, nextChatBody, sys, user, bot } from './test-support.ts';

describe('assemblePrompt: the chat\'s memory', () => {
  it('puts pinned facts last before the chat, as the person wrote them (no macros), labelled for the inspector', () => {
    const result = assemblePrompt(input({
      memory: { facts: ['Ann\'s sister is called {{char}}ine? No: Ilse.', '  ', 'The compass is due back by the winter solstice.'] },
      body: nextChatBody([sys(NEXTCHAT_SYSTEM), user('Hello'), bot('Hi'), user('What do you remember?')]),
    }));
    const all = lines(result);
    const memory = all.findIndex((line) => line.startsWith('system: [What Mira knows from this chat]'));
    expect(all[memory]).toBe("system: [What Mira knows from this chat]\n- Ann's sister is called {{char}}ine? No: Ilse.\n- The compass is due back by the winter solstice.");
    expect(all[memory + 1]).toBe('system: [Start a new Chat]');
    expect(result.parts.find((part) => part.id === 'memory-facts')).toMatchObject({ label: 'Memory: pinned facts', source: 'memory', role: 'system' });
  });

  it('adds nothing without facts, and pinned facts are never dropped to fit: older history goes first', () => {
    const plain = assemblePrompt(input({ memory: { facts: [] } }));
    expect(plain.parts.some((part) => part.source === 'memory')).toBe(false);
    const history = Array.from({ length: 30 }, (_, i) => (i % 2 ? bot(`reply ${i} `.repeat(20)) : user(`question ${i} `.repeat(20))));
    const tight = assemblePrompt(input({
      contextSize: 900,
      countTokens: countWords,
      memory: { facts: ['Ilse keeps bees in Harrowgate.'] },
      body: nextChatBody([...history, user('And now?')]),
    }));
    expect(tight.trimmed.historyDropped).toBeGreaterThan(0);
    expect(tight.parts.some((part) => part.id === 'memory-facts')).toBe(true);
  });
});
