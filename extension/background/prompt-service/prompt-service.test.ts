import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROMPT_STATE_WRITE_DELAY_MS } from '../../messaging/limits/prompt.ts';
import type { Lorebook } from '@troupe/shared/cards';
import { PROMPT_KIT_FORMAT } from '@troupe/shared/prompt';
import { PromptService } from './prompt-service.ts';
import { body, card, NEXTCHAT_SYSTEM, openaiRequest, setup, world } from './test-support.ts';
import { DEFAULT_CHAT_SETTINGS, type ChatSettingsV1 } from '../../messaging/chat-settings.ts';
import { DEFAULT_PROMPT_SETTINGS, type PromptSettings } from '../../messaging/prompt-settings.ts';

describe('PromptService', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); });
  afterEach(() => { vi.useRealTimers(); });

  it('builds the card, its book and the linked world into the request and reports why lore fired', async () => {
    const { service, saved } = setup();
    const out = await service.build('o#s1', body('Is the lighthouse near the tide pools?'));
    const sent = JSON.parse(out.body!);
    const text = JSON.stringify(sent.messages);
    expect(text).not.toContain('You are ChatGPT');
    expect(text).toContain('Mira draws maps for User.');
    expect(text).toContain('The lighthouse has been dark for a year.');
    expect(text).toContain('Tides come twice a day.');
    expect(text).not.toContain('Towers lean east');
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: 'Is the lighthouse near the tide pools?' });
    expect(sent).toMatchObject({ stream: true, model: 'gpt-4o-mini', max_tokens: 4000 });
    expect(out.characterId).toBe('c1');
    expect(out.report!.lore.entries.map((e) => e.why).sort()).toEqual(['key "lighthouse"', 'key "tide"']);
    expect(out.report!.fit.fits).toBe(true);
    expect(out.report!.parts.every((p) => p.tokens > 0)).toBe(true);
    expect(service.lastReport('o#s1')).toEqual(out.report);
    // Written behind the request, not while it is in flight.
    expect(saved).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(PROMPT_STATE_WRITE_DELAY_MS);
    expect(saved).toHaveLength(1);
  });

  it('persists macro variables set by lore between requests, once per burst of requests', async () => {
    const { service, saved } = setup();
    await service.build('o#s1', body('Look at that tower!'));
    await service.build('o#s1', body('And the town?'));
    await vi.advanceTimersByTimeAsync(PROMPT_STATE_WRITE_DELAY_MS);
    expect(saved).toHaveLength(1);
    expect(saved.at(-1)!.variables).toEqual({ seen: 'tower' });
  });

  it('leaves requests alone when no character is active or the body is not a chat turn', async () => {
    const { service } = setup({ readChat: async () => ({ characterId: null, promptState: null }) });
    expect((await service.build('o#s1', body('hi'))).body).toBeNull();
    const other = setup();
    expect((await other.service.build('o#s1', openaiRequest(JSON.stringify({ messages: [{ role: 'user', content: 'x' }], stream: false })))).body).toBeNull();
    // The content script vouched for another text than the body's newest user message: not that turn.
    expect((await other.service.build('o#s1', { ...body('hi'), userText: 'something else' })).body).toBeNull();
    expect((await other.service.build('o#s1', { ...body('hi'), userText: 'hi' })).body).not.toBeNull();
  });

  it('gives a chat\'s kit before its request (counts included), after which a build here reads nothing and saves nothing', async () => {
    let cardReads = 0;
    let chatReads = 0;
    const { service, bookReads, saved } = setup({
      readCard: async () => { cardReads++; return card; },
      readChat: async () => { chatReads++; return { characterId: 'c1', promptState: null }; },
    });
    const kit = (await service.kit('o#s1', 'gpt-4o-mini'))!;
    expect(kit).toMatchObject({ format: PROMPT_KIT_FORMAT, chatKey: 'o#s1', characterId: 'c1', exchanges: 0, timedState: null, variables: {} });
    expect(kit.card.data.name).toBe(card.data.name);
    expect(kit.tokens.length).toBeGreaterThan(3);
    expect(kit.tokens.every(([text, n]) => typeof text === 'string' && Number.isInteger(n))).toBe(true);
    // Plain data: it crosses runtime messaging as JSON.
    expect(JSON.parse(JSON.stringify(kit))).toEqual(kit);
    expect({ cardReads, chatReads, books: bookReads.length }).toEqual({ cardReads: 1, chatReads: 1, books: 1 });
    expect(service.lastReport('o#s1')).toBeNull();
    await vi.runAllTimersAsync();
    expect(saved).toEqual([]);
    const out = await service.build('o#s1', body('Is the lighthouse lit?'));
    expect(out.body).toContain('The lighthouse has been dark');
    expect({ cardReads, chatReads, books: bookReads.length }).toEqual({ cardReads: 1, chatReads: 1, books: 1 });
  });

  it('has no kit for a chat without a character', async () => {
    let cardReads = 0;
    const { service } = setup({ readChat: async () => ({ characterId: null, promptState: null }), readCard: async () => { cardReads++; return card; } });
    expect(await service.kit('o#s1', 'gpt-4o-mini')).toBeNull();
    expect(cardReads).toBe(0);
  });

  it('keeps what a page-side build reports and its state as the chat\'s (written behind)', async () => {
    const { service, saved } = setup();
    const built = await service.build('o#s2', body('Hello'));
    const state = { version: 1 as const, timedState: null, variables: { mood: 'calm' } };
    service.used('o#s1', { state, report: built.report! });
    expect(service.lastReport('o#s1')).toEqual(built.report);
    await vi.runAllTimersAsync();
    expect(saved).toContainEqual(state);
  });

  it('builds once into Anthropic and Gemini requests, in their own shapes, and names the provider', async () => {
    const { service } = setup();
    const chatKey = 'http://127.0.0.1:3000#s1';
    const claude = await service.build(chatKey, { body: JSON.stringify({ messages: [{ role: 'user', content: 'Ahoy' }], stream: true, model: 'claude-3-5-sonnet-latest', max_tokens: 4000, top_k: 5 }), url: '/api/anthropic/v1/messages', format: 'anthropic' });
    const sentClaude = JSON.parse(claude.body!) as { system: string; messages: { role: string; content: string }[]; top_k: number };
    expect(sentClaude.system).toContain('Mira');
    expect(sentClaude.messages.at(-1)).toEqual({ role: 'user', content: 'Ahoy' });
    expect(sentClaude.messages[0]!.role).toBe('user');
    expect(sentClaude.top_k).toBe(5);
    expect(claude.report!.provider).toBe('Anthropic (Claude)');
    const gemini = await service.build(chatKey, { body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Ahoy' }] }], generationConfig: { maxOutputTokens: 4000 } }), url: '/api/google/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse', format: 'gemini' });
    const sentGemini = JSON.parse(gemini.body!) as { systemInstruction: { parts: { text: string }[] }; contents: { role: string; parts: { text: string }[] }[] };
    expect(sentGemini.systemInstruction.parts[0]!.text).toContain('Mira');
    expect(sentGemini.contents.at(-1)).toEqual({ role: 'user', parts: [{ text: 'Ahoy' }] });
    expect(gemini.report!.model).toBe('gemini-2.0-flash');
    expect(gemini.report!.provider).toBe('Google (Gemini)');
    const custom = await service.build(chatKey, { ...body('Ahoy'), url: 'https://llm.example/v1/chat/completions' });
    expect(custom.report!.provider).toBe('OpenAI-compatible endpoint');
    const proxied = await service.build(chatKey, { ...body('Ahoy'), url: '/api/deepseek/chat/completions' });
    expect(proxied.report!.provider).toBe('DeepSeek');
  });

  it('reads each card version once', async () => {
    let reads = 0;
    const { service } = setup({ readCard: async () => { reads++; return card; } });
    await service.build('o#s1', body('one'));
    await service.build('o#s1', body('two'));
    expect(reads).toBe(1);
  });

  it('starts a new chat with the chosen greeting, the chat persona and the author\'s note at its depth', async () => {
    // A row saved before chat lore existed (format 1) still reads.
    const settings: ChatSettingsV1 = {
      version: 1, persona: { name: 'Ann', description: '{{user}} keeps the harbour log.' },
      authorNote: { text: 'Answer in one line.', depth: 0, everyN: 0, role: 'system' }, greetingIndex: 1,
    };
    const { service } = setup({ readChat: async () => ({ characterId: 'c1', promptState: null, settings }) });
    const sent = JSON.parse((await service.build('o#s1', body('Hello')))!.body!) as { messages: { role: string; content: string }[] };
    const tail = sent.messages.slice(-3);
    expect(tail).toEqual([
      { role: 'assistant', content: 'Welcome aboard, Ann.' },
      { role: 'user', content: 'Hello' },
      { role: 'system', content: 'Answer in one line.' },
    ]);
    expect(JSON.stringify(sent.messages)).toContain('Ann keeps the harbour log.');
  });

  it('uses the default persona unless the chat sets one, and leaves the greeting out once NextChat\'s window has moved on', async () => {
    const history = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [
      { role: 'system', content: NEXTCHAT_SYSTEM }, { role: 'assistant', content: 'Earlier reply' }, { role: 'user', content: 'Hello again' },
    ] });
    const { service } = setup({
      readChat: async () => ({ characterId: 'c1', promptState: null, settings: DEFAULT_CHAT_SETTINGS }),
      defaultPersona: async () => ({ name: 'Bo', description: '' }),
      exchanges: async () => 3,
    });
    const sent = JSON.parse((await service.build('o#s1', openaiRequest(history)))!.body!) as { messages: { role: string; content: string }[] };
    const text = JSON.stringify(sent.messages);
    expect(text).toContain('Mira draws maps for Bo.');
    expect(text).not.toContain('Ahoy');
    expect(sent.messages.at(-2)).toEqual({ role: 'assistant', content: 'Earlier reply' });
  });

  it('keeps a chat\'s context until the chat is written, its own prompt-state writes aside', async () => {
    let reads = 0;
    const { service, changes } = setup({ readChat: async () => { reads++; return { characterId: 'c1', promptState: null }; } });
    await service.build('o#s1', body('one'));
    await service.build('o#s1', body('two'));
    expect(reads).toBe(1);
    changes.publish('chats', 'prompt-state', ['o#s1']);
    changes.publish('chats', 'person', ['o#other']);
    await service.build('o#s1', body('three'));
    expect(reads).toBe(1);
    changes.publish('chats', 'person', ['o#s1']);
    await service.build('o#s1', body('four'));
    expect(reads).toBe(2);
    changes.publish('chats', 'sync', [], { removed: ['o#s1'] });
    await service.build('o#s1', body('five'));
    expect(reads).toBe(3);
  });

  it('counts a kept chat\'s length again when a reply is stored, without reading the chat again', async () => {
    let chatReads = 0;
    let stored = 0;
    const { service, changes } = setup({
      readChat: async () => { chatReads++; return { characterId: 'c1', promptState: null }; },
      exchanges: async () => stored,
    });
    const first = await service.build('o#s1', body('one'));
    expect(JSON.stringify(JSON.parse(first.body!).messages)).toContain('Ahoy');
    stored = 1;
    changes.publish('chatLog', 'reply', ['o#s1']);
    changes.publish('chats', 'reply', ['o#s1']);
    const second = await service.build('o#s1', openaiRequest(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [
      { role: 'assistant', content: 'Ahoy, User.' }, { role: 'user', content: 'one' }, { role: 'assistant', content: 'Hi' }, { role: 'user', content: 'two' },
    ] })));
    expect(chatReads).toBe(1);
    // Two user turns in NextChat's window and one remembered exchange: the chat starts at the beginning.
    expect(second.userText).toBe('two');
    expect(second.report!.parts.length).toBeGreaterThan(0);
  });

  it('checks a character\'s version once until the library changes, and the default persona once until it is set', async () => {
    let versionReads = 0;
    let personaReads = 0;
    let version = 1;
    const { service, changes } = setup({
      characterVersion: async () => { versionReads++; return version; },
      defaultPersona: async () => { personaReads++; return { name: personaReads > 1 ? 'Cy' : 'Bo', description: '' }; },
    });
    await service.build('o#s1', body('one'));
    await service.build('o#s1', body('two'));
    expect([versionReads, personaReads]).toEqual([1, 1]);
    version = 2;
    changes.publish('characters', 'sync', ['c1']);
    changes.publish('settings', 'person', ['local:persona.default']);
    const third = await service.build('o#s1', body('three'));
    expect([versionReads, personaReads]).toEqual([2, 2]);
    expect(JSON.stringify(JSON.parse(third.body!).messages)).toContain('Mira draws maps for Cy.');
  });

  it('gives the chat\'s pinned facts to builds and kits, read again only once the chat\'s memory changed', async () => {
    let facts = ['Ilse keeps bees in Harrowgate.'];
    let reads = 0;
    const { service, changes } = setup({ memory: async () => { reads++; return { facts, summaries: [] }; } });
    expect((await service.kit('o#s1', 'gpt-4o-mini'))!.memory).toEqual({ facts, summaries: [] });
    const built = await service.build('o#s1', body('Where are the bees?'));
    expect(built.body).toContain('- Ilse keeps bees in Harrowgate.');
    expect(built.report!.parts.find((part) => part.source === 'memory')!.label).toBe('Memory: pinned facts');
    expect(reads).toBe(1);
    facts = ['Ilse moved to Dunmore.'];
    changes.publish('memories', 'person', ['o#s1']);
    const again = await service.build('o#s1', body('Where are the bees now?'));
    expect(again.body).toContain('- Ilse moved to Dunmore.');
    expect(again.body).not.toContain('Harrowgate');
    expect(reads).toBe(2);
    expect(await service.countForChat('o#s1', ['one two'])).toEqual([expect.any(Number)]);
  });

  it('reads a character again after a failed version check', async () => {
    let calls = 0;
    const { service } = setup({ characterVersion: async () => { calls++; if (calls === 1) throw new Error('busy'); return 1; } });
    await expect(service.build('o#s1', body('one'))).rejects.toThrow('busy');
    expect((await service.build('o#s1', body('two'))).body).not.toBeNull();
  });
});

/** A one-entry standalone book whose entry fires on `key` (all at the same order, so ties show the scan order). */
const bookWith = (name: string, key: string, content: string, order = 100): Lorebook => ({
  name, extensions: {}, entries: [{ keys: [key], content, extensions: {}, enabled: true, insertion_order: order, use_regex: false }],
});

/** The "World Info (after the character)" message: where entries without a position go. */
const worldInfoAfter = (sent: { messages: { role: string; content: string }[] }) => sent.messages.find((m) => m.content.includes('Tides') || m.content.includes('Fog') || m.content.includes('Gulls'))?.content;

describe('PromptService lore books by role', () => {
  function withBooks(strategy: PromptSettings['insertionStrategy']) {
    const t = setup({ readChat: async () => ({ characterId: 'c1', promptState: null, settings: { ...DEFAULT_CHAT_SETTINGS, lorebookIds: ['chat1'] } }) });
    t.library.set('chat1', { version: 1, book: bookWith('Chat notes', 'tide', 'Fog rolls in at dusk.') });
    t.library.set('g1', { version: 1, book: bookWith('Coast', 'tide', 'Gulls nest on the cliffs.') });
    t.globals.globalLorebookIds = ['g1'];
    t.globals.insertionStrategy = strategy;
    return t;
  }

  it('scans chat lore first, then character and global lore in the chosen order, and reports each entry\'s book and role', async () => {
    // Equal orders: the prompt lists later-scanned entries first within a slot (SillyTavern's insertion order).
    const characterFirst = withBooks('character_first');
    const a = JSON.parse((await characterFirst.service.build('o#s1', body('The tide is turning')))!.body!);
    expect(worldInfoAfter(a)).toBe('Gulls nest on the cliffs.\nTides come twice a day.\nFog rolls in at dusk.');

    const globalFirst = withBooks('global_first');
    const out = await globalFirst.service.build('o#s1', body('The tide is turning'));
    expect(worldInfoAfter(JSON.parse(out.body!))).toBe('Tides come twice a day.\nGulls nest on the cliffs.\nFog rolls in at dusk.');
    expect(out.report!.lore.entries.map((e) => [e.book, e.source])).toEqual(expect.arrayContaining([
      ['Chat notes', 'chat'], ['Coast', 'global'], ['Harbour', 'character'],
    ]));
    expect(out.report!.lore.entries).toHaveLength(3);
  });

  it('uses a book once when it is chat-bound, global and the card\'s linked world at the same time (global wins, as in SillyTavern)', async () => {
    const t = setup({ readChat: async () => ({ characterId: 'c1', promptState: null, settings: { ...DEFAULT_CHAT_SETTINGS, lorebookIds: ['w1', 'w1'] } }) });
    t.globals.globalLorebookIds = ['w1'];
    const out = await t.service.build('o#s1', body('When is the tide?'));
    const sent = JSON.parse(out.body!);
    expect(JSON.stringify(sent.messages).split('Tides come twice a day.')).toHaveLength(2);
    expect(out.report!.lore.entries.map((e) => [e.book, e.source])).toEqual([['Harbour', 'global']]);
    expect(out.report!.lore.warnings).toEqual([]);
  });

  it('makes the card\'s linked world chat lore when the chat binds it', async () => {
    const t = setup({ readChat: async () => ({ characterId: 'c1', promptState: null, settings: { ...DEFAULT_CHAT_SETTINGS, lorebookIds: ['w1'] } }) });
    const out = await t.service.build('o#s1', body('When is the tide?'));
    expect(out.report!.lore.entries.map((e) => e.source)).toEqual(['chat']);
  });

  it('reads each book version once, and reads again only the book that changed in the library', async () => {
    const t = withBooks('character_first');
    await t.service.build('o#s1', body('tide one'));
    await t.service.build('o#s1', body('tide two'));
    expect(t.bookReads.sort()).toEqual(['chat1', 'g1', 'w1']);

    t.library.set('g1', { version: 2, book: bookWith('Coast', 'tide', 'Gulls left the cliffs.') });
    // Versions are kept as of the lorebooks table's version in the change feed.
    const stale = await t.service.build('o#s1', body('tide stale'));
    expect(worldInfoAfter(JSON.parse(stale.body!))).not.toContain('Gulls left the cliffs.');
    t.changes.publish('lorebooks', 'person', ['g1']);
    const out = await t.service.build('o#s1', body('tide three'));
    expect(t.bookReads.sort()).toEqual(['chat1', 'g1', 'g1', 'w1']);
    expect(worldInfoAfter(JSON.parse(out.body!))).toContain('Gulls left the cliffs.');
    expect(JSON.stringify(JSON.parse(out.body!).messages)).not.toContain('Gulls nest');
  });

  it('leaves out books that left the library and says so in the inspector', async () => {
    const t = withBooks('character_first');
    t.library.delete('chat1');
    t.library.delete('g1');
    const out = await t.service.build('o#s1', body('tide'));
    expect(out.report!.lore.entries.map((e) => e.book)).toEqual(['Harbour']);
    expect(out.report!.lore.warnings).toEqual([
      'A lorebook enabled for every chat is no longer in your library.',
      'A lorebook bound to this chat is no longer in your library.',
    ]);
  });

  it('keeps, drops or merges NextChat\'s system prompt by the global setting; a chat\'s own choice wins', async () => {
    const keep = setup();
    keep.globals.hostSystemMode = 'keep';
    const kept = JSON.parse((await keep.service.build('o#s1', body('hi')))!.body!);
    expect(kept.messages[0]).toEqual({ role: 'system', content: NEXTCHAT_SYSTEM });

    const merge = setup();
    merge.globals.hostSystemMode = 'merge';
    const merged = JSON.parse((await merge.service.build('o#s1', body('hi')))!.body!);
    expect(merged.messages[0].content).toMatch(/^You are ChatGPT[\s\S]*\n\nWrite Mira's next reply/);

    const chatDrops = setup({ readChat: async () => ({ characterId: 'c1', promptState: null, settings: { ...DEFAULT_CHAT_SETTINGS, hostSystemMode: 'drop' } }) });
    chatDrops.globals.hostSystemMode = 'keep';
    const dropped = JSON.parse((await chatDrops.service.build('o#s1', body('hi')))!.body!);
    expect(JSON.stringify(dropped.messages)).not.toContain('You are ChatGPT');
  });

  it('uses the saved persona a chat follows as it is now, and the chat\'s copy once it is deleted', async () => {
    let saved = [{ id: 'p-ann', name: 'Ann', description: '{{user}} mends nets.', avatar: null, updatedAt: 2 }];
    const settings = { ...DEFAULT_CHAT_SETTINGS, persona: { id: 'p-ann', name: 'Ann', description: '{{user}} sails.' } };
    const { service, changes } = setup({ readChat: async () => ({ characterId: 'c1', promptState: null, settings }), savedPersonas: async () => saved });
    const text = async (turn: string) => JSON.stringify(JSON.parse((await service.build('o#s1', body(turn))).body!).messages);
    expect(await text('one')).toContain('Ann mends nets.');
    saved = [];
    expect(await text('two')).toContain('Ann mends nets.');
    changes.publish('settings', 'person', ['local:personas.saved']);
    expect(await text('three')).toContain('Ann sails.');
  });

  it('fits the prompt to the context size the user set, else to the model\'s', async () => {
    const fromModel = setup();
    expect((await fromModel.service.build('o#s1', body('hi'))).report!.fit.contextSize).toBe(128_000);
    const small = setup({ promptSettings: async () => ({ ...DEFAULT_PROMPT_SETTINGS, contextSize: 8_192 }) });
    expect((await small.service.build('o#s1', body('hi'))).report!.fit.contextSize).toBe(8_192);
  });

  it("gives memory the budget the user set (a share of the context), in builds and kits", async () => {
    const facts = ['Ilse keeps bees.'];
    const memory = async () => ({ facts, summaries: [] });
    const plain = setup({ memory });
    expect((await plain.service.kit('o#s1', 'gpt-4o-mini'))!.memoryShare).toBe(0.15);
    const room = (fit: { contextSize: number; reserved: number }) => fit.contextSize - fit.reserved;
    const first = (await plain.service.build('o#s1', body('hi'))).report!;
    expect(first.memory!.budget).toBe(Math.floor(0.15 * room(first.fit)));
    const wide = setup({ memory, promptSettings: async () => ({ ...DEFAULT_PROMPT_SETTINGS, memoryPercent: 30 }) });
    expect((await wide.service.kit('o#s1', 'gpt-4o-mini'))!.memoryShare).toBe(0.3);
    const report = (await wide.service.build('o#s1', body('hi'))).report!;
    expect(report.memory!.budget).toBe(Math.floor(0.3 * room(report.fit)));
  });
});
