import { describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode } from './bytes.ts';
import { embeddedPath, readCharx, writeCharx } from './charx.ts';
import { type CardWarning } from './errors.ts';
import { resolveLimits } from './limits.ts';
import type { Asset, Character, JsonObject } from './model.ts';
import { normalizeCharacterCard } from './normalize-character.ts';
import { errorCode, FIXTURES, rawZip, readFixture, sameBytes } from './test-support.ts';
import { readZip } from './zip.ts';

const limits = resolveLimits();

function character(data: JsonObject): Character {
  return normalizeCharacterCard({ spec: 'chara_card_v3', spec_version: '3.0', data }, { warnings: [], limits }).character;
}

function png(seed: number): Uint8Array {
  return readFixture(FIXTURES.ccv3OnlyPng).map((b, i) => (i === 0 ? b : b ^ seed));
}

describe('embeddedPath', () => {
  it('reads both spellings and nothing else', () => {
    expect(embeddedPath('embeded://assets/a.png')).toBe('assets/a.png');
    expect(embeddedPath('embedded://assets/a.png')).toBe('assets/a.png');
    expect(embeddedPath('ccdefault:')).toBeUndefined();
    expect(embeddedPath('https://x.invalid/a.png')).toBeUndefined();
  });
});

describe('readCharx', () => {
  it('reads the synthetic CHARX: card.json plus every asset the card points at', () => {
    const warnings: CardWarning[] = [];
    const { json, assets } = readCharx(readFixture(FIXTURES.charx), limits, warnings);
    const card = json as { data: { assets: { uri: string }[] } };
    expect(assets.map((a) => a.uri).sort()).toEqual(card.data.assets.map((a) => a.uri).sort());
    const icon = assets.find((a) => a.path === 'assets/icon/images/main.png');
    expect(icon).toMatchObject({ name: 'main.png', mime: 'image/png', uri: 'embeded://assets/icon/images/main.png' });
    expect(icon?.bytes.length).toBe(8487);
    expect(warnings).toEqual([]);
  });

  it('refuses a zip without card.json', () => {
    const zip = rawZip([{ name: 'other.json', content: utf8Encode('{}') }]);
    expect(errorCode(() => readCharx(zip, limits, []))).toBe('charx/no-card-json');
  });

  it('refuses a card.json in a sub-folder as no card.json', () => {
    const zip = rawZip([{ name: 'x/card.json', content: utf8Encode('{}') }]);
    expect(errorCode(() => readCharx(zip, limits, []))).toBe('charx/no-card-json');
  });

  it('refuses a card.json that is not JSON', () => {
    const zip = rawZip([{ name: 'card.json', content: utf8Encode('{nope') }]);
    expect(errorCode(() => readCharx(zip, limits, []))).toBe('json/malformed');
  });

  it('refuses path traversal anywhere in the archive', () => {
    const zip = rawZip([{ name: 'card.json', content: utf8Encode('{}') }, { name: '../../outside.png', content: new Uint8Array([1]) }]);
    expect(errorCode(() => readCharx(zip, limits, []))).toBe('zip/path-traversal');
  });
});

describe('writeCharx', () => {
  it('round-trips the fixture: same card, same files', () => {
    const { json, assets } = readCharx(readFixture(FIXTURES.charx), limits, []);
    const card = normalizeCharacterCard(json, { warnings: [], limits }).character;
    const again = readCharx(writeCharx(card, assets), limits, []);
    expect(normalizeCharacterCard(again.json, { warnings: [], limits }).character).toEqual(card);
    expect(again.assets.map((a) => a.uri)).toEqual(assets.map((a) => a.uri));
    again.assets.forEach((asset, i) => expect(sameBytes(asset.bytes, assets[i]!.bytes)).toBe(true));
  });

  it('stores images without deflating them again and card.json compressed', () => {
    const card = character({ name: 'Z', description: 'long text '.repeat(500) });
    const zip = writeCharx(card, [{ uri: 'embeded://assets/a.png', name: 'a.png', path: 'assets/a.png', mime: 'image/png', bytes: new Uint8Array(2000) }]);
    const files = readZip(zip, limits);
    expect(files.map((f) => f.path)).toEqual(['card.json', 'assets/a.png']);
    expect(zip.length).toBeLessThan(2000 + 5000);
  });

  it('turns a PNG card’s default image into an embedded icon', () => {
    const card = character({ name: 'P', assets: [{ type: 'icon', uri: 'ccdefault:', name: 'main', ext: 'png' }, { type: 'background', uri: 'https://x.invalid/bg.png', name: 'bg', ext: 'png' }] });
    const avatar: Asset = { uri: 'ccdefault:', name: 'p.png', mime: 'image/png', bytes: png(1) };
    const { json, assets } = readCharx(writeCharx(card, [avatar]), limits, []);
    expect((json as { data: { assets: unknown } }).data.assets).toEqual([
      { type: 'icon', uri: 'embeded://assets/icon/images/main.png', name: 'main', ext: 'png' },
      { type: 'background', uri: 'https://x.invalid/bg.png', name: 'bg', ext: 'png' },
    ]);
    expect(assets).toHaveLength(1);
    expect(sameBytes(assets[0]!.bytes, avatar.bytes)).toBe(true);
  });

  it('adds an icon entry for a card without an asset list', () => {
    const { json } = readCharx(writeCharx(character({ name: 'P' }), [{ uri: 'ccdefault:', name: 'p.webp', mime: 'image/webp', bytes: new Uint8Array([1, 2]) }]), limits, []);
    expect((json as { data: { assets: unknown } }).data.assets).toEqual([{ type: 'icon', uri: 'embeded://assets/icon/images/main.webp', name: 'main', ext: 'webp' }]);
  });

  it('does not overwrite an embedded file that already uses the default icon path', () => {
    const card = character({ name: 'P', assets: [{ type: 'icon', uri: 'ccdefault:', name: 'main', ext: 'png' }] });
    const existing: Asset = { uri: 'embeded://assets/icon/images/main.png', name: 'main.png', mime: 'image/png', bytes: png(2) };
    const avatar: Asset = { uri: 'ccdefault:', name: 'a.png', mime: 'image/png', bytes: png(3) };
    const { assets } = readCharx(writeCharx(card, [existing, avatar]), limits, []);
    expect(assets.map((a) => a.path)).toEqual(['assets/icon/images/main.png', 'assets/icon/images/main-2.png']);
  });

  it('leaves out the default image when the card’s own asset list does not use it', () => {
    const card = character({ name: 'P', assets: [{ type: 'icon', uri: 'embeded://assets/icon/images/real.png', name: 'main', ext: 'png' }] });
    const { assets } = readCharx(
      writeCharx(card, [
        { uri: 'embeded://assets/icon/images/real.png', name: 'real.png', mime: 'image/png', bytes: png(4) },
        { uri: 'ccdefault:', name: 'a.png', mime: 'image/png', bytes: png(5) },
      ]),
      limits,
      [],
    );
    expect(assets.map((a) => a.path)).toEqual(['assets/icon/images/real.png']);
  });

  it('refuses assets whose URIs would escape the archive or replace card.json', () => {
    const card = character({ name: 'P' });
    const asset = (uri: string): Asset => ({ uri, name: 'x', mime: 'image/png', bytes: new Uint8Array([1]) });
    expect(errorCode(() => writeCharx(card, [asset('embeded://../evil.png')]))).toBe('zip/path-traversal');
    expect(errorCode(() => writeCharx(card, [asset('embeded:///abs.png')]))).toBe('zip/path-traversal');
    expect(errorCode(() => writeCharx(card, [asset('embeded://card.json')]))).toBe('zip/duplicate-entry');
  });

  it('writes readable, pretty card.json', () => {
    const files = readZip(writeCharx(character({ name: 'Pretty' }), []), limits);
    expect(utf8Decode(files[0]!.bytes)).toContain('\n  "data": {');
  });
});
