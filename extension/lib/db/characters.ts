import * as Y from 'yjs';
import { initCharacterDoc } from '@troupe/shared/docs';
import type { TroupeDb, CharacterRow } from './database.ts';

/** What other contexts see of a character: the index row without its Y.Doc. */
export interface CharacterSummary {
  id: string;
  name: string;
  description: string;
  avatar: string | null;
  updatedAt: number;
}

export interface NewCharacter {
  name: string;
  description: string;
  avatar: string | null;
}

/** Creates a character: its Y.Doc and its index row in one transaction, so neither exists alone. */
export async function createCharacter(db: TroupeDb, input: NewCharacter, now = Date.now()): Promise<CharacterSummary> {
  const doc = new Y.Doc();
  initCharacterDoc(doc, { name: input.name, description: input.description });
  const row = { id: crypto.randomUUID(), ...input, createdAt: now, updatedAt: now, doc } as CharacterRow;
  await db.transaction('rw', db.characters, () => db.characters.add(row));
  doc.destroy();
  return toSummary(row);
}

/** Every character, most recently changed first. */
export async function listCharacters(db: TroupeDb): Promise<CharacterSummary[]> {
  const rows = await db.characters.orderBy('updatedAt').reverse().toArray();
  return rows.map(toSummary);
}

export async function getCharacter(db: TroupeDb, id: string): Promise<CharacterSummary | null> {
  const row = await db.characters.get(id);
  return row ? toSummary(row) : null;
}

function toSummary(row: CharacterRow): CharacterSummary {
  return { id: row.id, name: row.name, description: row.description, avatar: row.avatar, updatedAt: row.updatedAt };
}
