import * as Y from 'yjs';
import { DocError } from './errors.ts';

/**
 * Layout of a character's Y.Doc, version 1:
 *   meta: Y.Map { schema: number }
 *   card: Y.Map { name: string, description: string }
 * Fields are plain values in a Y.Map so two devices editing different fields merge cleanly.
 * The avatar is a blob beside the doc (Dexie), not inside it: docs sync, blobs are large.
 */
export const CHARACTER_DOC_SCHEMA = 1;

export interface CharacterCore {
  name: string;
  description: string;
}

const META = 'meta';
const CARD = 'card';

/** Writes a new character into an empty doc in one transaction. */
export function initCharacterDoc(doc: Y.Doc, core: CharacterCore): void {
  doc.transact(() => {
    doc.getMap(META).set('schema', CHARACTER_DOC_SCHEMA);
    const card = doc.getMap(CARD);
    card.set('name', core.name);
    card.set('description', core.description);
  });
}

/** Reads the character's core fields, refusing docs written by a newer Troupe. */
export function readCharacterCore(doc: Y.Doc): CharacterCore {
  const schema = doc.getMap(META).get('schema');
  if (typeof schema === 'number' && schema > CHARACTER_DOC_SCHEMA) {
    throw new DocError('doc/too-new', `This character was saved by a newer Troupe (layout ${schema}); update the extension to open it.`);
  }
  const card = doc.getMap(CARD);
  return { name: stringField(card, 'name'), description: stringField(card, 'description') };
}

/** Changes some core fields in one transaction (one sync update). */
export function updateCharacterCore(doc: Y.Doc, patch: Partial<CharacterCore>): void {
  doc.transact(() => {
    const card = doc.getMap(CARD);
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) card.set(key, value);
  });
}

function stringField(map: Y.Map<unknown>, key: string): string {
  const value = map.get(key);
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new DocError('doc/invalid-field', `Character field "${key}" should be text.`);
  return value;
}
