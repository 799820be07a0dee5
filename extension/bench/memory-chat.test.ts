import { describe, expect, it } from 'vitest';
import { terms } from '@troupe/shared/memory';
import { CHAT_MESSAGES, FACTS, generateMemoryChat, hasWord } from './memory-chat.ts';

const chat = generateMemoryChat();

describe('the memory bench chat', () => {
  it('is 500 alternating messages, the same for the same seed', () => {
    expect(chat.messages).toHaveLength(CHAT_MESSAGES);
    chat.messages.forEach((m, i) => expect(m.role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
    expect(new Set(chat.messages.map((m) => m.id)).size).toBe(CHAT_MESSAGES);
    expect(generateMemoryChat()).toEqual(chat);
    expect(generateMemoryChat(12).messages[0]!.text).not.toBe(chat.messages[0]!.text);
  });

  it('comes in other lengths (2,000 messages for the Chromium bench): alternating, ids unique and in order, facts spread over all of it', () => {
    const long = generateMemoryChat(11, 2_000);
    expect(long.messages).toHaveLength(2_000);
    long.messages.forEach((m, i) => expect(m.role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
    const ids = long.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(2_000);
    expect([...ids].sort()).toEqual(ids);
    for (const fact of long.facts) expect(long.messages[fact.at]!.text).toContain(fact.sentence);
    expect(Math.max(...long.facts.map((f) => f.at))).toBeGreaterThan(1_900);
    expect(long.messages[0]!.id).toBe('m0000');
  });

  it('has messages of chat length (about 40-90 tokens: 30 to 80 words)', () => {
    for (const m of chat.messages) {
      const words = m.text.split(/\s+/).length;
      expect(words).toBeGreaterThanOrEqual(30);
      expect(words).toBeLessThanOrEqual(80);
    }
  });

  it('says each of the 50 facts at its message, by its speaker, spread over the whole chat', () => {
    expect(chat.facts).toHaveLength(50);
    expect(new Set(chat.facts.map((f) => f.at)).size).toBe(50);
    for (const fact of chat.facts) {
      const message = chat.messages[fact.at]!;
      expect(message.text).toContain(fact.sentence);
      expect(message.role).toBe(fact.speaker);
    }
    const at = chat.facts.map((f) => f.at);
    expect(Math.min(...at)).toBeLessThan(20);
    expect(Math.max(...at)).toBeGreaterThan(470);
    // Every 100 messages hold about ten facts, and each kind is in both halves.
    for (let start = 0; start < CHAT_MESSAGES; start += 100) expect(at.filter((a) => a >= start && a < start + 100).length).toBeGreaterThanOrEqual(9);
    for (const kind of ['name', 'promise', 'place', 'item', 'injury']) {
      const ofKind = chat.facts.filter((f) => f.kind === kind).map((f) => f.at);
      expect(ofKind).toHaveLength(10);
      expect(Math.min(...ofKind)).toBeLessThan(250);
      expect(Math.max(...ofKind)).toBeGreaterThan(250);
    }
  });

  it('asks for each fact with a question sharing 1 to 3 content words with it, never its answer', () => {
    for (const fact of FACTS) {
      const asked = new Set(terms(fact.question));
      const shared = new Set(terms(fact.sentence).filter((t) => asked.has(t)));
      expect(shared.size, `${fact.id}: ${[...shared].join(', ')}`).toBeGreaterThanOrEqual(1);
      expect(shared.size, `${fact.id}: ${[...shared].join(', ')}`).toBeLessThanOrEqual(3);
      expect(fact.question).not.toContain(fact.sentence);
      for (const key of fact.keys) expect(hasWord(fact.sentence, key), `${fact.id}: ${key}`).toBe(true);
      const answers = fact.keys.filter((key) => !hasWord(fact.question, key));
      expect(answers.length, fact.id).toBeGreaterThanOrEqual(1);
    }
  });

  it('says each fact\'s answer words nowhere else, so finding them in a prompt means finding the fact', () => {
    for (const fact of chat.facts) {
      for (const key of fact.keys.filter((k) => !hasWord(fact.question, k))) {
        const saying = chat.messages.flatMap((m, i) => (hasWord(m.text, key) ? [i] : []));
        expect(saying, `${fact.id}: ${key}`).toEqual([fact.at]);
        for (const other of FACTS) if (other.id !== fact.id) expect(hasWord(other.question, key), `${other.id} asks ${key}`).toBe(false);
      }
    }
  });
});
