import type { TroupeDb } from './database.ts';
import { libraryFor } from '../library/library.ts';

/**
 * What other contexts see of a character: its index row without the Y.Doc. `description` is the
 * full description for one character (`getCharacter`, which the chat prompt uses) and the list
 * excerpt in lists; `avatar` is the list thumbnail (a data URL) or null.
 */
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
  /** A PNG, JPEG, WebP or GIF data URL (validated by the runtime protocol), stored as the card's image. */
  avatar: string | null;
}

/** Creates a character: its Y.Doc, index row, avatar Blob and thumbnail in one transaction, so none exists alone. */
export function createCharacter(db: TroupeDb, input: NewCharacter, now = Date.now()): Promise<CharacterSummary> {
  return libraryFor(db).createCharacter(input, now);
}

/** The most recently changed characters (at most MAX_LIST_SUMMARIES; the library pages through the rest). */
export function listCharacters(db: TroupeDb): Promise<CharacterSummary[]> {
  return libraryFor(db).summaries();
}

/** One character with its full description, or null when it does not exist (or is being deleted). */
export function getCharacter(db: TroupeDb, id: string): Promise<CharacterSummary | null> {
  return libraryFor(db).summary(id);
}
