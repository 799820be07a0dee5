import { describe, expect, it } from 'vitest';
import { handleRuntimeMessage, pageOriginOf, senderContext, type RuntimeHandlers } from './runtime-server.ts';
import { RUNTIME_PROTOCOL_VERSION } from '../messaging/runtime-protocol.ts';

const calls: unknown[] = [];
const handlers = {
  'characters.create': async (req) => { calls.push(req); return { id: 'c1', ...req, updatedAt: 1 }; },
} as RuntimeHandlers;

const send = (type: string, payload: unknown, sender = 'me', context: 'extension-page' | 'content-script' = 'extension-page') =>
  handleRuntimeMessage(handlers, { troupe: RUNTIME_PROTOCOL_VERSION, type, payload }, sender, 'me', context);

describe('handleRuntimeMessage', () => {
  it('validates and runs a known request', async () => {
    const result = await send('characters.create', { name: '  Mira ', description: 'd', avatar: null });
    expect(result).toEqual({ ok: true, value: { id: 'c1', name: 'Mira', description: 'd', avatar: null, updatedAt: 1 } });
  });

  it.each([
    ['an empty name', { name: '   ', description: '', avatar: null }, 'Name must not be empty'],
    ['a name that is not text', { name: 5, description: '', avatar: null }, 'Name must be text'],
    ['an SVG avatar', { name: 'x', description: '', avatar: 'data:image/svg+xml;base64,PHN2Zz4=' }, 'Avatar must be a PNG, JPEG, WebP or GIF image'],
    ['a missing payload', undefined, 'payload must be an object'],
  ])('refuses %s with a readable reason and runs nothing', async (_name, payload, message) => {
    calls.length = 0;
    expect(await send('characters.create', payload)).toEqual({ ok: false, error: { code: 'message/invalid', message } });
    expect(calls).toEqual([]);
  });

  it('refuses other extensions, old envelopes and unknown types', async () => {
    expect(await send('characters.create', {}, 'someone-else')).toMatchObject({ ok: false, error: { code: 'message/foreign-sender' } });
    expect(await handleRuntimeMessage(handlers, { troupe: 0, type: 'characters.list', payload: {} }, 'me', 'me', 'extension-page')).toMatchObject({ ok: false, error: { code: 'message/version' } });
    expect(await send('__proto__', {})).toMatchObject({ ok: false, error: { code: 'message/unknown-type' } });
  });

  it.each(['sync.createLink', 'sync.setRelay', 'library.export', 'library.delete', 'origins.enable', 'sillytavern.connect', 'prompt.settings.update'])(
    'refuses %s from a content script before validating or running anything',
    async (type) => {
      calls.length = 0;
      expect(await send(type, {}, 'me', 'content-script')).toMatchObject({ ok: false, error: { code: 'message/not-allowed' } });
      expect(calls).toEqual([]);
    },
  );

  it('answers a content script what the panel needs', async () => {
    expect(await send('characters.create', { name: 'Mira', description: '', avatar: null }, 'me', 'content-script')).toMatchObject({ ok: true });
  });

  it('tells Troupe\'s pages from content scripts by the sender\'s URL', () => {
    const base = 'chrome-extension://abc/';
    expect(senderContext({ url: 'chrome-extension://abc/options.html' }, base)).toBe('extension-page');
    expect(senderContext({ url: 'http://127.0.0.1:3000/#/chat' }, base)).toBe('content-script');
    expect(senderContext({ url: 'chrome-extension://other/options.html' }, base)).toBe('content-script');
    expect(senderContext({}, base)).toBe('content-script');
    expect(senderContext(undefined, base)).toBe('content-script');
  });

  it('lets a content script name only its own page\'s chats and site', async () => {
    const chat = { 'chat.get': async ({ chatKey }: { chatKey: string }) => ({ chatKey }), 'origins.confirm': async () => null } as unknown as RuntimeHandlers;
    const ask = (type: string, payload: unknown, origin: string | null) => handleRuntimeMessage(chat, { troupe: 1, type, payload }, 'me', 'me', 'content-script', origin);
    expect(await ask('chat.get', { chatKey: 'http://127.0.0.1:3000#s1' }, 'http://127.0.0.1:3000')).toMatchObject({ ok: true });
    expect(await ask('chat.get', { chatKey: 'http://127.0.0.1:3001#s1' }, 'http://127.0.0.1:3000')).toMatchObject({ ok: false, error: { code: 'message/not-allowed' } });
    expect(await ask('chat.get', { chatKey: 'http://127.0.0.1:3000#s1' }, null)).toMatchObject({ ok: false, error: { code: 'message/not-allowed' } });
    expect(await ask('origins.confirm', { origin: 'http://127.0.0.1:3000' }, 'http://127.0.0.1:3000')).toMatchObject({ ok: true });
    expect(await ask('origins.confirm', { origin: 'http://127.0.0.1:3001' }, 'http://127.0.0.1:3000')).toMatchObject({ ok: false, error: { code: 'message/not-allowed' } });
    // Troupe's own pages may name any.
    expect(await handleRuntimeMessage(chat, { troupe: 1, type: 'chat.get', payload: { chatKey: 'http://x:1#s' } }, 'me', 'me', 'extension-page')).toMatchObject({ ok: true });
    expect(pageOriginOf({ origin: 'http://127.0.0.1:3000' })).toBe('http://127.0.0.1:3000');
    expect(pageOriginOf({ url: 'http://127.0.0.1:3000/#/chat' })).toBe('http://127.0.0.1:3000');
    expect(pageOriginOf({ url: 'not a url' })).toBeNull();
  });

  it('passes a handler\'s coded error through', async () => {
    const failing = { 'chat.get': async () => { throw Object.assign(new Error('gone'), { code: 'character/not-found' }); } } as unknown as RuntimeHandlers;
    expect(await handleRuntimeMessage(failing, { troupe: 1, type: 'chat.get', payload: { chatKey: 'k' } }, 'me', 'me', 'extension-page'))
      .toEqual({ ok: false, error: { code: 'character/not-found', message: 'gone' } });
  });
});
