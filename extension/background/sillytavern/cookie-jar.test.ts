// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { parseSetCookie, withCookieJar } from './cookie-jar.ts';
import type { FetchLike } from './cookie-jar.ts';

interface Seen {
  url: string;
  cookie: string | null;
}

/** A fake server: records the Cookie header it got and answers with the given Set-Cookie headers. */
function fakeServer(setCookies: string[][]): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  let call = 0;
  const fetch: FetchLike = async (input, init) => {
    const url = input instanceof URL ? input.href : typeof input === 'string' ? input : input.url;
    seen.push({ url, cookie: new Headers(init?.headers).get('cookie') });
    const headers = new Headers();
    for (const value of setCookies[call++] ?? []) headers.append('set-cookie', value);
    return new Response('{}', { headers });
  };
  return { fetch, seen };
}

describe('withCookieJar', () => {
  it('sends cookies back to the origin that set them, and only there', async () => {
    const server = fakeServer([['session-1=abc; path=/; samesite=lax; httponly', 'session-1.sig=xyz; path=/'], [], []]);
    const fetch = withCookieJar(server.fetch);
    await fetch('http://127.0.0.1:8000/csrf-token');
    await fetch('http://127.0.0.1:8000/api/characters/all', { method: 'POST', headers: { 'x-csrf-token': 't' } });
    await fetch('http://127.0.0.1:9000/csrf-token');
    expect(server.seen.map((s) => s.cookie)).toEqual([null, 'session-1=abc; session-1.sig=xyz', null]);
    expect(fetch.cookies('http://127.0.0.1:8000/')).toEqual({ 'session-1': 'abc', 'session-1.sig': 'xyz' });
  });

  it('keeps the caller\'s own headers and Cookie', async () => {
    const server = fakeServer([['a=1'], []]);
    const fetch = withCookieJar(server.fetch);
    await fetch(new URL('http://h.test/'));
    await fetch('http://h.test/x', { headers: { cookie: 'mine=2' } });
    expect(server.seen[1]?.cookie).toBe('mine=2; a=1');
  });

  it('replaces a cookie set again and forgets a deleted one', async () => {
    const server = fakeServer([['a=1', 'b=2'], ['a=3', 'b=; Max-Age=0'], [], ['a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], []]);
    const fetch = withCookieJar(server.fetch);
    await fetch('http://h.test/1');
    await fetch('http://h.test/2');
    await fetch('http://h.test/3');
    await fetch('http://h.test/4');
    await fetch('http://h.test/5');
    expect(server.seen.map((s) => s.cookie)).toEqual([null, 'a=1; b=2', 'a=3', 'a=3', null]);
  });
});

describe('parseSetCookie', () => {
  it('reads name and value, keeping `=` inside the value', () => {
    expect(parseSetCookie('s=eyJ0b2tlbiI6IjEifQ==; path=/')).toEqual({ name: 's', value: 'eyJ0b2tlbiI6IjEifQ==', remove: false });
  });

  it('refuses headers without a name', () => {
    expect(parseSetCookie('=x')).toBeNull();
    expect(parseSetCookie('novalue')).toBeNull();
  });

  it('treats a future Expires as a live cookie', () => {
    expect(parseSetCookie('a=1; Expires=Sun, 26 Dec 2027 16:44:58 GMT', Date.parse('2026-11-21'))?.remove).toBe(false);
  });
});
