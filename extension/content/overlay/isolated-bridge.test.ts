import { describe, expect, it } from 'vitest';
import { startBridge, type BridgeDeps } from './isolated-bridge.ts';
import { StaleRecordError } from './page-build.ts';
import type { SessionRecord } from '@troupe/shared/prompt';
import type { CapturedReply } from '../../messaging/chat-types.ts';
import { ANSWER_ATTRIBUTE, NOW_EVENT, QUESTION_ATTRIBUTE, type IsolatedToMain } from '../../messaging/page-protocol.ts';

const mira = { id: 'char-1', name: 'Mira', description: 'A cartographer.', avatar: null, updatedAt: 1 };
const body = JSON.stringify({ messages: [{ role: 'system', content: '\nYou are ChatGPT, a large language model trained by OpenAI.\n' }, { role: 'user', content: 'Hello' }], stream: true, model: 'gpt-4o-mini' });

/** The user texts the bridge claimed a turn for, in order. */
const claims: string[] = [];
/** NextChat's stored chat as the bridge reads it, and what each background build was handed. */
const stored: SessionRecord = { messages: [{ role: 'user', text: 'Hello' }, { role: 'assistant', text: '' }], memoryPrompt: '', contextCount: 0 };
const sessions: Array<SessionRecord | null> = [];
function setup(overrides: Partial<BridgeDeps> = {}, node: Element | null = null) {
  const { port1: main, port2: isolated } = new MessageChannel();
  const saved: CapturedReply[] = [];
  const failures: string[] = [];
  const inbox: IsolatedToMain[] = [];
  const waiters: ((m: IsolatedToMain) => void)[] = [];
  main.onmessage = (e) => { inbox.push(e.data); waiters.shift()?.(e.data); };
  const next = () => new Promise<IsolatedToMain>((resolve) => waiters.push(resolve));
  const controller = new AbortController();
  const bridge = startBridge(isolated, node, {
    currentChatKey: async () => 'http://127.0.0.1:3000#s1',
    activeCharacter: async () => mira,
    claimUserTurn: (text) => { claims.push(text); return text === 'Hello'; },
    isUserTurn: (text) => text === 'Hello',
    nextChatDestination: async (url) => !url.startsWith('https://evil.example'),
    saveReply: async (r) => { saved.push(r); },
    onFailure: (m) => failures.push(m),
    onRewritten: () => {},
    breakRewrites: () => false,
    readRecord: async () => stored,
    buildPrompt: async (_chatKey, { body: raw, session }) => {
      sessions.push(session);
      const parsed = JSON.parse(raw);
      return { body: JSON.stringify({ ...parsed, messages: [{ role: 'system', content: 'Write Mira\'s next reply.' }, ...parsed.messages.slice(1)] }), characterId: 'char-1', userText: parsed.messages.at(-1).content };
    },
    ...overrides,
  }, controller.signal);
  return { main, saved, failures, inbox, next, controller, bridge };
}

const until = async (check: () => boolean) => { for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 5)); };

describe('startBridge', () => {
  it('says ready, rewrites with the character and stores the reply for that chat', async () => {
    const { main, saved, next } = setup();
    expect(await next()).toEqual({ v: 1, t: 'ready' });
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0001aaaa', url: '/v1/chat/completions', body, format: 'openai', provider: 'openai', userText: 'Hello' });
    const answer = await next();
    expect(answer.t).toBe('rewritten');
    const rewritten = JSON.parse((answer as { body: string }).body);
    expect(rewritten.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(rewritten.messages[0].content).toContain('Mira');
    main.postMessage({ v: 1, t: 'reply', id: 'req-0001aaaa', text: 'Greetings.', status: 'done' });
    await until(() => saved.length > 0);
    expect(saved).toEqual([{ chatKey: 'http://127.0.0.1:3000#s1', characterId: 'char-1', userText: 'Hello', replyText: 'Greetings.', status: 'done' }]);
  });

  it('tells memory where a request that went out with the character went, with its Authorization header; nothing for one left alone', async () => {
    const seen: unknown[] = [];
    const { main, next } = setup({ onChatRequest: (chatKey, request) => seen.push([chatKey, request]) });
    await next();
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0701aaaa', url: '/api/openai/v1/chat/completions', body, format: 'openai', provider: 'openai', userText: 'Hello', authorization: 'Bearer nk-code' });
    expect((await next()).t).toBe('rewritten');
    expect(seen).toEqual([['http://127.0.0.1:3000#s1', { url: '/api/openai/v1/chat/completions', model: 'gpt-4o-mini', format: 'openai', authorization: 'Bearer nk-code' }]]);
    // Not the person's turn (a page script's call, NextChat's own summary), or somewhere NextChat does not send chats: not reported.
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0702aaaa', url: '/api/openai/v1/chat/completions', body, format: 'openai', provider: 'openai', userText: 'Not yours', authorization: 'Bearer sk-page' });
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0703aaaa', url: 'https://evil.example/v1/chat/completions', body, format: 'openai', provider: 'openai', userText: 'Hello', authorization: 'Bearer sk-page' });
    await next();
    await next();
    expect(seen).toHaveLength(1);
  });

  it('hands the background NextChat\'s stored chat, read at request time, to build the whole history from', async () => {
    sessions.length = 0;
    const { main, next } = setup();
    await next();
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0003aaaa', url: '/v1/chat/completions', body, format: 'openai', provider: 'openai', userText: 'Hello' });
    expect((await next()).t).toBe('rewritten');
    expect(sessions).toEqual([stored]);
  });

  it('answers null when no character is active, and stores nothing for that id', async () => {
    const { main, saved, next } = setup({ activeCharacter: async () => null });
    await next();
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0002aaaa', url: '/v1/chat/completions', body, format: 'openai', provider: 'openai', userText: 'Hello' });
    expect(await next()).toEqual({ v: 1, t: 'rewritten', id: 'req-0002aaaa', body: null });
    main.postMessage({ v: 1, t: 'reply', id: 'req-0002aaaa', text: 'x', status: 'done' });
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0003aaaa', url: '/', body: 'not json', format: 'openai', provider: 'openai', userText: 'Hello' });
    await next();
    expect(saved).toEqual([]);
  });

  it('ignores a reply for a request it never rewrote (what a forger would send)', async () => {
    const { main, saved, next } = setup();
    await next();
    main.postMessage({ v: 1, t: 'reply', id: 'forged-0001', text: 'injected', status: 'done' });
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0004aaaa', url: '/', body, format: 'openai', provider: 'openai', userText: 'Hello' });
    await next();
    expect(saved).toEqual([]);
  });

  it('leaves a turn the person did not send alone (NextChat\'s summary, a page script\'s own call)', async () => {
    let built = 0;
    const { main, next } = setup({ buildPrompt: async () => { built++; return { body: '{}', characterId: 'char-1', userText: '' }; } });
    await next();
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0007aaaa', url: '/v1/chat/completions', body, format: 'openai', provider: 'openai', userText: 'Summarize the discussion' });
    expect(await next()).toEqual({ v: 1, t: 'rewritten', id: 'req-0007aaaa', body: null });
    expect(built).toBe(0);
  });

  it('leaves a request to somewhere NextChat does not send chats without the character, says so only for the person\'s words, and leaves their turn unclaimed', async () => {
    const { main, failures, next } = setup();
    await next();
    claims.length = 0;
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0008aaaa', url: 'https://evil.example/v1/chat/completions', body, format: 'openai', provider: 'openai-compatible', userText: 'Hello' });
    expect(await next()).toEqual({ v: 1, t: 'rewritten', id: 'req-0008aaaa', body: null });
    expect(failures[0]).toMatch(/went to evil\.example, which is neither NextChat's own server nor an endpoint its settings name; Troupe left it without Mira/);
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0009aaaa', url: 'https://evil.example/v1/chat/completions', body, format: 'openai', provider: 'openai-compatible', userText: 'A page script\'s own words' });
    expect(await next()).toEqual({ v: 1, t: 'rewritten', id: 'req-0009aaaa', body: null });
    expect(failures).toHaveLength(1);
    expect(claims).toEqual([]);
  });

  it('says in the panel why a character chat on an unsupported provider goes out unchanged', async () => {
    const { main, failures, next } = setup();
    await next();
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0006aaaa', url: '/api/baidu/x', body, format: null, provider: 'baidu', userText: '' });
    expect(await next()).toEqual({ v: 1, t: 'rewritten', id: 'req-0006aaaa', body: null });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/cannot add Mira to Baidu \(ERNIE\) requests/);
  });

  it('tells the MAIN world when the open chat has no character, once per change', async () => {
    const { next, bridge } = setup();
    await next();
    bridge.setSpeaking(false);
    bridge.setSpeaking(false);
    bridge.setSpeaking(true);
    expect([await next(), await next()]).toEqual([{ v: 1, t: 'chat', speaking: false }, { v: 1, t: 'chat', speaking: true }]);
  });

  it('reports the MAIN world\'s failures and says bye when stopped', async () => {
    const { main, failures, next, controller } = setup();
    await next();
    // A failure about a request it never answered is forged: nothing is shown.
    main.postMessage({ v: 1, t: 'failure', id: 'req-0005aaaa', code: 'no-answer' });
    main.postMessage({ v: 1, t: 'rewrite', id: 'req-0006bbbb', url: '/v1/chat/completions', body, format: 'openai', provider: 'openai', userText: 'Hello' });
    await next();
    main.postMessage({ v: 1, t: 'failure', id: 'req-0006bbbb', code: 'invalid-rewrite', message: 'Your session expired, log in at evil.example' });
    await until(() => failures.length > 0);
    expect(failures).toEqual(['Troupe could not add the character to this request, so NextChat\'s original went out: the request Troupe built could not be sent.']);
    controller.abort();
    expect(await next()).toEqual({ v: 1, t: 'bye' });
  });

  describe('on the private node (answered before the dispatch returns)', () => {
    /** What the MAIN world does: the question in an attribute, a plain event, the answer read back at once. */
    function ask(node: Element, message: object): unknown {
      node.setAttribute(QUESTION_ATTRIBUTE, JSON.stringify(message));
      node.dispatchEvent(new Event(NOW_EVENT));
      const answer = node.getAttribute(ANSWER_ATTRIBUTE);
      node.removeAttribute(ANSWER_ATTRIBUTE);
      return answer === null ? undefined : JSON.parse(answer);
    }
    const question = (id: string, userText = 'Hello') => ({ v: 1, t: 'rewrite', id, url: '/api/openai/v1/chat/completions', body, format: 'openai', provider: 'openai', userText });
    const built = { body: '{"messages":[{"role":"system","content":"Mira"},{"role":"user","content":"Hello"}]}', characterId: 'char-1', userText: 'Hello' };
    function nowDeps(overrides: Partial<NonNullable<BridgeDeps['now']>> = {}): NonNullable<BridgeDeps['now']> {
      return { chatKey: () => 'http://127.0.0.1:3000#s1', character: () => mira, destination: () => true, canBuild: () => true, record: () => stored, build: () => built, ...overrides };
    }

    it('builds from what the page holds, claims the person\'s turn, and stores the reply as usual', async () => {
      const node = document.createElement('div');
      claims.length = 0;
      const { main, saved, next } = setup({ now: nowDeps() }, node);
      await next();
      expect(ask(node, question('req-0101aaaa'))).toEqual({ v: 1, t: 'rewritten', id: 'req-0101aaaa', body: built.body });
      expect(claims).toEqual(['Hello']);
      main.postMessage({ v: 1, t: 'reply', id: 'req-0101aaaa', text: 'Greetings.', status: 'done' });
      await until(() => saved.length > 0);
      expect(saved[0]).toMatchObject({ characterId: 'char-1', userText: 'Hello', replyText: 'Greetings.' });
    });

    it('tells memory where a request built on the page went, as the port path does', async () => {
      const node = document.createElement('div');
      const seen: unknown[] = [];
      const { next } = setup({ now: nowDeps(), onChatRequest: (chatKey, request) => seen.push([chatKey, request]) }, node);
      await next();
      expect(ask(node, { ...question('req-0801aaaa'), authorization: 'Bearer sk-chat' })).toMatchObject({ t: 'rewritten', body: built.body });
      expect(seen).toEqual([['http://127.0.0.1:3000#s1', { url: '/api/openai/v1/chat/completions', model: 'gpt-4o-mini', format: 'openai', authorization: 'Bearer sk-chat' }]]);
    });

    it('gives no answer (the port decides) and claims nothing when any part would need waiting', () => {
      const cases: Array<Partial<NonNullable<BridgeDeps['now']>>> = [
        { chatKey: () => undefined }, { character: () => undefined }, { destination: () => undefined }, { canBuild: () => false },
        { record: () => undefined }, { build: () => { throw new StaleRecordError(); } },
      ];
      for (const [i, overrides] of cases.entries()) {
        const node = document.createElement('div');
        claims.length = 0;
        setup({ now: nowDeps(overrides) }, node);
        expect(ask(node, question(`req-02${i}0aaaa`)), `case ${i}`).toBeUndefined();
        expect(claims).toEqual([]);
      }
      // Not the person's words: left to the port path, which decides and words it.
      const node = document.createElement('div');
      setup({ now: nowDeps() }, node);
      expect(ask(node, question('req-0301aaaa', 'A page script\'s own'))).toBeUndefined();
    });

    it('answers null at once for a chat without a character, and a failed build leaves NextChat\'s request alone with a message', () => {
      const node = document.createElement('div');
      setup({ now: nowDeps({ character: () => null }) }, node);
      expect(ask(node, question('req-0401aaaa'))).toEqual({ v: 1, t: 'rewritten', id: 'req-0401aaaa', body: null });
      const failing = document.createElement('div');
      const { failures } = setup({ now: nowDeps({ build: () => { throw new Error('the prompt Troupe built is not a chat request'); } }) }, failing);
      expect(ask(failing, question('req-0402aaaa'))).toEqual({ v: 1, t: 'rewritten', id: 'req-0402aaaa', body: null });
      expect(failures[0]).toContain('not a chat request');
    });

    it('after a stale read, the port path reads NextChat\'s store again and builds on the page from it', async () => {
      const node = document.createElement('div');
      const fresh: SessionRecord = { messages: [{ role: 'user', text: 'fresh' }], memoryPrompt: '', contextCount: 0 };
      const handed: SessionRecord[] = [];
      const { main, next } = setup({
        readRecord: async () => fresh,
        now: nowDeps({ build: (_chatKey, _request, session) => { handed.push(session); if (session !== fresh) throw new StaleRecordError(); return built; } }),
      }, node);
      await next();
      expect(ask(node, question('req-0601aaaa'))).toBeUndefined();
      main.postMessage(question('req-0601aaaa'));
      expect(await next()).toEqual({ v: 1, t: 'rewritten', id: 'req-0601aaaa', body: built.body });
      expect(handed).toEqual([stored, fresh]);
    });

    it('ignores what is not a rewrite question', () => {
      const node = document.createElement('div');
      setup({ now: nowDeps() }, node);
      expect(ask(node, { v: 1, t: 'reply', id: 'req-0501aaaa', text: 'x', status: 'done' })).toBeUndefined();
      node.setAttribute(QUESTION_ATTRIBUTE, 'not json');
      node.dispatchEvent(new Event(NOW_EVENT));
      expect(node.getAttribute(ANSWER_ATTRIBUTE)).toBeNull();
    });
  });
});
