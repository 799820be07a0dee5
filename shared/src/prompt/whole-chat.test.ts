import { describe, expect, it } from 'vitest';
import type { ChatCompletionBody, ChatMessage, ChatRole } from './types.ts';
import { withWholeChat, type SessionRecord } from './whole-chat.ts';

const m = (role: ChatRole, content: string): ChatMessage => ({ role, content });
const kept = (role: ChatRole, text: string) => ({ role, text });
const SYSTEM = m('system', '\nYou are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2023-10');

/** A chat of `n` exchanges: "u1"/"a1", "u2"/"a2", … */
function exchanges(n: number): { role: ChatRole; text: string }[] {
  return Array.from({ length: n }, (_, i) => [kept('user', `u${i + 1}`), kept('assistant', `a${i + 1}`)]).flat();
}

/** NextChat's request: its system prompt, [summary], [mask context], the last `window` stored messages, the new turn. */
function request(stored: { role: ChatRole; text: string }[], window: number, turn: string, extra: ChatMessage[] = []): ChatCompletionBody {
  const recent = stored.slice(Math.max(0, stored.length - window)).map((s) => m(s.role, s.text));
  return { model: 'gpt-4o-mini', stream: true, temperature: 0.5, messages: [SYSTEM, ...extra, ...recent, m('user', turn)] };
}

const texts = (body: ChatCompletionBody) => body.messages.map((x) => `${x.role}:${typeof x.content === 'string' ? x.content : '[parts]'}`);
const record = (messages: { role: ChatRole; text: string }[], more: Partial<SessionRecord> = {}): SessionRecord => ({ messages, memoryPrompt: '', contextCount: 0, ...more });

describe('withWholeChat', () => {
  it('puts every earlier message before NextChat\'s window of 4, none twice, keeping the body\'s other keys', () => {
    const stored = exchanges(8);
    const out = withWholeChat(request(stored, 4, 'u9'), 1, record(stored));
    expect(out.source).toBe('whole-chat');
    expect(out.added).toBe(12);
    expect(texts(out.body)).toEqual([`system:${SYSTEM.content as string}`, ...stored.map((s) => `${s.role}:${s.text}`), 'user:u9']);
    expect(out.body.temperature).toBe(0.5);
    expect(out.body.stream).toBe(true);
  });

  it('gives the stored id of every message of the chat it built, the new turn\'s unknown', () => {
    const stored = exchanges(4).map((m, i) => ({ ...m, id: `m${i}` }));
    const out = withWholeChat(request(stored, 4, 'u5'), 1, record(stored));
    expect(out.ids).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', null]);
    expect(out.ids).toHaveLength(out.body.messages.length - 1);
  });

  it('lines up a read made after NextChat stored the new turn and its empty reply placeholder', () => {
    const stored = exchanges(5);
    const read = [...stored, kept('user', 'u6'), kept('assistant', '')];
    const out = withWholeChat(request(stored, 4, 'u6'), 1, record(read));
    expect(texts(out.body).slice(1)).toEqual([...stored.map((s) => `${s.role}:${s.text}`), 'user:u6']);
  });

  it('lines up with no window at all (history count 0), with or without the stored turn', () => {
    const stored = exchanges(3);
    for (const read of [stored, [...stored, kept('user', 'again')], [...stored, kept('user', 'again'), kept('assistant', '')]]) {
      const out = withWholeChat(request(stored, 0, 'again'), 1, record(read));
      expect(texts(out.body).slice(1)).toEqual([...stored.map((s) => `${s.role}:${s.text}`), 'user:again']);
    }
  });

  it('after a Retry read late (the old pair still stored past the window), the old pair is not sent', () => {
    // NextChat's Retry drops u5/a5 and sends "u5" again; the read still holds them.
    const stored = exchanges(5);
    const out = withWholeChat(request(stored.slice(0, 8), 4, 'u5'), 1, record(stored));
    expect(texts(out.body).slice(1)).toEqual([...stored.slice(0, 8).map((s) => `${s.role}:${s.text}`), 'user:u5']);
  });

  it('an edit NextChat already stored is what goes, in and before the window', () => {
    const stored = exchanges(6);
    stored[2] = kept('user', 'u2 (edited: my sister is called Ilse)');
    stored[10] = kept('user', 'u6 edited');
    const out = withWholeChat(request(stored, 4, 'u7'), 1, record(stored));
    expect(texts(out.body)).toContain('user:u2 (edited: my sister is called Ilse)');
    expect(texts(out.body)).toContain('user:u6 edited');
    expect(texts(out.body).filter((t) => t.startsWith('user:u6'))).toHaveLength(1);
  });

  it('keeps NextChat\'s window when its messages do not match the stored chat (a stale read)', () => {
    const stored = exchanges(6);
    const edited = stored.map((s, i) => (i === 10 ? kept('user', 'changed since the read') : s));
    const body = request(edited, 4, 'u7');
    const out = withWholeChat(body, 1, record(stored));
    expect(out.source).toBe('nextchat-window');
    expect(out.body).toBe(body);
    expect(out.reason).toMatch(/do not match/);
  });

  it('drops NextChat\'s own summary (the messages it summarised are there) and keeps the mask context', () => {
    const stored = exchanges(6);
    const summary = m('system', 'This is a summary of the chat history as a recap: they met at the inn.');
    const context = [m('system', 'You are a pirate.'), m('assistant', 'Arr.')];
    const out = withWholeChat(request(stored, 4, 'u7', [summary, ...context]), 1, record(stored, { memoryPrompt: 'they met at the inn.', contextCount: 2 }));
    expect(out.source).toBe('whole-chat');
    expect(texts(out.body).slice(0, 3)).toEqual([`system:${SYSTEM.content as string}`, 'system:You are a pirate.', 'assistant:Arr.']);
    expect(texts(out.body).some((t) => t.includes('recap'))).toBe(false);
    expect(out.body.messages).toHaveLength(1 + 2 + 12 + 1);
  });

  it('matches a reply NextChat sent without its quoted reasoning lines', () => {
    const stored = [kept('user', 'q'), kept('assistant', '> thinking about it\n\nThe answer is 4.'), kept('user', 'q2'), kept('assistant', 'ok')];
    const body: ChatCompletionBody = { messages: [m('user', 'q'), m('assistant', 'The answer is 4.'), m('user', 'q2'), m('assistant', 'ok'), m('user', 'q3')] };
    const out = withWholeChat(body, 0, record([kept('user', 'first'), kept('assistant', 'hi'), ...stored]));
    expect(texts(out.body)).toEqual(['user:first', 'assistant:hi', 'user:q', 'assistant:The answer is 4.', 'user:q2', 'assistant:ok', 'user:q3']);
  });

  it('takes the latest place a repeated window matches', () => {
    const stored = [kept('user', 'ok'), kept('assistant', 'Sure.'), kept('user', 'x'), kept('assistant', 'y'), kept('user', 'ok'), kept('assistant', 'Sure.')];
    const out = withWholeChat({ messages: [m('user', 'ok'), m('assistant', 'Sure.'), m('user', 'z')] }, 0, record(stored));
    expect(texts(out.body)).toEqual(['user:ok', 'assistant:Sure.', 'user:x', 'assistant:y', 'user:ok', 'assistant:Sure.', 'user:z']);
  });

  it('sends older messages as text, keeping the window\'s images as NextChat sent them', () => {
    const stored = [kept('user', 'look'), kept('assistant', 'a cat'), kept('user', 'and now?'), kept('assistant', 'a dog')];
    const image: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'and now?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] };
    const out = withWholeChat({ messages: [image, m('assistant', 'a dog'), m('user', 'bye')] }, 0, record(stored));
    expect(out.body.messages[0]).toEqual(m('user', 'look'));
    expect(out.body.messages[2]).toBe(image);
  });

  it('leaves a body that does not end with the person\'s message alone', () => {
    const body: ChatCompletionBody = { messages: [m('user', 'a'), m('assistant', 'b')] };
    expect(withWholeChat(body, 0, record(exchanges(3))).body).toBe(body);
  });

  it('a new chat (nothing stored before the turn) adds nothing', () => {
    const out = withWholeChat(request([], 4, 'hello'), 1, record([kept('user', 'hello'), kept('assistant', '')]));
    expect(out).toMatchObject({ source: 'whole-chat', added: 0 });
    expect(texts(out.body)).toEqual([`system:${SYSTEM.content as string}`, 'user:hello']);
  });
});
