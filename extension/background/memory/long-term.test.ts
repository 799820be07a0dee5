// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { contentHash } from '@troupe/shared/memory';
import { testDbs } from '../db/test-db.ts';
import { Library } from '../library/library.ts';
import { promptDepsFromDb } from '../prompt-service/library-deps.ts';
import { setActiveCharacter } from '../chats/chats.ts';
import { addFact, syncTranscript } from './memory-store.ts';
import { LongTermReader } from './long-term.ts';

const dbs = testDbs('long-term');
const said = (id: string, text: string) => ({ id, role: 'user' as const, text });

async function setUp() {
  const db = dbs();
  const library = new Library(db, { images: null, now: () => Date.now(), maintain: false });
  const mira = await library.createCharacter({ name: 'Mira', description: 'A cartographer', avatar: null });
  const other = await library.createCharacter({ name: 'Otto', description: 'A sailor', avatar: null });
  const [old, fresh, otters] = ['http://nc#old', 'http://nc#new', 'http://nc#otto'];
  await setActiveCharacter(db, old, mira.id);
  await setActiveCharacter(db, fresh, mira.id);
  await setActiveCharacter(db, otters, other.id);
  await syncTranscript(db, old, [said('o1', 'My sister Ilse keeps bees in Harrowgate.')]);
  await addFact(db, old, 'Ann takes her tea black.');
  await syncTranscript(db, otters, [said('x1', 'The ship sails at dawn.')]);
  await addFact(db, fresh, 'The compass is due by the solstice.');
  return { db, library, mira, chats: { old, fresh, otters } };
}

describe("a character's long-term memory", () => {
  it("is read from the character's other chats only", async () => {
    const { db, library, mira, chats } = await setUp();
    const reader = new LongTermReader(db);
    const memory = await reader.read(mira.id, chats.fresh, ['The compass is due by the solstice.']);
    expect(memory.facts).toEqual(['Ann takes her tea black.']);
    expect(memory.passages).toEqual([{ id: `${contentHash(chats.old)}:o1`, role: 'user', text: 'My sister Ilse keeps bees in Harrowgate.' }]);
    // Read again only when another chat changed: this chat's own writes (every reply) do not count.
    await syncTranscript(db, chats.fresh, [said('n1', 'A new message here.')]);
    expect(await reader.read(mira.id, chats.fresh, ['The compass is due by the solstice.'])).toBe(memory);
    await addFact(db, chats.old, 'Ann sails on Fridays.');
    expect((await reader.read(mira.id, chats.fresh, ['The compass is due by the solstice.'])).facts).toEqual(['Ann sails on Fridays.', 'Ann takes her tea black.']);
    library.dispose();
  });

  it("goes into the chat's prompt memory only while the character's switch is on", async () => {
    const { db, library, mira, chats } = await setUp();
    const deps = promptDepsFromDb(db, library);
    expect((await deps.memory(chats.fresh)).longTerm).toBeUndefined();
    await library.setCharacterOptions(mira.id, { longTermMemory: true });
    expect(await library.characterOptions(mira.id)).toEqual({ longTermMemory: true });
    const memory = await deps.memory(chats.fresh);
    expect(memory.facts).toEqual(['The compass is due by the solstice.']);
    expect(memory.longTerm?.facts).toEqual(['Ann takes her tea black.']);
    expect(memory.longTerm?.passages.map((p) => p.text)).toEqual(['My sister Ilse keeps bees in Harrowgate.']);
    library.dispose();
  });
});
