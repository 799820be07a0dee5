/**
 * Readers for SillyTavern's answers. Everything it sends is untrusted: each reader checks the shape it
 * relies on, bounds sizes, and returns only what Troupe uses, or throws a ShapeError naming the problem.
 */
import { ShapeError } from './errors.ts';
import { isAvatarFileName, isSafeFileName } from '../../messaging/sillytavern-address.ts';
import { ST_MAX_NAME_CHARS, ST_MAX_TAG_CHARS, ST_MAX_TAGS, ST_MAX_WORLD_ENTRIES } from './limits.ts';

type Json = Record<string, unknown>;

/** One character in SillyTavern's library, without its card (fetch that with `getCharacterCard`). */
export interface StCharacterSummary {
  /** Its file name in SillyTavern's characters folder (e.g. `default_Seraphina.png`): the id every other call takes. */
  avatar: string;
  name: string;
  /** The card's tags (`data.tags`), trimmed, de-duplicated, at most ST_MAX_TAGS. */
  tags: string[];
  creator?: string;
  /** `chara_card_v2`, `chara_card_v3`, …; null for a V1 card or when SillyTavern lazy-loads its list (shallow entries). */
  spec: string | null;
  specVersion: string | null;
}

/** One character as `/api/characters/get` reports it. */
export interface StCharacterDetail {
  avatar: string;
  name: string;
  spec: string | null;
  specVersion: string | null;
  /** The card exactly as stored in the PNG (SillyTavern's `json_data`), or null if it sent none. */
  card: Json | null;
  /** SillyTavern's normalised V2 `data` object (its defaults filled in), or null for a card without one. */
  data: Json | null;
}

/** A World Info file: `fileId` is what `getWorld` takes; `name` is what the user sees. */
export interface StWorldSummary {
  fileId: string;
  name: string;
}

/** A World Info entry as SillyTavern stores it (`key`, `keysecondary`, `content`, `uid`, …). */
export type StWorldEntryJson = Json;

/** A World Info file as SillyTavern stores it: entries keyed by their uid, plus any other top-level fields. */
export interface StWorldInfoJson {
  entries: Record<string, StWorldEntryJson>;
  [field: string]: unknown;
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shortText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return trimmed.length > max ? trimmed.slice(0, max) : trimmed;
}

function specField(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : null;
}

function readTags(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const tags: string[] = [];
  for (const item of value) {
    const tag = shortText(item, ST_MAX_TAG_CHARS);
    if (tag !== undefined && !tags.includes(tag)) tags.push(tag);
    if (tags.length >= ST_MAX_TAGS) break;
  }
  return tags;
}

/** The token of `GET /csrf-token` (`{ token }`); `disabled` when SillyTavern runs without CSRF protection. */
export function readCsrfToken(json: unknown): string {
  if (!isRecord(json)) throw new ShapeError('the CSRF answer is not an object');
  const token = json.token;
  // It travels in a header: only header-safe characters.
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{1,512}$/.test(token)) throw new ShapeError('the CSRF answer has no usable token');
  return token;
}

/** `GET /version`: `{ pkgVersion: '1.19.0', agent: 'SillyTavern:1.19.0:…' }`; unknown fields become null. */
export function readVersion(json: unknown): { version: string | null; agent: string | null } {
  if (!isRecord(json)) throw new ShapeError('the version answer is not an object');
  const version = typeof json.pkgVersion === 'string' && /^[0-9A-Za-z.+-]{1,64}$/.test(json.pkgVersion) ? json.pkgVersion : null;
  return { version, agent: shortText(json.agent, 200) ?? null };
}

/** One entry of `POST /api/characters/all`, or null when it is not a usable character (SillyTavern lists broken files too). */
export function readCharacterSummary(item: unknown): StCharacterSummary | null {
  if (!isRecord(item) || !isAvatarFileName(item.avatar)) return null;
  const data = isRecord(item.data) ? item.data : undefined;
  const name = shortText(item.name, ST_MAX_NAME_CHARS) ?? shortText(data?.name, ST_MAX_NAME_CHARS);
  if (name === undefined) return null;
  const summary: StCharacterSummary = {
    avatar: item.avatar,
    name,
    tags: readTags(Array.isArray(data?.tags) ? data.tags : item.tags),
    spec: specField(item.spec),
    specVersion: specField(item.spec_version),
  };
  const creator = shortText(data?.creator, ST_MAX_NAME_CHARS);
  if (creator !== undefined) summary.creator = creator;
  return summary;
}

/** `POST /api/characters/all`: the usable characters, and how many entries were not. */
export function readCharacterList(json: unknown): { characters: StCharacterSummary[]; skipped: number } {
  if (!Array.isArray(json)) throw new ShapeError('the character list is not a list');
  const characters: StCharacterSummary[] = [];
  let skipped = 0;
  for (const item of json) {
    const summary = readCharacterSummary(item);
    if (summary === null) skipped++;
    else characters.push(summary);
  }
  return { characters, skipped };
}

/** `POST /api/characters/get`: SillyTavern's record of one character, including the raw card JSON. */
export function readCharacterDetail(json: unknown, avatar: string): StCharacterDetail {
  if (!isRecord(json)) throw new ShapeError('the character is not an object');
  const data = isRecord(json.data) ? json.data : null;
  const name = shortText(json.name, ST_MAX_NAME_CHARS) ?? shortText(data?.name, ST_MAX_NAME_CHARS);
  if (name === undefined) throw new ShapeError('the character has no name');
  let card: Json | null = null;
  if (json.json_data !== undefined) {
    if (typeof json.json_data !== 'string') throw new ShapeError('json_data is not text');
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.json_data);
    } catch {
      throw new ShapeError('json_data is not JSON');
    }
    if (!isRecord(parsed)) throw new ShapeError('json_data is not an object');
    card = parsed;
  }
  return { avatar, name, spec: specField(json.spec), specVersion: specField(json.spec_version), card, data };
}

/** `POST /api/worldinfo/list`: `[{ file_id, name, extensions }]`; entries without a safe file id are dropped. */
export function readWorldList(json: unknown): StWorldSummary[] {
  if (!Array.isArray(json)) throw new ShapeError('the World Info list is not a list');
  const worlds: StWorldSummary[] = [];
  for (const item of json) {
    if (!isRecord(item) || !isSafeFileName(item.file_id)) continue;
    worlds.push({ fileId: item.file_id, name: shortText(item.name, ST_MAX_NAME_CHARS) ?? item.file_id });
  }
  return worlds;
}

/** `POST /api/worldinfo/get`: a World Info file whose `entries` is an object of entry objects. */
export function readWorld(json: unknown): StWorldInfoJson {
  if (!isRecord(json)) throw new ShapeError('the World Info file is not an object');
  const entries = json.entries;
  if (!isRecord(entries)) throw new ShapeError('the World Info file has no entries object');
  const keys = Object.keys(entries);
  if (keys.length > ST_MAX_WORLD_ENTRIES) throw new ShapeError(`the World Info file has ${keys.length} entries (at most ${ST_MAX_WORLD_ENTRIES})`);
  const checked: Record<string, StWorldEntryJson> = {};
  for (const key of keys) {
    const entry = entries[key];
    if (!isRecord(entry)) throw new ShapeError(`World Info entry ${JSON.stringify(key.slice(0, 40))} is not an object`);
    checked[key] = entry;
  }
  return { ...json, entries: checked };
}

/** `POST /api/characters/import`: `{ file_name }` on success, `{ error: true }` when SillyTavern found no card. */
export function readImportResult(json: unknown): { ok: true; fileName: string } | { ok: false } {
  if (!isRecord(json)) throw new ShapeError('the import answer is not an object');
  if (json.error === true) return { ok: false };
  const fileName = json.file_name;
  if (!isSafeFileName(fileName)) throw new ShapeError('the import answer has no usable file_name');
  return { ok: true, fileName };
}
