import { describe, expect, it } from 'vitest';
import { MAX_AUTHOR_NOTE, MAX_AUTHOR_NOTE_DEPTH } from '../../prompt-service/limits.ts';
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
