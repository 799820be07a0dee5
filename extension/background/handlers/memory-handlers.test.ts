// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { testDbs } from '../db/test-db.ts';
import { messagesHash } from '@troupe/shared/memory';
import { memoryHandlers } from './memory-handlers.ts';
import { readMemory, storeSummary } from '../memory/memory-store.ts';

const freshDb = testDbs('memory-handlers');
const CHAT = 'o#s1';

describe('memory handlers', () => {
  it('answer every change with the chat\'s memory, each fact with its cost for the chat\'s model', async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
    const asked: Array<[string, string[]]> = [];
    const handlers = memoryHandlers(db, async (chatKey, texts) => { asked.push([chatKey, texts]); return texts.map((t) => t.split(' ').length); }, { schedule: () => {} });
    expect(await handlers['memory.get']({ chatKey: CHAT })).toEqual({ format: 1, chatKey: CHAT, facts: [], summaries: [], messages: 0 });
    const added = await handlers['memory.facts.add']({ chatKey: CHAT, text: 'Ilse keeps bees.' });
    expect(added.facts).toEqual([{ id: expect.any(String), text: 'Ilse keeps bees.', tokens: 3, at: expect.any(Number) }]);
    const id = added.facts[0]!.id;
    expect((await handlers['memory.facts.update']({ chatKey: CHAT, id, text: 'Ilse keeps bees in Harrowgate.' })).facts[0]).toMatchObject({ id, tokens: 5 });
    expect((await handlers['memory.facts.remove']({ chatKey: CHAT, id })).facts).toEqual([]);
    expect(asked.at(-2)).toEqual([CHAT, ['Ilse keeps bees in Harrowgate.']]);
  });

  it('still answer when the costs cannot be counted (null costs)', async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
    const handlers = memoryHandlers(db, async () => { throw new Error('no tokenizer'); }, { schedule: () => {} });
    expect((await handlers['memory.facts.add']({ chatKey: CHAT, text: 'A fact.' })).facts[0]).toMatchObject({ text: 'A fact.', tokens: null });
  });
  it('keep the chat\'s transcript in step with NextChat\'s and plan summaries only when it changed', async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
    const scheduled: string[] = [];
    const handlers = memoryHandlers(db, async (_k, texts) => texts.map(() => 1), { schedule: (chatKey) => scheduled.push(chatKey) });
    const messages = [{ id: 'm1', role: 'user' as const, text: 'Hello' }, { id: 'm2', role: 'assistant' as const, text: 'Ahoy' }];
    expect(await handlers['memory.transcript']({ chatKey: CHAT, messages })).toBeNull();
    await handlers['memory.transcript']({ chatKey: CHAT, messages });
    expect(scheduled).toEqual([CHAT]);
    await handlers['memory.transcript']({ chatKey: CHAT, messages: [{ ...messages[0]!, text: 'Hello there' }] });
    expect(scheduled).toEqual([CHAT, CHAT]);
    expect((await readMemory(db, CHAT)).messages).toEqual([{ id: 'm1', role: 'user', text: 'Hello there' }]);
  });
  it('show the summaries that describe the chat now, and let the person correct one or have it made again', async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
    const scheduled: string[] = [];
    const handlers = memoryHandlers(db, async (_k, texts) => texts.map((t) => t.split(' ').length), { schedule: (chatKey) => scheduled.push(chatKey) });
    const messages = Array.from({ length: 4 }, (_, i) => ({ id: `m${i}`, role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', text: `message ${i}` }));
    await handlers['memory.transcript']({ chatKey: CHAT, messages });
    await storeSummary(db, CHAT, { id: 's0-x', level: 0, covers: ['m0', 'm1'], coverHash: messagesHash(messages.slice(0, 2)), text: 'They met.', tokens: 2, source: 'local', at: 5 });
    const view = await handlers['memory.get']({ chatKey: CHAT });
    expect(view.messages).toBe(4);
    expect(view.summaries).toEqual([{ id: 's0-x', level: 0, text: 'They met.', tokens: 2, source: 'local', messages: 2, at: 5 }]);
    const edited = await handlers['memory.summaries.update']({ chatKey: CHAT, id: 's0-x', text: 'Ann and Mira met at the inn.' });
    expect(edited.summaries[0]).toMatchObject({ text: 'Ann and Mira met at the inn.', tokens: 7, source: 'user-edited' });
    expect((await handlers['memory.summaries.redo']({ chatKey: CHAT, id: 's0-x' })).summaries).toEqual([]);
    expect(scheduled.filter((k) => k === CHAT).length).toBeGreaterThanOrEqual(3);
    await expect(handlers['memory.summaries.update']({ chatKey: CHAT, id: 's0-x', text: 'x' })).rejects.toMatchObject({ code: 'memory/summary-not-found' });
  });
});
