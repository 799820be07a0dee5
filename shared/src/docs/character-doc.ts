import * as Y from 'yjs';
import { CHARACTER_SPEC, type Character, type CharacterData, type JsonObject, type JsonValue } from '../cards/index.ts';
import { DocError } from './errors.ts';
import { readLorebookMaps, writeLorebookMaps } from './lorebook-doc.ts';
import { getJsonField, readJsonMap, setJsonField, writeJsonMap } from './json-map.ts';

/**
 * Layout of a character's Y.Doc.
 *   version 1: meta { schema: 1 }, card { name, description }
 *   version 2: meta { schema: 2, hasBook: boolean, spec_version }
 *              data  { every CharacterData field except character_book, unknown keys included, as JSON text }
 *              top   { the card's top-level keys besides spec/spec_version/data (SillyTavern's `avatar`, `chat`…) }
 *              book, entries, entryOrder: the embedded character_book (see lorebook-doc.ts)
 *   any version: troupe { longTermMemory?: boolean }  Troupe's own options for the character: synced with
 *              it, never part of its card (no export carries them); a build that does not know the map ignores it
 * One Y.Map key per field: two devices editing different fields merge; the same field is last-writer-wins.
 * A version-1 doc is read as a card with every other field empty, and upgraded on its next write.
 */
export const CHARACTER_DOC_SCHEMA = 2;

const META = 'meta';
const DATA = 'data';
/** Version 1's map of plain string fields. */
const V1_CARD = 'card';
const TOP = 'top';
const OPTIONS = 'troupe';

/** Troupe's own options for a character (kept in its doc, never in its card). */
export interface CharacterOptions {
  /** The character remembers its other chats: their facts and recalled passages go into each new one. */
  longTermMemory: boolean;
}

/** The character's options, defaults for what was never set (or was set by a peer to something else). */
export function readCharacterOptions(doc: Y.Doc): CharacterOptions {
  checkSchema(doc);
  return { longTermMemory: doc.getMap(OPTIONS).get('longTermMemory') === true };
}

/** Sets some of the character's options; each is its own key, so two devices changing different ones merge. */
export function writeCharacterOptions(doc: Y.Doc, patch: Partial<CharacterOptions>): void {
  checkSchema(doc);
  const options = doc.getMap(OPTIONS);
  doc.transact(() => {
    if (patch.longTermMemory !== undefined && options.get('longTermMemory') !== patch.longTermMemory) options.set('longTermMemory', patch.longTermMemory);
  });
}

/** The minimal fields a character is created with in the panel (version 1 of this layout). */
export interface CharacterCore {
  name: string;
  description: string;
}

/** Writes a whole card into the doc in one transaction (one sync update), replacing what was there. */
export function writeCharacterDoc(doc: Y.Doc, character: Character): void {
  doc.transact(() => {
    const meta = doc.getMap(META);
    const { character_book: book, ...data } = character.data;
    writeJsonMap(doc.getMap(DATA), data as JsonObject);
    const { spec: _spec, spec_version: _version, data: _data, ...top } = character;
    writeJsonMap(doc.getMap(TOP), top as JsonObject);
    writeLorebookMaps(doc, book ?? null);
    setJsonField(meta, 'spec_version', character.spec_version);
    setJsonField(meta, 'hasBook', book !== undefined);
    if (meta.get('schema') !== CHARACTER_DOC_SCHEMA) {
      meta.set('schema', CHARACTER_DOC_SCHEMA);
      doc.getMap(V1_CARD).clear();
    }
  });
}

/** Reads the whole card back (a CCv3 object), refusing docs written by a newer Troupe. */
export function readCharacterDoc(doc: Y.Doc): Character {
  checkSchema(doc);
  const meta = doc.getMap(META);
  const stored = meta.get('schema') === 1 ? readV1Fields(doc) : readJsonMap(doc.getMap(DATA));
  const data = { ...CHARACTER_DEFAULTS, ...stored } as CharacterData;
  for (const key of ['name', 'description'] as const) {
    if (typeof data[key] !== 'string') throw new DocError('doc/invalid-field', `Character field "${key}" should be text.`);
  }
  if (getJsonField(meta, 'hasBook') === true) data.character_book = readLorebookMaps(doc);
  const specVersion = getJsonField(meta, 'spec_version');
  return { ...readJsonMap(doc.getMap(TOP)), spec: CHARACTER_SPEC, spec_version: typeof specVersion === 'string' ? specVersion : '3.0', data };
}

/** Creates a character from the panel's minimal form. */
export function initCharacterDoc(doc: Y.Doc, core: CharacterCore): void {
  writeCharacterDoc(doc, { spec: CHARACTER_SPEC, spec_version: '3.0', data: { ...CHARACTER_DEFAULTS, ...core } });
}

/** Name and description only: what the list and the simple prompt need. */
export function readCharacterCore(doc: Y.Doc): CharacterCore {
  const { name, description } = readCharacterDoc(doc).data;
  return { name, description };
}

/** Changes some card fields in one transaction; other fields (and concurrent edits to them) are untouched. */
export function updateCharacterFields(doc: Y.Doc, patch: Partial<Omit<CharacterData, 'character_book'>>): void {
  const current = readCharacterDoc(doc);
  doc.transact(() => {
    if (doc.getMap(META).get('schema') !== CHARACTER_DOC_SCHEMA) return writeCharacterDoc(doc, { ...current, data: { ...current.data, ...patch } });
    const data = doc.getMap(DATA);
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) setJsonField(data, key, value as JsonValue);
  });
}

function readV1Fields(doc: Y.Doc): JsonObject {
  const card = doc.getMap(V1_CARD);
  return { name: card.get('name') as JsonValue, description: (card.get('description') ?? '') as JsonValue };
}

function checkSchema(doc: Y.Doc): void {
  const schema = doc.getMap(META).get('schema');
  if (typeof schema === 'number' && schema > CHARACTER_DOC_SCHEMA) {
    throw new DocError('doc/too-new', `This character was saved by a newer Troupe (layout ${schema}); update the extension to open it.`);
  }
}

/** Every CharacterData field a V3 card must have, empty. */
export const CHARACTER_DEFAULTS: CharacterData = {
  name: '',
  description: '',
  personality: '',
  scenario: '',
  first_mes: '',
  mes_example: '',
  creator_notes: '',
  system_prompt: '',
  post_history_instructions: '',
  alternate_greetings: [],
  tags: [],
  creator: '',
  character_version: '',
  extensions: {},
  group_only_greetings: [],
};
