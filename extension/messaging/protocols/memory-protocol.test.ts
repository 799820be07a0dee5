import { describe, expect, it } from 'vitest';
import { MAX_FACT_CHARS } from '@troupe/shared/docs';
import { MEMORY_VALIDATORS as V } from './memory-protocol.ts';
import { CONTENT_SCRIPT_TYPES } from '../runtime-protocol.ts';
import { MAX_API_KEY } from './offscreen-protocol.ts';

describe('memory validators', () => {
  it('accept a read, a new fact (trimmed), an edit and a removal, keeping only known fields', () => {
    expect(V['memory.get']({ chatKey: 'o#1', extra: true })).toEqual({ chatKey: 'o#1' });
    expect(V['memory.facts.add']({ chatKey: 'o#1', text: '  Ilse keeps bees.\n' })).toEqual({ chatKey: 'o#1', text: 'Ilse keeps bees.' });
    expect(V['memory.facts.update']({ chatKey: 'o#1', id: 'f1', text: 'Ilse moved.' })).toEqual({ chatKey: 'o#1', id: 'f1', text: 'Ilse moved.' });
    expect(V['memory.facts.remove']({ chatKey: 'o#1', id: 'f1' })).toEqual({ chatKey: 'o#1', id: 'f1' });
    expect(V['memory.facts.promote']({ chatKey: 'o#1', messageId: 'm1', text: 'ignored' })).toEqual({ chatKey: 'o#1', messageId: 'm1' });
    expect(V['memory.longTerm.set']({ chatKey: 'o#1', on: true })).toEqual({ chatKey: 'o#1', on: true });
  });

  it.each([
    ['an empty fact', () => V['memory.facts.add']({ chatKey: 'o#1', text: '   ' }), 'text must not be empty'],
    ['a fact past the limit', () => V['memory.facts.add']({ chatKey: 'o#1', text: 'x'.repeat(MAX_FACT_CHARS + 1) }), `text is longer than ${MAX_FACT_CHARS} characters`],
    ['no chat', () => V['memory.get']({}), 'chatKey must be text'],
    ['an edit without an id', () => V['memory.facts.update']({ chatKey: 'o#1', id: '', text: 'x' }), 'id must not be empty'],
    ['a message to pin without its id', () => V['memory.facts.promote']({ chatKey: 'o#1', messageId: '' }), 'messageId must not be empty'],
    ['a long-term switch that is not true or false', () => V['memory.longTerm.set']({ chatKey: 'o#1', on: 'yes' }), 'on must be true or false'],
  ])('refuse %s with a reason', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  it('take a chat endpoint report by the offscreen channel\'s endpoint rules, its credential trimmed or null', () => {
    const report = { chatKey: 'http://127.0.0.1:3000#s1', url: 'http://127.0.0.1:3000/api/openai/v1/chat/completions', model: 'gpt-4o-mini', credential: ' nk-code ', extra: 1 };
    expect(V['memory.chatEndpoint'](report)).toEqual({ chatKey: report.chatKey, url: report.url, model: 'gpt-4o-mini', credential: 'nk-code' });
    expect(V['memory.chatEndpoint']({ ...report, credential: null })).toMatchObject({ credential: null });
    expect(() => V['memory.chatEndpoint']({ ...report, url: 'file:///etc/passwd' })).toThrow('endpoint.url must be an http or https address');
    expect(() => V['memory.chatEndpoint']({ ...report, url: 'https://ann:pw@llm.example/v1/chat/completions' })).toThrow('must not carry a user name or password');
    expect(() => V['memory.chatEndpoint']({ ...report, model: '' })).toThrow('endpoint.model must not be empty');
    expect(() => V['memory.chatEndpoint']({ ...report, credential: 'sk-1\r\nX-Evil: 1' })).toThrow('must not contain control characters');
    expect(() => V['memory.chatEndpoint']({ ...report, credential: undefined })).toThrow('credential must be text');
    expect(() => V['memory.chatEndpoint']({ ...report, credential: 'k'.repeat(MAX_API_KEY + 1) })).toThrow(`longer than ${MAX_API_KEY}`);
  });

  it('are open to the panel (a content script), as the memory section needs', () => {
    for (const type of ['memory.get', 'memory.facts.add', 'memory.facts.update', 'memory.facts.remove'] as const) expect(CONTENT_SCRIPT_TYPES.has(type)).toBe(true);
  });
});
