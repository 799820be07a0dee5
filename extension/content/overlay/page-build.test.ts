import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PromptReport, SessionRecord } from '@troupe/shared/prompt';
import type { ChatPromptState } from '../../messaging/chat-prompt-state.ts';
import { body, setup } from '../../background/prompt-service/test-support.ts';
import { PageBuilder, StaleRecordError } from './page-build.ts';

const CHAT = 'http://127.0.0.1:3000#s1';
const NOW = new Date('2026-11-21T12:00:00Z');

/** The background's service and a page builder fed from it, as the content script is. */
function pair() {
  let replies = 0;
  const { service, changes } = setup({ now: () => NOW, exchanges: async () => replies });
  /** A reply stored in the chat's log, as the background's change feed reports it. */
  const replyStored = () => { replies++; changes.publish('chatLog', 'person', [CHAT]); };
  const used: Array<{ chatKey: string; state: ChatPromptState; report: PromptReport }> = [];
  const counted: string[][] = [];
  const builder = new PageBuilder({
    fetchKit: (chatKey, model) => service.kit(chatKey, model),
    countTokens: (model, texts) => { counted.push(texts); return service.countTokens(model, texts); },
    used: (chatKey, state, report) => used.push({ chatKey, state, report }),
    now: () => NOW,
  });
  return { service, builder, used, counted, replyStored };
}

const turn = (text: string, history: Array<{ role: string; content: string }> = []) => {
  const request = body(text);
  const parsed = JSON.parse(request.body) as { messages: unknown[] };
  parsed.messages.splice(1, 0, ...history);
  return { ...request, body: JSON.stringify(parsed), userText: text };
};

/** NextChat's stored chat when it holds exactly what the request's window holds. */
function storedAs(request: { body: string }): SessionRecord {
  const { messages } = JSON.parse(request.body) as { messages: Array<{ role: 'user' | 'assistant' | 'system'; content: string }> };
  return { messages: messages.slice(1, -1).map((m) => ({ role: m.role, text: m.content })), memoryPrompt: '', contextCount: 0 };
}

describe('PageBuilder', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); });
  afterEach(() => { vi.useRealTimers(); });

  it('builds from the kit exactly the prompt the background builds, turn after turn (greeting, lore, variables, timers)', async () => {
    const page = pair();
    const background = pair();
    await page.builder.prepare(CHAT, 'gpt-4o-mini');
    const turns = [
      turn('Hello there'),
      turn('Is the lighthouse lit?', [{ role: 'user', content: 'Hello there' }, { role: 'assistant', content: 'Ahoy.' }]),
      turn('And the town tower?', [{ role: 'user', content: 'Is the lighthouse lit?' }, { role: 'assistant', content: 'It is dark.' }]),
    ];
    for (const [i, request] of turns.entries()) {
      expect(page.builder.canBuild(CHAT, 'gpt-4o-mini')).toBe(true);
      const built = page.builder.build(CHAT, request, storedAs(request));
      const reference = await background.service.build(CHAT, { ...request, session: storedAs(request) });
      expect(built.body, `turn ${i + 1}`).toBe(reference.body);
      if (i === 0) expect(built.body).toContain('{"role":"assistant","content":"Ahoy, User."}');
      expect(built).toMatchObject({ characterId: 'c1', userText: request.userText });
      page.builder.replySaved(CHAT);
      background.replyStored();
    }
    // The background hears of each build after the request left: state (the {{setvar}} of the tower entry) and report.
    expect(page.used).toHaveLength(0);
    await vi.runAllTimersAsync();
    expect(page.used.at(-1)!.state.variables).toEqual({ seen: 'tower' });
    expect(page.used.at(-1)!.report).toMatchObject({ characterName: 'Mira', model: 'gpt-4o-mini', provider: 'OpenAI' });
  });

  it('estimates the texts it has no count for, high, then asks for their exact counts and uses them next time', async () => {
    const { builder, counted } = pair();
    await builder.prepare(CHAT, 'gpt-4o-mini');
    builder.build(CHAT, turn('A brand new question about the harbour?'), storedAs(turn('A brand new question about the harbour?')));
    await vi.runAllTimersAsync();
    expect(counted.flat()).toContain('A brand new question about the harbour?');
    counted.length = 0;
    builder.build(CHAT, turn('A brand new question about the harbour?'), storedAs(turn('A brand new question about the harbour?')));
    await vi.runAllTimersAsync();
    expect(counted.flat()).not.toContain('A brand new question about the harbour?');
  });

  it('answers only for the chat and tokenizer its kit is for, and not once the kit is dropped', async () => {
    const { builder } = pair();
    expect(builder.canBuild(CHAT, 'gpt-4o-mini')).toBe(false);
    await builder.prepare(CHAT, 'gpt-4o-mini');
    expect(builder.canBuild(CHAT, 'gpt-4o')).toBe(true);
    expect(builder.canBuild(CHAT, 'gpt-4')).toBe(false);
    expect(builder.canBuild('http://127.0.0.1:3000#s2', 'gpt-4o-mini')).toBe(false);
    expect(builder.modelFor(CHAT)).toBe('gpt-4o-mini');
    builder.drop();
    expect(builder.canBuild(CHAT, 'gpt-4o-mini')).toBe(false);
    // A kit that arrives after it went stale is not kept.
    const loading = builder.prepare(CHAT, 'gpt-4o-mini');
    builder.drop();
    await loading;
    expect(builder.canBuild(CHAT, 'gpt-4o-mini')).toBe(false);
  });

  it('leaves alone what the background leaves alone: no chat turn, or a body whose newest message is not the vouched text', async () => {
    const { builder } = pair();
    await builder.prepare(CHAT, 'gpt-4o-mini');
    expect(builder.build(CHAT, { ...turn('Hi'), userText: 'Something else' }, storedAs(turn('Hi'))).body).toBeNull();
    const title = { ...turn('x'), body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }], stream: false, model: 'gpt-4o-mini' }) };
    expect(builder.build(CHAT, title, storedAs(title)).body).toBeNull();
  });

  it('builds from the whole stored chat, not NextChat\'s window of 4, exactly as the background does', async () => {
    const page = pair();
    const background = pair();
    await page.builder.prepare(CHAT, 'gpt-4o-mini');
    const stored = Array.from({ length: 10 }, (_, i) => [
      { role: 'user' as const, text: i === 1 ? 'My sister Ilse lives in Harrowgate.' : `Question ${i}` },
      { role: 'assistant' as const, text: `Answer ${i}` },
    ]).flat();
    const window = stored.slice(-4).map((m) => ({ role: m.role, content: m.text }));
    const request = turn('Where does my sister live?', window);
    const session: SessionRecord = { messages: [...stored, { role: 'user', text: 'Where does my sister live?' }, { role: 'assistant', text: '' }], memoryPrompt: '', contextCount: 0 };
    const built = page.builder.build(CHAT, request, session);
    expect(built.body).toContain('My sister Ilse lives in Harrowgate.');
    expect(built.body!.match(/Question 9/g)).toHaveLength(1);
    expect(built.body).toBe((await background.service.build(CHAT, { ...request, session })).body);
    await vi.runAllTimersAsync();
    expect(page.used[0]!.report.history).toEqual({ source: 'whole-chat', added: 16 });
  });

  it('when the chat outgrows the context, gives the model summaries of what was left out and recalls the message the turn needs, exactly as the background does', async () => {
    const stored = Array.from({ length: 120 }, (_, i) => [
      { id: `u${i}`, role: 'user' as const, text: i === 3 ? 'My sister Ilse keeps bees in Harrowgate.' : `Question ${i}: ${'we talked about the grey weather again '.repeat(4)}` },
      { id: `a${i}`, role: 'assistant' as const, text: `Answer ${i}: ${'the clouds went on and on over the harbour '.repeat(4)}` },
    ]).flat();
    const summaries = [{ id: 's0', text: 'Ann and Mira talked about the weather for a long time.', covers: stored.slice(10, 60).map((m) => m.id!) }];
    const make = () => {
      const { service, globals } = setup({ now: () => NOW, memory: async () => ({ facts: [], summaries }) });
      globals.contextSize = 4_096;
      const builder = new PageBuilder({ fetchKit: (chatKey, model) => service.kit(chatKey, model), countTokens: (model, texts) => service.countTokens(model, texts), used: () => {}, now: () => NOW });
      return { service, builder };
    };
    const page = make();
    const background = make();
    await page.builder.prepare(CHAT, 'gpt-4o-mini');
    const request = turn('Where does my sister keep her bees?', stored.slice(-4).map((m) => ({ role: m.role, content: m.text })));
    const session: SessionRecord = { messages: stored, memoryPrompt: '', contextCount: 0 };
    const built = page.builder.build(CHAT, request, session).body!;
    expect(built).toContain('Ann and Mira talked about the weather for a long time.');
    expect(built).toContain('My sister Ilse keeps bees in Harrowgate.');
    expect(built).not.toContain('Question 3:');
    const reference = await background.service.build(CHAT, { ...request, session });
    expect(reference.report!.memory).toMatchObject({ summaries: [{ id: 's0' }], recalled: expect.arrayContaining([expect.objectContaining({ id: 'u3' })]) });
    // The page counts what it has no count for on the high side, so it may keep a message or two fewer.
    expect(JSON.parse(reference.body!).messages.filter((m: { content: string }) => m.content.includes('Harrowgate')).length).toBe(1);
  });

  it('throws StaleRecordError, changing nothing, when the stored chat as read does not line up with the request', async () => {
    const { builder, used } = pair();
    await builder.prepare(CHAT, 'gpt-4o-mini');
    const request = turn('Next?', [{ role: 'user', content: 'edited just now' }, { role: 'assistant', content: 'Ok.' }]);
    const stale: SessionRecord = { messages: [{ role: 'user', text: 'before the edit' }, { role: 'assistant', text: 'Ok.' }], memoryPrompt: '', contextCount: 0 };
    expect(() => builder.build(CHAT, request, stale)).toThrow(StaleRecordError);
    await vi.runAllTimersAsync();
    expect(used).toHaveLength(0);
  });

  it('the background says when it used NextChat\'s window, and why', async () => {
    const { service } = pair();
    const request = turn('Next?', [{ role: 'user', content: 'edited just now' }, { role: 'assistant', content: 'Ok.' }]);
    const stale: SessionRecord = { messages: [{ role: 'user', text: 'before the edit' }, { role: 'assistant', text: 'Ok.' }], memoryPrompt: '', contextCount: 0 };
    expect((await service.build(CHAT, { ...request, session: stale })).report!.history).toMatchObject({ source: 'nextchat-window', added: 0, reason: expect.stringMatching(/do not match/) });
    expect((await service.build(CHAT, request)).report!.history).toMatchObject({ source: 'nextchat-window', reason: expect.stringMatching(/could not read/) });
  });

  it('keeps only the latest kit it asked for when the person switches chats while one is on its way', async () => {
    const { service } = setup({ now: () => NOW });
    const arrivals: Array<() => void> = [];
    const builder = new PageBuilder({
      // Each kit arrives only when the test says so.
      fetchKit: async (chatKey, model) => { const kit = await service.kit(chatKey, model); await new Promise<void>((go) => arrivals.push(go)); return kit; },
      countTokens: async () => [],
      used: () => {},
      now: () => NOW,
    });
    const first = builder.prepare(CHAT, 'gpt-4o-mini');
    const other = 'http://127.0.0.1:3000#s2';
    await vi.waitFor(() => expect(arrivals).toHaveLength(1));
    const second = builder.prepare(other, 'gpt-4o-mini');
    await vi.waitFor(() => expect(arrivals).toHaveLength(2));
    arrivals[1]!();
    await second;
    arrivals[0]!();
    await first;
    expect(builder.canBuild(other, 'gpt-4o-mini')).toBe(true);
    expect(builder.canBuild(CHAT, 'gpt-4o-mini')).toBe(false);
  });
});
