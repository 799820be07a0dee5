import { describe, expect, it, vi } from 'vitest';
import { OFFSCREEN_PROTOCOL_VERSION, offscreenEnvelope } from '../messaging/protocols/offscreen-protocol.ts';
import { HANDS_FREE_OFF } from '../messaging/protocols/hands-free.ts';
import { handleOffscreenMessage, isTrustedSender, type OffscreenHandlers } from './offscreen-server.ts';

const result = { jobId: 'j1', text: 'Rowan: Hello.', tokens: 4, source: 'local' as const, messageIds: ['m1'] };
const request = { jobId: 'j1', messages: [{ id: 'm1', role: 'user' as const, name: 'Rowan', text: 'Hello.' }], targetTokens: 50, model: 'gpt-4o-mini', endpoint: null };

function handlers(over: Partial<OffscreenHandlers> = {}): OffscreenHandlers {
  return { 'offscreen.ping': async () => ({ version: OFFSCREEN_PROTOCOL_VERSION }), 'summary.run': vi.fn(async () => result), 'voice.play': async () => null, 'voice.stop': async () => null, 'voice.state': async () => ({ status: 'idle', error: null, log: [] }), 'voice.listen.start': async () => ({ ok: true }), 'voice.listen.stop': async () => ({ ok: true, text: 'x', autoSend: true }), 'voice.listen.retry': async () => ({ ok: true, text: 'x', autoSend: true }), 'voice.handsFree.start': async () => ({ ok: true }), 'voice.handsFree.stop': async () => null, 'voice.handsFree.poll': async () => HANDS_FREE_OFF, 'voice.handsFree.replyDone': async () => null, ...over };
}

describe('handleOffscreenMessage', () => {
  it('runs a valid request and answers its value', async () => {
    const h = handlers();
    expect(await handleOffscreenMessage(h, offscreenEnvelope('summary.run', request))).toEqual({ ok: true, value: result });
    expect(h['summary.run']).toHaveBeenCalledWith(request);
    expect(await handleOffscreenMessage(h, offscreenEnvelope('offscreen.ping', {}))).toEqual({ ok: true, value: { version: OFFSCREEN_PROTOCOL_VERSION } });
  });

  it('refuses another version, an unknown type and an invalid payload before running anything', async () => {
    const h = handlers();
    expect(await handleOffscreenMessage(h, { ...offscreenEnvelope('summary.run', request), version: OFFSCREEN_PROTOCOL_VERSION - 1 })).toMatchObject({ ok: false, error: { code: 'message/version' } });
    expect(await handleOffscreenMessage(h, { ...offscreenEnvelope('summary.run', request), type: 'toString' })).toMatchObject({ ok: false, error: { code: 'message/unknown-type' } });
    expect(await handleOffscreenMessage(h, offscreenEnvelope('summary.run', { ...request, targetTokens: -5 }))).toMatchObject({ ok: false, error: { code: 'message/invalid', message: expect.stringContaining('targetTokens') } });
    expect(h['summary.run']).not.toHaveBeenCalled();
  });

  it("turns a handler's failure into a typed error", async () => {
    const failing = handlers({ 'summary.run': async () => { throw Object.assign(new Error('The summary worker stopped.'), { code: 'summary/worker-failed' }); } });
    expect(await handleOffscreenMessage(failing, offscreenEnvelope('summary.run', request))).toEqual({ ok: false, error: { code: 'summary/worker-failed', message: 'The summary worker stopped.' } });
    const plain = handlers({ 'summary.run': async () => { throw new Error('boom'); } });
    expect(await handleOffscreenMessage(plain, offscreenEnvelope('summary.run', request))).toEqual({ ok: false, error: { code: 'offscreen/failed', message: 'boom' } });
  });
});

describe('isTrustedSender', () => {
  const base = 'chrome-extension://abc/';
  it('trusts the service worker and extension pages of this extension only', () => {
    expect(isTrustedSender({ id: 'abc', url: `${base}background.js` }, 'abc', base)).toBe(true);
    expect(isTrustedSender({ id: 'abc', url: `${base}options.html` }, 'abc', base)).toBe(true);
    expect(isTrustedSender({ id: 'abc', url: 'http://127.0.0.1:3000/', tab: { id: 1 } }, 'abc', base)).toBe(false);
    expect(isTrustedSender({ id: 'other', url: 'chrome-extension://other/background.js' }, 'abc', base)).toBe(false);
    expect(isTrustedSender(undefined, 'abc', base)).toBe(false);
  });
});
