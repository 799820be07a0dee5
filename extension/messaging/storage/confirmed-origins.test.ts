import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { confirmedOriginsSetting, confirmOrigin, isOriginConfirmed, MAX_CONFIRMED_ORIGINS, originOfPattern } from './confirmed-origins.ts';

beforeEach(() => { fakeBrowser.reset(); });

describe('confirmed origins', () => {
  it('remembers a site once confirmed, and only that site (scheme, host and port)', async () => {
    expect(await isOriginConfirmed('http://127.0.0.1:3000')).toBe(false);
    await confirmOrigin('http://127.0.0.1:3000');
    await confirmOrigin('http://127.0.0.1:3000');
    expect(await isOriginConfirmed('http://127.0.0.1:3000')).toBe(true);
    expect(await isOriginConfirmed('http://127.0.0.1:3001')).toBe(false);
    expect(await isOriginConfirmed('https://127.0.0.1:3000')).toBe(false);
    expect(await confirmedOriginsSetting.getValue()).toEqual(['http://127.0.0.1:3000']);
  });

  it('keeps the newest confirmations when the list is full', async () => {
    await confirmedOriginsSetting.setValue(Array.from({ length: MAX_CONFIRMED_ORIGINS }, (_, i) => `http://127.0.0.1:${1000 + i}`));
    await confirmOrigin('http://localhost:3000');
    const kept = await confirmedOriginsSetting.getValue();
    expect(kept).toHaveLength(MAX_CONFIRMED_ORIGINS);
    expect(kept.at(-1)).toBe('http://localhost:3000');
    expect(kept).not.toContain('http://127.0.0.1:1000');
  });

  it.each([
    ['http://chat.example:8080/*', 'http://chat.example:8080'],
    ['https://chat.example/*', 'https://chat.example'],
    ['http://*/*', null],
  ])('reads the origin of the match pattern %s', (pattern, origin) => {
    expect(originOfPattern(pattern)).toBe(origin);
  });
});

describe('the confirmation messages', async () => {
  const { ORIGINS_VALIDATORS } = await import('../protocols/origins-protocol.ts');
  it('take an http(s) origin exactly as URL writes it, and nothing else', () => {
    expect(ORIGINS_VALIDATORS['origins.confirm']({ origin: 'http://127.0.0.1:3000' })).toEqual({ origin: 'http://127.0.0.1:3000' });
    for (const origin of ['http://127.0.0.1:3000/', 'chrome-extension://abc', 'HTTP://Example.com', 'not a url', 42]) {
      expect(() => ORIGINS_VALIDATORS['origins.isConfirmed']({ origin })).toThrow(/origin/);
    }
  });
});
