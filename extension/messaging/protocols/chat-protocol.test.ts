import { describe, expect, it } from 'vitest';
import { MAX_AUTHOR_NOTE, MAX_AUTHOR_NOTE_DEPTH, MAX_BOUND_LOREBOOKS } from '../limits/prompt.ts';
import { MessageError } from '../validate.ts';
import { CHAT_VALIDATORS as V } from './chat-protocol.ts';

const note = { text: 'Be brief.', depth: 1, everyN: 0, role: 'system' };

describe('chat settings validators', () => {
  it('accept a partial update and keep only the fields that were sent', () => {
    expect(V['chat.settings.update']({ chatKey: 'o#1', authorNote: note, extra: true })).toEqual({ chatKey: 'o#1', authorNote: note });
    expect(V['chat.settings.update']({ chatKey: 'o#1', persona: null })).toEqual({ chatKey: 'o#1', persona: null });
    expect(V['chat.settings.update']({ chatKey: 'o#1', persona: { name: 'Ann', description: '' }, greetingIndex: 2, defaultPersona: { name: 'Bo', description: 'x' } }))
      .toEqual({ chatKey: 'o#1', persona: { name: 'Ann', description: '' }, greetingIndex: 2, defaultPersona: { name: 'Bo', description: 'x' } });
    expect(V['chat.settings.get']({ chatKey: 'o#1' })).toEqual({ chatKey: 'o#1' });
    expect(V['chat.settings.update']({ chatKey: 'o#1', lorebookIds: ['a', 'b'], hostSystemMode: 'keep' })).toEqual({ chatKey: 'o#1', lorebookIds: ['a', 'b'], hostSystemMode: 'keep' });
    // null: follow the global setting again.
    expect(V['chat.settings.update']({ chatKey: 'o#1', hostSystemMode: null })).toEqual({ chatKey: 'o#1', hostSystemMode: null });
  });

  it.each([
    ['a book list that is not a list', { lorebookIds: 'a' }, 'lorebookIds must be a list of lorebook ids'],
    ['an empty book id', { lorebookIds: ['a', ''] }, 'lorebookIds[1] must not be empty'],
    ['a book id that is not text', { lorebookIds: [7] }, 'lorebookIds[0] must be text'],
    ['a book listed twice', { lorebookIds: ['a', 'b', 'a'] }, 'lorebookIds lists the lorebook a twice'],
    ['too many books', { lorebookIds: Array.from({ length: MAX_BOUND_LOREBOOKS + 1 }, (_, i) => `b${i}`) }, `lorebookIds may list at most ${MAX_BOUND_LOREBOOKS} lorebooks`],
    ['an unknown system prompt mode', { hostSystemMode: 'replace' }, 'hostSystemMode must be one of drop, keep, merge'],
  ])('refuse %s with a reason', (_name, fields, message) => {
    expect(() => V['chat.settings.update']({ chatKey: 'o#1', ...fields })).toThrow(message);
  });

  it.each([
    ['a negative depth', { authorNote: { ...note, depth: -1 } }],
    ['a depth past the limit', { authorNote: { ...note, depth: MAX_AUTHOR_NOTE_DEPTH + 1 } }],
    ['a fractional every-N', { authorNote: { ...note, everyN: 1.5 } }],
    ['an unknown role', { authorNote: { ...note, role: 'tool' } }],
    ['a note past the limit', { authorNote: { ...note, text: 'x'.repeat(MAX_AUTHOR_NOTE + 1) } }],
    ['a persona without a name', { persona: { description: 'x' } }],
    ['a greeting index as text', { greetingIndex: '1' }],
  ])('refuse %s', (_name, fields) => {
    expect(() => V['chat.settings.update']({ chatKey: 'o#1', ...fields })).toThrow(MessageError);
  });
});
