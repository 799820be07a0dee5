import { describe, expect, it } from 'vitest';
import { MAX_WHOLE_CHAT_CHARS } from '../../messaging/limits/prompt.ts';
import { readChatStore } from './session-record.ts';
import { storeJson } from './test-support.ts';

const msg = (role: string, content: unknown, extra: object = {}) => ({ id: `m${Math.random()}`, date: '', role, content, ...extra });

describe('readChatStore', () => {
  it('gives the current session and any session\'s chat as NextChat would let the model see it', () => {
    const session = {
      id: 's2',
      memoryPrompt: 'They met at the inn.',
      clearContextIndex: 1,
      mask: { context: [{ role: 'system', content: 'You are a pirate.' }] },
      messages: [
        msg('user', 'before the clear-context mark'),
        msg('user', 'Hello'),
        msg('assistant', 'failed', { isError: true }),
        msg('assistant', [{ type: 'text', text: 'Ahoy' }, { type: 'image_url', image_url: { url: 'data:x' } }, { type: 'text', text: 'there' }]),
        msg('tool', 'not a chat role'),
        msg('user', 'Next'),
        msg('assistant', '', { streaming: true }),
      ],
    };
    const read = readChatStore(storeJson([{ id: 's1' }, session], 1))!;
    expect(read.currentSessionId).toBe('s2');
    const record = read.record('s2')!;
    expect(record.messages.every((m) => typeof m.id === 'string')).toBe(true);
    expect({ ...record, messages: record.messages.map(({ role, text }) => ({ role, text })) }).toEqual({
      messages: [{ role: 'user', text: 'Hello' }, { role: 'assistant', text: 'Ahoy\nthere' }, { role: 'user', text: 'Next' }, { role: 'assistant', text: '' }],
      memoryPrompt: 'They met at the inn.',
      contextCount: 1,
    });
    expect(read.record('s1')).toEqual({ messages: [], memoryPrompt: '', contextCount: 0 });
    expect(read.record('gone')).toBeNull();
  });

  it('keeps the newest messages when the chat passes MAX_WHOLE_CHAT_CHARS', () => {
    const big = 'x'.repeat(MAX_WHOLE_CHAT_CHARS / 4);
    const messages = [msg('user', `oldest ${big}`), ...Array.from({ length: 4 }, (_, i) => msg('user', `${i} ${big}`.slice(0, MAX_WHOLE_CHAT_CHARS / 4 - 10)))];
    const record = readChatStore(storeJson([{ id: 's1', messages } as { id: string }], 0))!.record('s1')!;
    expect(record.messages).toHaveLength(4);
    expect(record.messages[0]!.text.startsWith('0 ')).toBe(true);
  });

  it('reads nothing from what is not NextChat\'s store', () => {
    for (const value of [undefined, 42, 'not json', '{"state":null}', '{"state":{"sessions":"no"}}']) expect(readChatStore(value)).toBeNull();
    expect(readChatStore(JSON.stringify({ state: { sessions: [{ id: 's1' }] } }))!.currentSessionId).toBeNull();
  });
  it('gives memory the whole transcript with ids: before the clear-context mark too, never a failed or still streaming reply', () => {
    const session = {
      id: 's1',
      clearContextIndex: 2,
      messages: [
        { id: 'a', role: 'user', content: 'before the mark' },
        { id: 'b', role: 'assistant', content: 'still remembered' },
        { id: 'c', role: 'user', content: 'Hello' },
        { id: 'd', role: 'assistant', content: 'oops', isError: true },
        { role: 'assistant', content: 'no id' },
        { id: 'e', role: 'assistant', content: 'typing…', streaming: true },
      ],
    };
    const read = readChatStore(storeJson([session as { id: string }], 0))!;
    expect(read.transcript('s1')).toEqual([
      { id: 'a', role: 'user', text: 'before the mark' }, { id: 'b', role: 'assistant', text: 'still remembered' }, { id: 'c', role: 'user', text: 'Hello' },
    ]);
    expect(read.record('s1')!.messages.map((m) => m.id ?? null)).toEqual(['c', null, 'e']);
    expect(read.transcript('gone')).toBeNull();
  });
});
