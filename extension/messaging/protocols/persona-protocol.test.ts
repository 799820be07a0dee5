import { describe, expect, it } from 'vitest';
import { MAX_PERSONA_NAME } from '../limits/prompt.ts';
import { PERSONA_VALIDATORS as V } from './persona-protocol.ts';
import { CHAT_VALIDATORS } from './chat-protocol.ts';

describe('persona validators', () => {
  it('accept a new persona, an edit that keeps, replaces or removes the avatar, and a delete', () => {
    expect(V['personas.save']({ id: null, name: 'Ann', description: '', extra: 1 })).toEqual({ id: null, name: 'Ann', description: '' });
    expect(V['personas.save']({ id: 'p1', name: 'Ann', description: 'x', avatar: { base64: 'iVBORw0KGgo=' } }))
      .toEqual({ id: 'p1', name: 'Ann', description: 'x', avatar: { base64: 'iVBORw0KGgo=' } });
    expect(V['personas.save']({ id: 'p1', name: 'Ann', description: 'x', avatar: null })).toEqual({ id: 'p1', name: 'Ann', description: 'x', avatar: null });
    expect(V['personas.delete']({ id: 'p1' })).toEqual({ id: 'p1' });
  });

  it.each([
    ['an empty name', { id: null, name: '', description: '' }, 'name must not be empty'],
    ['a name that is too long', { id: null, name: 'x'.repeat(MAX_PERSONA_NAME + 1), description: '' }, `name is longer than ${MAX_PERSONA_NAME} characters`],
    ['an avatar that is not base64', { id: null, name: 'Ann', description: '', avatar: { base64: 'not base64!' } }, 'avatar.base64 must be base64'],
    ['an avatar given as a URL', { id: null, name: 'Ann', description: '', avatar: 'https://example.com/a.png' }, 'avatar must be an object'],
  ])('refuse %s with a reason', (_name, payload, message) => {
    expect(() => V['personas.save'](payload)).toThrow(message);
  });

  it('let a chat follow a saved persona by id', () => {
    expect(CHAT_VALIDATORS['chat.settings.update']({ chatKey: 'o#1', persona: { id: 'p1', name: 'Ann', description: '' } }))
      .toEqual({ chatKey: 'o#1', persona: { id: 'p1', name: 'Ann', description: '' } });
    expect(() => CHAT_VALIDATORS['chat.settings.update']({ chatKey: 'o#1', persona: { id: 7, name: 'Ann', description: '' } })).toThrow('persona.id must be text');
  });
});
