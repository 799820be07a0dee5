import { describe, expect, it } from 'vitest';
import { MAX_PACK_CHARACTERS } from '@troupe/shared/packs';
import { PACKS_VALIDATORS as V } from './packs-protocol.ts';
import { CONTENT_SCRIPT_TYPES } from '../runtime-protocol.ts';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const invalid = expect.objectContaining({ code: 'message/invalid' });

describe('packs protocol validators', () => {
  it('accept well-formed requests and drop unknown fields and repeated ids', () => {
    expect(V['packs.share']({ characterIds: ['a', 'b', 'a'], expiry: '7d', extra: 1 })).toEqual({ characterIds: ['a', 'b'], expiry: '7d' });
    expect(V['packs.shared.setExpiry']({ id: ID, expiry: 'never' })).toEqual({ id: ID, expiry: 'never' });
    expect(V['packs.shared.stop']({ id: ID })).toEqual({ id: ID });
    expect(V['packs.preview']({ link: 'http://127.0.0.1:8787/p/x#y' })).toEqual({ link: 'http://127.0.0.1:8787/p/x#y' });
    expect(V['packs.import']({ link: 'l', version: 2, replace: { characters: [0, 2, 2], lorebooks: [] } })).toEqual({ link: 'l', version: 2, replace: { characters: [0, 2], lorebooks: [] } });
    expect(V['packs.imported.check']({ force: true })).toEqual({ force: true });
    expect(V['packs.openFromPage']({ origin: 'https://relay.example', link: 'https://relay.example/p/x#y' })).toEqual({ origin: 'https://relay.example', link: 'https://relay.example/p/x#y' });
  });

  it.each([
    ['packs.share', { characterIds: [], expiry: 'never' }, 'characterIds must not be empty'],
    ['packs.share', { characterIds: Array.from({ length: MAX_PACK_CHARACTERS + 1 }, (_, i) => `c${i}`), expiry: 'never' }, `characterIds has more than ${MAX_PACK_CHARACTERS} items`],
    ['packs.share', { characterIds: ['a'], expiry: '1y' }, 'expiry must be one of never, 1d, 7d, 30d'],
    ['packs.share', { characterIds: [7], expiry: 'never' }, 'characterIds[0] must be text'],
    ['packs.shared.update', { id: 'short' }, 'id is too short'],
    ['packs.shared.update', { id: 'AAAAAAAAAAAAAAAAAAAAA!' }, 'id must be a pack id'],
    ['packs.preview', { link: '' }, 'link must not be empty'],
    ['packs.preview', { link: 'x'.repeat(5_000) }, 'link is longer than'],
    ['packs.import', { link: 'l', version: 0, replace: { characters: [], lorebooks: [] } }, 'version must be a whole number from 1'],
    ['packs.import', { link: 'l', version: 1, replace: { characters: [-1], lorebooks: [] } }, 'replace.characters[0] must be a whole number'],
    ['packs.import', { link: 'l', version: 1 }, 'replace must be an object'],
    ['packs.imported.check', { force: 'yes' }, 'force must be true or false'],
    ['packs.openFromPage', { origin: 'javascript:alert(1)', link: 'l' }, 'origin must be an http(s) origin'],
    ['packs.openFromPage', { origin: 'https://relay.example/path', link: 'l' }, 'origin must be an http(s) origin'],
  ] as const)('refuse %s %j with a reason', (type, payload, message) => {
    expect(() => V[type](payload)).toThrow(invalid);
    expect(() => V[type](payload)).toThrow(message);
  });

  it('let a web page ask only to open its own link, nothing else of packs', () => {
    const fromPages = Object.keys(V).filter((type) => CONTENT_SCRIPT_TYPES.has(type as keyof typeof V));
    expect(fromPages).toEqual(['packs.openFromPage']);
  });
});
