/** Hostile input, end to end through parseCardFile and the writers. */
import { describe, expect, it } from 'vitest';
import { bytesToBase64, utf8Encode } from './bytes.ts';
import { CardError } from './errors.ts';
import { exportCharacterCharx, exportCharacterJson, exportCharacterPng, exportLorebookJson, exportWorldInfoJson } from './export.ts';
import type { Character, JsonObject, Lorebook } from './model.ts';
import { parseCardFile, parseCardObject } from './parse.ts';
import { base64Json, errorCode, pngWith, prototypeIsClean, rawZip, tEXt, zTXt } from './test-support.ts';

/** A card whose JSON text puts __proto__/constructor/prototype keys everywhere they can go. */
const hostileCardText = `{
  "__proto__": {"polluted": "top"},
  "constructor": {"prototype": {"polluted": "ctor"}},
  "spec": "chara_card_v3",
  "spec_version": "3.0",
  "data": {
    "__proto__": {"polluted": "data"},
    "name": "Mallory",
    "extensions": {"__proto__": {"polluted": "ext"}, "safe": {"__proto__": {"polluted": "deep"}}},
    "assets": [{"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png", "__proto__": {"polluted": "asset"}}],
    "creator_notes_multilingual": {"__proto__": "x", "en": "hi"},
    "character_book": {
      "__proto__": {"polluted": "book"},
      "extensions": {"prototype": {"polluted": "bookext"}},
      "entries": [{"keys": ["a"], "content": "b", "__proto__": {"polluted": "entry"}, "extensions": {"__proto__": {"polluted": "entryext"}}}]
    }
  }
}`;

const hostileWorldInfoText = `{
  "__proto__": {"polluted": "wi"},
  "entries": {
    "__proto__": {"uid": 0, "key": ["x"], "content": "y"},
    "0": {"uid": 0, "key": ["a"], "content": "b", "__proto__": {"polluted": "wientry"}, "extensions": {"__proto__": {"polluted": "wiext"}}}
  }
}`;

function expectNoDangerousKeys(value: unknown, path = '$'): void {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return;
  expect(Object.getPrototypeOf(value) === Object.prototype || Array.isArray(value), path).toBe(true);
  for (const key of Object.keys(value)) {
    expect(['__proto__', 'constructor', 'prototype'], `${path}.${key}`).not.toContain(key);
    expectNoDangerousKeys((value as Record<string, unknown>)[key], `${path}.${key}`);
  }
}

describe('prototype pollution', () => {
  it('never happens through a JSON card, and the keys are gone from the model', () => {
    const parsed = parseCardFile(utf8Encode(hostileCardText));
    expect(prototypeIsClean()).toBe(true);
    expectNoDangerousKeys(parsed);
    expect(parsed.warnings.some((w) => /__proto__/.test(w.message))).toBe(true);
  });

  it('never happens through a PNG chunk (tEXt or zTXt)', () => {
    const payload = bytesToBase64(utf8Encode(hostileCardText));
    for (const chunk of [tEXt('ccv3', payload), zTXt('chara', payload)]) {
      expectNoDangerousKeys(parseCardFile(pngWith([chunk])));
      expect(prototypeIsClean()).toBe(true);
    }
  });

  it('never happens through a CHARX card.json', () => {
    const zip = rawZip([{ name: 'card.json', content: utf8Encode(hostileCardText) }]);
    expectNoDangerousKeys(parseCardFile(zip));
    expect(prototypeIsClean()).toBe(true);
  });

  it('never happens through World Info', () => {
    const parsed = parseCardFile(utf8Encode(hostileWorldInfoText));
    expectNoDangerousKeys(parsed);
    expect(prototypeIsClean()).toBe(true);
    if (parsed.kind !== 'lorebook') throw new Error('expected a lorebook');
    expect(parsed.lorebook.entries).toHaveLength(1);
  });

  it('never happens through objects handed over directly, or when writing them', () => {
    const card = JSON.parse(hostileCardText) as JsonObject;
    const parsed = parseCardObject(card);
    expectNoDangerousKeys(parsed);
    // A model built elsewhere with own __proto__ keys (JSON.parse makes them) is cleaned on export.
    const hostileModel = JSON.parse(hostileCardText) as Character;
    for (const write of [
      () => parseCardFile(utf8Encode(exportCharacterJson(hostileModel))),
      () => parseCardFile(exportCharacterPng(hostileModel)),
      () => parseCardFile(exportCharacterCharx(hostileModel, [])),
    ]) {
      const again = write();
      expectNoDangerousKeys(again);
      expect(again.warnings).toEqual([]);
    }
    const hostileBook = JSON.parse(
      '{"__proto__":{"polluted":0},"extensions":{"__proto__":{"polluted":1}},"unknown":{"__proto__":{"polluted":2}},' +
        '"entries":[{"keys":[],"content":"","__proto__":{"polluted":3},"extensions":{"__proto__":{"polluted":4}}}]}',
    ) as Lorebook;
    expectNoDangerousKeys(JSON.parse(exportWorldInfoJson(hostileBook)));
    expectNoDangerousKeys(JSON.parse(exportLorebookJson(hostileBook)));
    expect(prototypeIsClean()).toBe(true);
  });
});

describe('deep nesting', () => {
  const deep = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
  const deepCard = `{"spec":"chara_card_v3","data":{"name":"x","extensions":${deep(200)}}}`;

  it('is refused in JSON, PNG chunks and CHARX before parsing', () => {
    expect(errorCode(() => parseCardFile(utf8Encode(deepCard)))).toBe('json/too-deep');
    expect(errorCode(() => parseCardFile(pngWith([tEXt('chara', bytesToBase64(utf8Encode(deepCard)))])))).toBe('json/too-deep');
    expect(errorCode(() => parseCardFile(rawZip([{ name: 'card.json', content: utf8Encode(deepCard) }])))).toBe('json/too-deep');
  });

  it('is refused even at a depth that would overflow the stack', () => {
    expect(errorCode(() => parseCardFile(utf8Encode('['.repeat(2_000_000))))).toBe('json/too-deep');
  });
});

describe('size limits', () => {
  it('stop a zip bomb that lies about its size', () => {
    const zip = rawZip([
      { name: 'card.json', content: utf8Encode('{"spec":"chara_card_v3","data":{"name":"x"}}') },
      { name: 'assets/bomb.png', content: new Uint8Array(4_000_000), declaredSize: 1000 },
    ]);
    expect(zip.length).toBeLessThan(10_000);
    expect(errorCode(() => parseCardFile(zip))).toBe('zip/too-large');
  });

  it('stop a zip that honestly declares too much', () => {
    const zip = rawZip([
      { name: 'card.json', content: utf8Encode('{"spec":"chara_card_v3","data":{"name":"x"}}') },
      { name: 'assets/big.png', content: new Uint8Array(3000) },
    ]);
    expect(errorCode(() => parseCardFile(zip, 'x.charx', { limits: { maxZipTotalUncompressed: 2000 } }))).toBe('zip/too-large');
  });

  it('stop a zip with too many entries', () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, content: new Uint8Array([i]) }));
    const zip = rawZip([{ name: 'card.json', content: utf8Encode('{"spec":"chara_card_v3","data":{"name":"x"}}') }, ...entries]);
    expect(errorCode(() => parseCardFile(zip, 'x.charx', { limits: { maxZipEntries: 20 } }))).toBe('zip/too-many-entries');
  });

  it('stop a zTXt bomb in a PNG', () => {
    const bomb = zTXt('chara', 'A'.repeat(3_000_000));
    expect(errorCode(() => parseCardFile(pngWith([bomb]), 'x.png', { limits: { maxPngTextBytes: 100_000 } }))).toBe('png/text-too-large');
  });

  it('stop an overlong string and an oversized lorebook', () => {
    const long = JSON.stringify({ spec: 'chara_card_v3', data: { name: 'x', description: 'y'.repeat(5000) } });
    expect(errorCode(() => parseCardFile(utf8Encode(long), 'x.json', { limits: { maxStringLength: 1000 } }))).toBe('json/string-too-long');
    const entries = Array.from({ length: 11 }, () => ({ keys: [], content: '' }));
    const card = { spec: 'chara_card_v3', data: { name: 'x', character_book: { entries } } };
    expect(errorCode(() => parseCardFile(utf8Encode(JSON.stringify(card)), 'x.json', { limits: { maxLorebookEntries: 10 } }))).toBe('lorebook/too-many-entries');
  });

  it('stop a path traversal in a CHARX', () => {
    for (const name of ['../../etc/passwd', '/abs/path.png', 'assets/../../x.png']) {
      const zip = rawZip([{ name: 'card.json', content: utf8Encode('{"spec":"chara_card_v3","data":{"name":"x"}}') }, { name, content: new Uint8Array([1]) }]);
      expect(errorCode(() => parseCardFile(zip)), name).toBe('zip/path-traversal');
    }
  });

  it('give every error a readable message', () => {
    try {
      parseCardFile(pngWith([tEXt('chara', base64Json({ spec: 'chara_card_v3', data: { name: { first: 'x' } } }))]));
      throw new Error('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(CardError);
      expect((error as CardError).code).toBe('card/invalid-field');
      expect((error as CardError).message).toMatch(/data\.name must be text, but the file has an object there/);
    }
  });
});
