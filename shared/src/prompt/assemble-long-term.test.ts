import { describe, expect, it } from 'vitest';
import { MessageRecall } from '../memory/index.ts';
import { assemblePrompt } from './assemble.ts';
import type { LongTermPassage } from './assemble-types.ts';
import { LONG_TERM_SHARE } from './limits.ts';
import { countWords, input, lines, NEXTCHAT_SYSTEM, nextChatBody, sys, user, bot } from './test-support.ts';

/** Another chat with the character: chit-chat, one passage that matters, and a summary. */
const PASSAGES: LongTermPassage[] = [
  { id: 'a:s1', role: 'system', text: 'Ann and Mira mapped the northern coast together over three evenings.' },
  ...Array.from({ length: 20 }, (_, i) => ({ id: `a:m${i}`, role: (i % 2 ? 'assistant' : 'user') as LongTermPassage['role'], text: `We talked about the weather and the tides for a while, round ${i}.` })),
  { id: 'a:m20', role: 'user', text: 'My sister Ilse keeps bees in Harrowgate.' },
];

function longTerm(passages = PASSAGES, facts: string[] = []) {
  const recall = new MessageRecall();
  return { facts, passages, recall: recall.scorer(passages) };
}

describe("assemblePrompt: the character's long-term memory (its other chats)", () => {
  it('brings back what the new turn asks about from another chat, in a new chat whose history fits, last before the chat marker', () => {
    const result = assemblePrompt(input({
      memory: { facts: ['The compass is due by the solstice.'], longTerm: longTerm(PASSAGES, ['Ann takes her tea black.']) },
      body: nextChatBody([sys(NEXTCHAT_SYSTEM), user('Where does my sister keep her bees?')]),
    }));
    const all = lines(result);
    const facts = all.findIndex((line) => line.startsWith('system: [What Mira knows from this chat]'));
    expect(all[facts + 1]).toBe('system: [What Mira remembers from other chats]\n- Ann takes her tea black.');
    expect(all[facts + 2]).toBe('system: [From earlier chats with Mira]\nAnn: My sister Ilse keeps bees in Harrowgate.');
    expect(all[facts + 3]).toBe('system: [Start a new Chat]');
    expect(result.memory?.longTerm?.passages.map((p) => p.id)).toEqual(['a:m20']);
    expect(result.memory?.longTerm?.facts).toBeGreaterThan(0);
    expect(result.parts.find((part) => part.id === 'memory-long-term')).toMatchObject({ source: 'memory', label: "Memory: recalled from the character's other chats" });
  });

  it('adds no passage when the turn matches none, and nothing at all without long-term memory', () => {
    const quiet = assemblePrompt(input({ memory: { longTerm: longTerm() }, body: nextChatBody([user('Hello there!')]) }));
    expect(quiet.parts.some((part) => part.id === 'memory-long-term')).toBe(false);
    expect(quiet.memory?.longTerm).toEqual({ facts: 0, passages: [] });
    const without = assemblePrompt(input({ memory: { facts: [] }, body: nextChatBody([user('Where does my sister keep her bees?')]) }));
    expect(without.memory?.longTerm).toBeUndefined();
  });

  it(`keeps the passages within ${LONG_TERM_SHARE * 100}% of the memory budget after the facts, and the chat's own history fits beside them`, () => {
    const many: LongTermPassage[] = Array.from({ length: 200 }, (_, i) => ({ id: `b:m${i}`, role: 'user', text: `Ilse and her bees in Harrowgate, story number ${i}, told again with more words about hives and honey.` }));
    const history = Array.from({ length: 40 }, (_, i) => (i % 2 ? bot(`reply ${i} `.repeat(10)) : user(`question ${i} `.repeat(10))));
    const contextSize = 4_000;
    const result = assemblePrompt(input({
      contextSize,
      countTokens: countWords,
      memory: { share: 0.15, longTerm: longTerm(many) },
      body: nextChatBody([...history, user('Tell me about Ilse and the bees in Harrowgate.')]),
    }));
    const part = result.parts.find((p) => p.id === 'memory-long-term');
    expect(part).toBeDefined();
    expect(part!.tokens).toBeLessThanOrEqual(Math.floor(LONG_TERM_SHARE * 0.15 * result.fit.available));
    expect(result.fit.fits).toBe(true);
    expect(result.memory!.used).toBeGreaterThanOrEqual(part!.tokens);
  });

  it('a recall that throws costs only the passages', () => {
    const result = assemblePrompt(input({
      memory: { longTerm: { passages: PASSAGES, recall: () => { throw new Error('index broken'); } } },
      body: nextChatBody([user('Where does my sister keep her bees?')]),
    }));
    expect(result.parts.some((part) => part.id === 'memory-long-term')).toBe(false);
    expect(lines(result).at(-1)).toBe('user: Where does my sister keep her bees?');
  });
});
