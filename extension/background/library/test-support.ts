/** Helpers for the library's unit tests: fixtures from the handbook folder, a fake image codec, a clock. */
import { readFileSync } from 'node:fs';
import { createMinimalPng, parseCardFile, type ParsedFile } from '@troupe/shared/cards';
import { openTroupeDb, type TroupeDb } from '../db/database.ts';
import type { ImageTools } from './images.ts';
import { Library } from './library.ts';

export const FIXTURES = {
  seraphina: 'st-default_Seraphina.png',
  kitchenSink: 'synthetic-v3-kitchen-sink.json',
  charx: 'synthetic-v3.charx',
  eldoria: 'st-Eldoria.worldinfo.json',
  lorebookV3: 'synthetic-lorebook_v3.json',
  ccv3Png: 'synthetic-v3-ccv3-only.png',
} as const;

export function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../../../shared/fixtures/cards/${file}`, import.meta.url)));
}

/** Parses a fixture as if the user had picked it under `asName` (World Info books are named by file). */
export function parseFixture(file: string, asName = file): ParsedFile {
  return parseCardFile(fixtureBytes(file), asName);
}

/** Thumbnails that say what they were made from, so tests can tell which image became the avatar. */
export const fakeImages: ImageTools = {
  thumbnail: async (image, mime) => `data:image/webp;base64,${btoa(`${mime}:${image.size}`)}`,
  toPng: async () => createMinimalPng(),
};

export interface TestLibrary {
  db: TroupeDb;
  library: Library;
  clock: { now: number };
  close(): Promise<void>;
}

/** A fresh database and a library on it with a clock the test moves. */
export function testLibrary(images: ImageTools | null = fakeImages): TestLibrary {
  const db = openTroupeDb(`test-${crypto.randomUUID()}`);
  const clock = { now: 1_700_000_000_000 };
  const library = new Library(db, { images, now: () => clock.now, maintain: false });
  return {
    db,
    library,
    clock,
    async close() {
      library.dispose();
      await db.delete();
    },
  };
}
