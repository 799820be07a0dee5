import { describe, expect, it } from 'vitest';
import { splitHostBody } from './assemble-history.ts';
import { bot, nextChatBody, sys, user } from './test-support.ts';

const body = nextChatBody([sys('host'), sys('memory'), sys('mask'), user('a'), bot('b'), user('c')]);
const contents = (parts: ReturnType<typeof splitHostBody>) => ({
  system: parts.system.map((message) => message.content),
  context: parts.context.map((message) => message.content),
  chat: parts.chat.map((message) => message.content),
});

describe('splitHostBody', () => {
  it('takes the system messages after the prefix as kept context by default', () => {
    expect(contents(splitHostBody({ body, hostSystemPrefix: 1 }))).toEqual({ system: ['host'], context: ['memory', 'mask'], chat: ['a', 'b', 'c'] });
  });

  it('uses the context count it is given', () => {
    expect(contents(splitHostBody({ body, hostSystemPrefix: 1, hostContextCount: 1 }))).toEqual({ system: ['host'], context: ['memory'], chat: ['mask', 'a', 'b', 'c'] });
  });

  it('never lets the prefix or the context swallow the new user message', () => {
    expect(contents(splitHostBody({ body, hostSystemPrefix: 99, hostContextCount: 5 }))).toEqual({
      system: ['host', 'memory', 'mask', 'a', 'b'],
      context: [],
      chat: ['c'],
    });
    const onlySystem = nextChatBody([sys('host'), sys('one'), sys('two')]);
    expect(contents(splitHostBody({ body: onlySystem, hostSystemPrefix: 1 }))).toEqual({ system: ['host'], context: ['one'], chat: ['two'] });
  });

  it('reads a bad count as none', () => {
    expect(contents(splitHostBody({ body, hostSystemPrefix: Number.NaN, hostContextCount: -3 }))).toEqual({
      system: [],
      context: [],
      chat: ['host', 'memory', 'mask', 'a', 'b', 'c'],
    });
  });
});
