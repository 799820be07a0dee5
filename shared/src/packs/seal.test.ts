import { describe, expect, it } from 'vitest';
import { base64UrlToBytes } from '../bytes/index.ts';
import { sameBytes } from '../cards/test-support.ts';
import { checkSealedPack, PACK_ENVELOPE_HEADER_BYTES, PACK_TAG_BYTES, writeEnvelopeHeader } from './envelope.ts';
import { gzip } from './gzip.ts';
import { MAX_PACK_ASSET_BYTES, MAX_PLAIN_PACK_BYTES, MAX_SEALED_PACK_BYTES } from './limits.ts';
import { createPackKey, openPack, packKeyBytes, sealPack } from './seal.ts';
import { codeOf, noise, pngAsset, samplePack } from './test-support.ts';
import { webCrypto } from './webcrypto.ts';

/** Seals arbitrary content bytes the way sealPack does, skipping its checks (a hostile publisher). */
async function sealRaw(content: Uint8Array, key = createPackKey()): Promise<{ ciphertext: Uint8Array; key: string }> {
  const compressed = await gzip(content);
  const iv = webCrypto().getRandomValues(new Uint8Array(12));
  const header = writeEnvelopeHeader(iv, compressed.length + PACK_TAG_BYTES);
  const cryptoKey = await webCrypto().subtle.importKey('raw', packKeyBytes(key), 'AES-GCM', false, ['encrypt']);
  const sealed = new Uint8Array(await webCrypto().subtle.encrypt({ name: 'AES-GCM', iv, additionalData: header, tagLength: 128 }, cryptoKey, compressed));
  const ciphertext = new Uint8Array(header.length + sealed.length);
  ciphertext.set(header);
  ciphertext.set(sealed, header.length);
  return { ciphertext, key };
}

describe('sealPack / openPack', () => {
  it('round-trips a pack under a fresh 256-bit key', async () => {
    const pack = samplePack(2);
    const sealed = await sealPack(pack);
    expect(sealed.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(base64UrlToBytes(sealed.key)?.length).toBe(32);
    expect(String.fromCharCode(...sealed.ciphertext.subarray(0, 4))).toBe('TRPK');
    const opened = await openPack(sealed.ciphertext, sealed.key);
    expect(opened.pack.characters.map((c) => c.card.data.name)).toEqual(['Keeper 1', 'Keeper 2']);
    expect(sameBytes(opened.pack.characters[1]!.assets[0]!.bytes, pack.characters[1]!.assets[0]!.bytes)).toBe(true);
    expect(opened.pack.personas).toEqual(pack.personas);
  });

  it('uses a new key and IV every time, and the given key for a new version', async () => {
    const pack = samplePack();
    const a = await sealPack(pack);
    const b = await sealPack(pack);
    expect(a.key).not.toBe(b.key);
    const again = await sealPack(pack, { key: a.key });
    expect(again.key).toBe(a.key);
    expect(sameBytes(again.ciphertext.subarray(5, 17), a.ciphertext.subarray(5, 17))).toBe(false);
    expect((await openPack(again.ciphertext, a.key)).pack.characters).toHaveLength(1);
  });

  it('gives the relay nothing readable: no card text in the sealed bytes', async () => {
    const { ciphertext } = await sealPack(samplePack());
    expect(new TextDecoder('latin1').decode(ciphertext)).not.toMatch(/Keeper|lighthouse|chara_card/);
  });

  it('says "cannot decrypt" for a wrong key and for any changed byte', async () => {
    const { ciphertext, key } = await sealPack(samplePack());
    expect(await codeOf(() => openPack(ciphertext, createPackKey()))).toBe('pack/cannot-decrypt');
    for (const at of [5, 16, PACK_ENVELOPE_HEADER_BYTES, ciphertext.length >> 1, ciphertext.length - 1]) {
      const tampered = Uint8Array.from(ciphertext);
      tampered[at]! ^= 0x01;
      expect(await codeOf(() => openPack(tampered, key)), `byte ${at}`).toBe('pack/cannot-decrypt');
    }
    expect(await codeOf(() => openPack(Uint8Array.of(...ciphertext, 0), key))).toBe('pack/cannot-decrypt');
  });

  it('says "truncated" for a cut-off pack, wherever it was cut', async () => {
    const { ciphertext, key } = await sealPack(samplePack());
    for (const length of [0, 3, 4, 10, PACK_ENVELOPE_HEADER_BYTES, ciphertext.length - 1]) {
      expect(await codeOf(() => openPack(ciphertext.subarray(0, length), key)), `${length} bytes`).toBe('pack/truncated');
    }
  });

  it('tells junk, a newer envelope and a bad key apart', async () => {
    const { ciphertext, key } = await sealPack(samplePack());
    expect(await codeOf(() => openPack(new TextEncoder().encode('<html>Not found</html>'), key))).toBe('pack/not-a-pack');
    const newer = Uint8Array.from(ciphertext);
    newer[4] = 2;
    expect(await codeOf(() => openPack(newer, key))).toBe('pack/newer-format');
    expect(await codeOf(() => openPack(ciphertext, key.slice(0, 40)))).toBe('pack/bad-key');
    expect(await codeOf(() => openPack(ciphertext, `${key.slice(0, 42)}+`))).toBe('pack/bad-key');
    expect(await codeOf(() => openPack(ciphertext, ''))).toBe('pack/bad-key');
  });

  it('stops a gzip bomb at the plain-size limit', async () => {
    const bomb = await sealRaw(new Uint8Array(MAX_PLAIN_PACK_BYTES + 1));
    expect(bomb.ciphertext.length).toBeLessThan(MAX_PLAIN_PACK_BYTES / 500);
    expect(await codeOf(() => openPack(bomb.ciphertext, bomb.key))).toBe('pack/too-large');
  });

  it('refuses content that a hostile publisher sealed without the checks', async () => {
    const bad = await sealRaw(Uint8Array.of(1, 0, 0, 0, 2, 0x7b, 0x7d));
    expect(await codeOf(() => openPack(bad.ciphertext, bad.key))).toBe('pack/empty');
    const garbage = await sealRaw(Uint8Array.of(1, 0, 0, 0, 10, ...noise(100)));
    expect(await codeOf(() => openPack(garbage.ciphertext, garbage.key))).toBe('pack/corrupt');
  });

  it('refuses to seal more than 64 MiB', { timeout: 60_000 }, async () => {
    const size = Math.min(MAX_PACK_ASSET_BYTES, Math.ceil(MAX_SEALED_PACK_BYTES / 3) + 1024);
    const pack = samplePack();
    pack.characters[0]!.assets = [0, 1, 2].map((i) => pngAsset(size, i + 7, `embeded://assets/${i}.png`));
    expect(await codeOf(() => sealPack(pack))).toBe('pack/too-large');
  });
});

describe('checkSealedPack (what the relay checks)', () => {
  it('accepts a sealed pack and a newer envelope, refuses junk and cut-off uploads', async () => {
    const { ciphertext } = await sealPack(samplePack());
    expect(checkSealedPack(ciphertext)).toEqual({ version: 1 });
    const newer = Uint8Array.from(ciphertext);
    newer[4] = 9;
    expect(checkSealedPack(newer)).toEqual({ version: 9 });
    expect(await codeOf(() => checkSealedPack(ciphertext.subarray(0, ciphertext.length - 1)))).toBe('pack/truncated');
    expect(await codeOf(() => checkSealedPack(noise(100)))).toBe('pack/not-a-pack');
    const header = writeEnvelopeHeader(new Uint8Array(12), MAX_SEALED_PACK_BYTES);
    expect(await codeOf(() => checkSealedPack(header))).toBe('pack/too-large');
  });
});
