import { describe, expect, it } from 'vitest';
import { gatherLongTerm, type LongTermSource } from './long-term.ts';
import { LONG_TERM_MAX_CHATS, LONG_TERM_MAX_FACTS, LONG_TERM_MAX_PASSAGES, LONG_TERM_MESSAGES_PER_CHAT } from './limits.ts';
import { contentHash } from './transcript.ts';

const chat = (key: string, messages: number, facts: string[] = [], summaries: LongTermSource['summaries'] = []): LongTermSource => ({
  chatKey: `http://nc#${key}`,
  messages: Array.from({ length: messages }, (_, i) => ({ id: `${key}${i}`, role: i % 2 ? 'assistant' : 'user', text: `${key} message ${i}` })),
  summaries,
  facts: facts.map((text, i) => ({ id: `${key}f${i}`, text, at: i })),
});

describe("gatherLongTerm: what a character kept from its other chats", () => {
  it("takes their facts newest first, each once, none this chat already has, up to the cap", () => {
    const memory = gatherLongTerm([chat('b', 0, ['Ann takes her tea black.', 'The  compass is DUE by the solstice.']), chat('a', 0, ['Ann takes her tea black.', 'Ilse keeps bees.'])], ['The compass is due by the solstice.']);
    expect(memory.facts).toEqual(['Ann takes her tea black.', 'Ilse keeps bees.']);
    const many = gatherLongTerm([chat('c', 0, Array.from({ length: LONG_TERM_MAX_FACTS + 10 }, (_, i) => `Fact ${i}`))], []);
    expect(many.facts).toHaveLength(LONG_TERM_MAX_FACTS);
  });

  it('gives their current summaries and newest messages as passages, oldest chat first, ids kept apart by chat', () => {
    const summary = { id: 's1', level: 1, covers: ['a0', 'a1'], coverHash: '', text: 'They met.', tokens: 3, source: 'local' as const, at: 1 };
    const memory = gatherLongTerm([chat('b', 2), chat('a', 3, [], [summary])], []);
    const a = contentHash('http://nc#a');
    const b = contentHash('http://nc#b');
    // The summary is stale (its cover hash does not match) and so left out; messages in order.
    expect(memory.passages.map((p) => p.id)).toEqual([`${a}:a0`, `${a}:a1`, `${a}:a2`, `${b}:b0`, `${b}:b1`]);
    expect(memory.passages[0]).toEqual({ id: `${a}:a0`, role: 'user', text: 'a message 0' });
  });

  it('keeps each chat to its newest messages, reads at most the newest chats, and caps all passages', () => {
    const long = gatherLongTerm([chat('a', LONG_TERM_MESSAGES_PER_CHAT + 50)], []);
    expect(long.passages).toHaveLength(LONG_TERM_MESSAGES_PER_CHAT);
    expect(long.passages[0]!.text).toBe('a message 50');
    const chats = Array.from({ length: LONG_TERM_MAX_CHATS + 3 }, (_, i) => chat(`c${i}-`, 1));
    expect(gatherLongTerm(chats, []).passages).toHaveLength(LONG_TERM_MAX_CHATS);
    const big = Array.from({ length: 10 }, (_, i) => chat(`d${i}-`, LONG_TERM_MESSAGES_PER_CHAT));
    const capped = gatherLongTerm(big, []);
    expect(capped.passages).toHaveLength(LONG_TERM_MAX_PASSAGES);
    // The newest chat (first given) is whole; the oldest ones gave way.
    expect(capped.passages.at(-1)!.text).toBe(`d0- message ${LONG_TERM_MESSAGES_PER_CHAT - 1}`);
  });
});
