import { describe, expect, it } from 'vitest';
import { MAX_PACK_LINK_CHARS } from './limits.ts';
import { MAX_PACK_RELAY_URL_CHARS, packFetchUrl, packLink, parsePackLink, relayHttpUrl } from './link.ts';
import { createPackId, isValidPackId } from './pack-id.ts';
import { createPackKey } from './seal.ts';
import { codeOf } from './test-support.ts';

const ID = 'AAECAwQFBgcICQoLDA0ODw';
const KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';

describe('pack ids', () => {
  it('are 22 base64url characters of 128 random bits', () => {
    const a = createPackId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(isValidPackId(a)).toBe(true);
    expect(createPackId()).not.toBe(a);
    expect(isValidPackId(ID)).toBe(true);
    expect(isValidPackId(ID.slice(0, 21))).toBe(false);
    expect(isValidPackId(`${ID.slice(0, 21)}x`)).toBe(false); // stray bits: not a canonical encoding
    expect(isValidPackId('../../../../etc/passwd')).toBe(false);
  });
});

describe('pack links', () => {
  it('put the key only in the fragment', () => {
    const link = packLink('https://relay.example', ID, KEY);
    expect(link).toBe(`https://relay.example/p/${ID}#${KEY}`);
    expect(new URL(link).hash).toBe(`#${KEY}`);
    expect(new URL(link).pathname).not.toContain(KEY);
    expect(parsePackLink(`  ${link}\n`)).toEqual({ relayUrl: 'https://relay.example', id: ID, key: KEY });
  });

  it('stay within 120 characters: a relay address of 51 characters fits, 52 does not', () => {
    expect(MAX_PACK_RELAY_URL_CHARS).toBe(51);
    const longest = `https://${'r'.repeat(MAX_PACK_RELAY_URL_CHARS - 'https://'.length - '.io'.length)}.io`;
    expect(longest).toHaveLength(51);
    const link = packLink(longest, createPackId(), createPackKey());
    expect(link).toHaveLength(MAX_PACK_LINK_CHARS);
    expect(parsePackLink(link).relayUrl).toBe(longest);
    expect(() => packLink(`${longest}x`.replace('.iox', 'x.io'), ID, KEY)).toThrowError(/51/);
  });

  it('take the relay from the sync address and keep a path prefix', () => {
    expect(relayHttpUrl('wss://relay.example/sync')).toBe('https://relay.example');
    expect(relayHttpUrl('ws://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(relayHttpUrl('https://host.example/troupe/')).toBe('https://host.example/troupe');
    expect(packLink('wss://host.example/troupe/sync', ID, KEY)).toBe(`https://host.example/troupe/p/${ID}#${KEY}`);
    expect(parsePackLink(`https://host.example/troupe/p/${ID}#${KEY}`).relayUrl).toBe('https://host.example/troupe');
    expect(packFetchUrl('wss://relay.example/sync', ID)).toBe(`https://relay.example/packs/${ID}`);
  });

  it('name what is wrong with a bad link', async () => {
    const link = `https://relay.example/p/${ID}#${KEY}`;
    expect(await codeOf(() => parsePackLink('https://relay.example/about'))).toBe('link/not-a-pack-link');
    expect(await codeOf(() => parsePackLink('troupe-pair:v1:abc'))).toBe('link/not-a-pack-link');
    expect(await codeOf(() => parsePackLink(`javascript:alert(1)//p/${ID}#${KEY}`))).toBe('link/not-a-pack-link');
    expect(await codeOf(() => parsePackLink(`https://relay.example/p/${ID}`))).toBe('link/no-key');
    expect(await codeOf(() => parsePackLink(`https://relay.example/p/${ID}#`))).toBe('link/no-key');
    expect(await codeOf(() => parsePackLink(link.slice(0, -1)))).toBe('link/bad-key');
    expect(await codeOf(() => parsePackLink(link.slice(0, -20)))).toBe('link/bad-key');
    expect(await codeOf(() => parsePackLink(`${link}.`))).toBe('link/bad-key');
    expect(await codeOf(() => parsePackLink(`https://relay.example/p/${ID.slice(0, 12)}`))).toBe('link/bad-id');
    expect(await codeOf(() => packLink('ftp://relay.example', ID, KEY))).toBe('link/bad-relay-url');
    expect(await codeOf(() => packLink('https://relay.example/?k=1', ID, KEY))).toBe('link/bad-relay-url');
    expect(await codeOf(() => packLink('https://relay.example', ID, KEY.slice(1)))).toBe('pack/bad-key');
  });

  it('say a cut-off key is cut short', () => {
    expect(() => parsePackLink(`https://relay.example/p/${ID}#${KEY.slice(0, 30)}`)).toThrowError(/30 of 43 characters/);
  });
});
