// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { testDbs } from '../db/test-db.ts';
import { messagesHash } from '@troupe/shared/memory';
import { memoryHandlers } from './memory-handlers.ts';
import { readMemory, storeSummary } from '../memory/memory-store.ts';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach } from 'vitest';
import { ChatModelSession, chatModelsItem } from '../memory/chat-model-session.ts';
import { chatSummaryWriter } from '../memory/chat-summary-writer.ts';
import type { SummaryEndpoint } from '../../messaging/protocols/offscreen-protocol.ts';
import { CONTENT_SCRIPT_TYPES } from '../../messaging/runtime-protocol.ts';
import { MEMORY_VIEW_FORMAT } from '../../messaging/protocols/memory-protocol.ts';
import { MEMORY_PREVIEW_CHARS, MEMORY_RECENT_MESSAGES } from '../../messaging/limits/memory.ts';
import { MAX_FACT_CHARS } from '@troupe/shared/docs';
import { Library } from '../library/library.ts';

const freshDb = testDbs('memory-handlers');
const CHAT = 'o#s1';
/** Writers that say nothing and keep nothing, for the tests about the rest. */
const quiet = { view: async () => ({ by: 'local' as const, text: 'New summaries are written by the local summariser.' }), remember: async () => {} };

afterEach(() => { fakeBrowser.reset(); });

describe('memory handlers', () => {
  it('answer every change with the chat\'s memory, each fact with its cost for the chat\'s model', async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
    const asked: Array<[string, string[]]> = [];
    const handlers = memoryHandlers(db, async (chatKey, texts) => { asked.push([chatKey, texts]); return texts.map((t) => t.split(' ').length); }, { schedule: () => {} }, quiet);
    expect(await handlers['memory.get']({ chatKey: CHAT })).toEqual({
      format: MEMORY_VIEW_FORMAT, chatKey: CHAT, facts: [], summaries: [], messages: 0, summariser: { by: 'local', text: 'New summaries are written by the local summariser.' },
      longTerm: { on: false, otherChats: 0 }, recent: [],
    });
    const added = await handlers['memory.facts.add']({ chatKey: CHAT, text: 'Ilse keeps bees.' });
    expect(added.facts).toEqual([{ id: expect.any(String), text: 'Ilse keeps bees.', tokens: 3, at: expect.any(Number) }]);
    const id = added.facts[0]!.id;
    expect((await handlers['memory.facts.update']({ chatKey: CHAT, id, text: 'Ilse keeps bees in Harrowgate.' })).facts[0]).toMatchObject({ id, tokens: 5 });
    expect((await handlers['memory.facts.remove']({ chatKey: CHAT, id })).facts).toEqual([]);
    expect(asked.at(-2)).toEqual([CHAT, ['Ilse keeps bees in Harrowgate.']]);
  });

  it("offer the chat's newest messages to pin, pin one whole (once), and refuse one too long for a fact", async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
    const handlers = memoryHandlers(db, async (_k, texts) => texts.map(() => 1), { schedule: () => {} }, quiet);
    const long = 'word '.repeat(MAX_FACT_CHARS / 4);
    const messages = Array.from({ length: MEMORY_RECENT_MESSAGES + 3 }, (_, i) => ({ id: `m${i}`, role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', text: i === 1 ? long : `message  ${i}\nwith a second line` }));
    await handlers['memory.transcript']({ chatKey: CHAT, messages });
    const view = await handlers['memory.get']({ chatKey: CHAT });
    expect(view.recent.map((m) => m.id)).toEqual(messages.slice(-MEMORY_RECENT_MESSAGES).map((m) => m.id));
    expect(view.recent.at(-1)).toEqual({ id: `m${messages.length - 1}`, role: 'user', preview: `message ${messages.length - 1} with a second line`, pinned: false });
    const pinned = await handlers['memory.facts.promote']({ chatKey: CHAT, messageId: 'm4' });
    expect(pinned.facts).toEqual([{ id: expect.any(String), text: 'message  4\nwith a second line', tokens: 1, at: expect.any(Number) }]);
    expect(pinned.recent.find((m) => m.id === 'm4')?.pinned).toBe(true);
    await expect(handlers['memory.facts.promote']({ chatKey: CHAT, messageId: 'm4' })).rejects.toMatchObject({ code: 'memory/already-pinned' });
    await expect(handlers['memory.facts.promote']({ chatKey: CHAT, messageId: 'gone' })).rejects.toMatchObject({ code: 'memory/message-not-found' });
    await expect(handlers['memory.facts.promote']({ chatKey: CHAT, messageId: 'm1' })).rejects.toMatchObject({ code: 'memory/message-too-long' });
    expect((await handlers['memory.get']({ chatKey: CHAT })).recent.every((m) => m.preview.length <= MEMORY_PREVIEW_CHARS)).toBe(true);
    expect(CONTENT_SCRIPT_TYPES.has('memory.facts.promote')).toBe(true);
  });

  it("turn the chat's character's long-term memory on and off, and count its other chats here", async () => {
    const db = freshDb();
    const library = new Library(db, { images: null, now: () => Date.now(), maintain: false });
    const mira = await library.createCharacter({ name: 'Mira', description: 'A cartographer', avatar: null });
    await db.chats.bulkPut([CHAT, 'o#s2', 'o#s3'].map((chatKey) => ({ chatKey, characterId: mira.id, updatedAt: 1 })));
    const handlers = memoryHandlers(db, async (_k, texts) => texts.map(() => 1), { schedule: () => {} }, quiet);
    for (const chatKey of ['o#s2', 'o#s3']) await handlers['memory.facts.add']({ chatKey, text: 'A fact.' });
    expect((await handlers['memory.get']({ chatKey: CHAT })).longTerm).toEqual({ on: false, otherChats: 2 });
    expect((await handlers['memory.longTerm.set']({ chatKey: CHAT, on: true })).longTerm).toEqual({ on: true, otherChats: 2 });
    expect(await library.characterOptions(mira.id)).toEqual({ longTermMemory: true });
    expect((await handlers['memory.get']({ chatKey: 'o#s2' })).longTerm).toEqual({ on: true, otherChats: 1 });
    expect((await handlers['memory.longTerm.set']({ chatKey: CHAT, on: false })).longTerm.on).toBe(false);
    await expect(handlers['memory.longTerm.set']({ chatKey: 'o#none', on: true })).rejects.toMatchObject({ code: 'memory/no-character' });
    library.dispose();
  });

  it('still answer when the costs cannot be counted (null costs)', async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
    const handlers = memoryHandlers(db, async () => { throw new Error('no tokenizer'); }, { schedule: () => {} }, quiet);
    expect((await handlers['memory.facts.add']({ chatKey: CHAT, text: 'A fact.' })).facts[0]).toMatchObject({ text: 'A fact.', tokens: null });
  });
  it('keep the chat\'s transcript in step with NextChat\'s and plan summaries only when it changed', async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
    const scheduled: string[] = [];
    const handlers = memoryHandlers(db, async (_k, texts) => texts.map(() => 1), { schedule: (chatKey) => scheduled.push(chatKey) }, quiet);
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
    const handlers = memoryHandlers(db, async (_k, texts) => texts.map((t) => t.split(' ').length), { schedule: (chatKey) => scheduled.push(chatKey) }, quiet);
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

  it('keep the chat\'s own endpoint from the page\'s report and say who writes its summaries, never answering its key back', async () => {
    const db = freshDb();
    const chatKey = 'http://127.0.0.1:3000#s1';
    const KEY = 'nk-access-code-7f3a91';
    await db.chats.put({ chatKey, characterId: 'c1', updatedAt: 1 });
    let summaryModel: SummaryEndpoint | null = null;
    const session = new ChatModelSession(() => 42);
    const writers = chatSummaryWriter({ endpoint: async () => summaryModel, useChatModel: async () => true }, session);
    const handlers = memoryHandlers(db, async (_k, texts) => texts.map(() => 1), { schedule: () => {} }, writers);
    expect((await handlers['memory.get']({ chatKey })).summariser).toEqual({ by: 'local', text: expect.stringContaining('has not seen this chat\'s model') });

    const url = 'http://127.0.0.1:3000/api/openai/v1/chat/completions';
    expect(await handlers['memory.chatEndpoint']({ chatKey, url, model: 'gpt-4o-mini', credential: KEY })).toBeNull();
    expect(await writers.writer(chatKey)).toEqual({ by: 'chat-model', endpoint: { url, model: 'gpt-4o-mini', apiKey: KEY }, reason: null });
    // Kept in storage.session only, for a restarted service worker; never storage.local.
    expect((await chatModelsItem.getValue())?.endpoints[chatKey]).toEqual({ url, model: 'gpt-4o-mini', provider: 'openai', credential: KEY, at: 42 });
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(KEY);
    expect(await new ChatModelSession().endpoint(chatKey)).toMatchObject({ credential: KEY });

    // A failed summary by the chat's model: its reason is shown, the key never (even one the worker missed).
    await writers.outcome(chatKey, { by: 'chat-model', source: 'local', reason: `The model answered 401: bad token Bearer ${KEY}`, at: 43 });
    const view = await handlers['memory.get']({ chatKey });
    expect(view.summariser).toEqual({
      by: 'chat-model',
      text: 'New summaries are written by this chat\'s own model, gpt-4o-mini at 127.0.0.1:3000, with the key or access code NextChat sent. The last summary was written by the local summariser instead: The model answered 401: bad token Bearer [key].',
    });
    for (const answer of [view, await handlers['memory.facts.add']({ chatKey, text: 'A fact.' }), await handlers['memory.summaries.redo']({ chatKey })]) {
      expect(JSON.stringify(answer)).not.toContain(KEY);
    }

    // The options page's model comes first; then the chat's model; an Anthropic chat is summarised locally, with the reason.
    summaryModel = { url: 'https://llm.example/v1', model: 'summary-mini', apiKey: 'sk-options-key' };
    expect((await writers.writer(chatKey)).by).toBe('summary-model');
    expect(JSON.stringify(await handlers['memory.get']({ chatKey }))).not.toContain('sk-options-key');
    summaryModel = null;
    await handlers['memory.chatEndpoint']({ chatKey, url: 'http://127.0.0.1:3000/api/anthropic/v1/messages', model: 'claude-3-5-haiku', credential: 'sk-ant-secret' });
    expect(await session.endpoint(chatKey)).toMatchObject({ provider: 'anthropic', credential: null });
    expect((await handlers['memory.get']({ chatKey })).summariser?.text).toContain('this chat\'s model is on Anthropic (Claude), whose requests Troupe cannot reuse for summaries');
    // A report for an address that is no chat request changes nothing.
    await handlers['memory.chatEndpoint']({ chatKey, url: 'http://127.0.0.1:3000/api/config', model: 'm', credential: KEY });
    expect(await session.endpoint(chatKey)).toMatchObject({ provider: 'anthropic' });
    expect(CONTENT_SCRIPT_TYPES.has('memory.chatEndpoint')).toBe(true);
  });

  it('keep no chat\'s credential while the chat\'s own model is turned off, and drop the kept ones when it is', async () => {
    const chatKey = 'http://127.0.0.1:3000#s1';
    const report = { chatKey, url: 'http://127.0.0.1:3000/api/openai/v1/chat/completions', model: 'gpt-4o-mini', credential: 'nk-code-off' };
    let on = true;
    const session = new ChatModelSession();
    const writers = chatSummaryWriter({ endpoint: async () => null, useChatModel: async () => on }, session);
    await writers.remember(report);
    expect(await session.endpoint(chatKey)).toMatchObject({ credential: 'nk-code-off' });
    on = false;
    await writers.forget();
    expect(await session.endpoint(chatKey)).toBeNull();
    await writers.remember(report);
    expect(await session.endpoint(chatKey)).toBeNull();
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).not.toContain('nk-code-off');
    expect(await writers.writer(chatKey)).toEqual({ by: 'local', endpoint: null, reason: expect.stringContaining('turned off') });
  });
});
