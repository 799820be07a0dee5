/** Helpers for the packs tests only (not exported from index.ts): small packs and error capture. */
import { parseCardObject, type Character, type Lorebook } from '../cards/index.ts';
import { createMinimalPng } from '../cards/png.ts';
import { PackError, type PackErrorCode } from './errors.ts';
import { PACK_FORMAT, type Pack, type PackAsset } from './model.ts';

/** A normalised character named `name`, with a small character book. */
export function character(name: string, extra: Record<string, unknown> = {}): Character {
  const parsed = parseCardObject({
    spec: 'chara_card_v3',
    spec_version: '3.0',
    data: {
      name,
      description: `${name} keeps the lighthouse.`,
      first_mes: `Hello, I am ${name}.`,
      character_book: { entries: [{ keys: ['lighthouse'], content: 'It has stood for 200 years.' }] },
      ...extra,
    },
  });
  if (parsed.kind !== 'character') throw new Error('expected a character');
  return parsed.character;
}

export function lorebook(name: string, entries = 2): Lorebook {
  const parsed = parseCardObject({ name, entries: Array.from({ length: entries }, (_, i) => ({ keys: [`key${i}`], content: `entry ${i}` })) });
  if (parsed.kind !== 'lorebook') throw new Error('expected a lorebook');
  return parsed.lorebook;
}

/** A PNG-signed asset of `size` bytes whose body is pseudo-random (it does not compress, like a real image). */
export function pngAsset(size: number, seed = 1, uri = 'ccdefault:'): PackAsset {
  const bytes = noise(size, seed);
  bytes.set(createMinimalPng().subarray(0, Math.min(size, 33)));
  return { uri, name: 'avatar.png', mime: 'image/png', bytes };
}

/** Deterministic pseudo-random bytes (xorshift32), fast enough for tens of megabytes. */
export function noise(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  const words = new Uint32Array(out.buffer, 0, size >> 2);
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return out;
}

/** A pack of `count` characters, each with one avatar of `avatarBytes`, a standalone lorebook and a persona. */
export function samplePack(count = 1, avatarBytes = 2048): Pack {
  return {
    format: PACK_FORMAT,
    createdAt: 1_700_000_000_000,
    characters: Array.from({ length: count }, (_, i) => ({ card: character(`Keeper ${i + 1}`), assets: [pngAsset(avatarBytes, i + 1)] })),
    lorebooks: [lorebook('The Coast')],
    personas: [{ name: 'Traveller', description: 'Arrives by boat.', avatar: { name: 'me.png', mime: 'image/png', bytes: createMinimalPng() } }],
  };
}

/** The PackError code a call throws (sync or async), or undefined when it does not throw one. */
export async function packErrorOf(run: () => unknown): Promise<PackError | undefined> {
  try {
    await run();
  } catch (error) {
    if (error instanceof PackError) return error;
    throw error;
  }
  return undefined;
}

export async function codeOf(run: () => unknown): Promise<PackErrorCode | undefined> {
  return (await packErrorOf(run))?.code;
}
