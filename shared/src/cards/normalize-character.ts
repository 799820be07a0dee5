/** Turns a parsed card object of any version into the normalised Character. */
import { CardError } from './errors.ts';
import {
  dropUndefined,
  toNumber,
  toObject,
  toText,
  toTextList,
  type NormalizeContext,
} from './coerce.ts';
import {
  CHARACTER_LIST_FIELDS,
  CHARACTER_SPEC,
  CHARACTER_SPEC_V2,
  CHARACTER_SPEC_VERSION,
  CHARACTER_TEXT_FIELDS,
  type CardAsset,
  type Character,
  type CharacterData,
  type JsonObject,
  type JsonValue,
} from './model.ts';
import { normalizeLorebook } from './normalize-lorebook.ts';
import { cloneJson, isJsonObject, jsonEqual, safeEntries } from './safe-json.ts';
import { v1ToCardParts } from './v1.ts';

/** Card versions as written in the file (the model is always V3). */
export type CardVersion = 1 | 2 | 3;

/** Data fields that exist only in V3; a V2 reader gets the rest. */
export const V3_ONLY_DATA_KEYS: readonly string[] = [
  'assets',
  'nickname',
  'creator_notes_multilingual',
  'source',
  'group_only_greetings',
  'creation_date',
  'modification_date',
];

const DATA_KEYS = new Set<string>(['name', ...CHARACTER_TEXT_FIELDS, ...CHARACTER_LIST_FIELDS, 'character_book', 'extensions', ...V3_ONLY_DATA_KEYS]);

/**
 * Top-level copies of data fields that SillyTavern writes beside `data` for V1 readers, as
 * [top-level key, data path]. Data wins; the copy only fills a gap in data.
 */
export const V1_MIRROR_FIELDS: readonly (readonly [string, readonly string[]])[] = [
  ['name', ['name']],
  ['description', ['description']],
  ['personality', ['personality']],
  ['scenario', ['scenario']],
  ['first_mes', ['first_mes']],
  ['mes_example', ['mes_example']],
  ['creatorcomment', ['creator_notes']],
  ['tags', ['tags']],
  ['talkativeness', ['extensions', 'talkativeness']],
  ['fav', ['extensions', 'fav']],
];

const CARD_KEYS = new Set(['spec', 'spec_version', 'data']);

export interface NormalizedCard {
  character: Character;
  version: CardVersion;
}

/** Which card version an object claims to be, or undefined when it is no card at all. */
export function detectCardVersion(raw: JsonObject): CardVersion | undefined {
  const spec = raw['spec'];
  if (spec === 'chara_card_v3') return 3;
  if (spec === CHARACTER_SPEC_V2) return 2;
  if (spec !== undefined && spec !== null) {
    throw new CardError(
      'card/unsupported-spec',
      `This card says it is ${JSON.stringify(spec)}, which this version of Troupe cannot read (it reads chara_card_v2 and chara_card_v3).`,
    );
  }
  if (isJsonObject(raw['data']) && raw['data']['name'] !== undefined) return 2;
  if (raw['name'] !== undefined || raw['char_name'] !== undefined) return 1;
  return undefined;
}

/**
 * Normalises a card object (V1 flat, V2 or V3) into a Character. Throws
 * `card/unknown-format` when the object is no card, `card/invalid-field` for a field whose
 * type cannot be fixed (see coerce.ts), and records every fix in `ctx.warnings`.
 */
export function normalizeCharacterCard(raw: JsonValue, ctx: NormalizeContext): NormalizedCard {
  if (!isJsonObject(raw)) {
    throw new CardError('card/unknown-format', 'The card is not a JSON object.');
  }
  let version = detectCardVersion(raw);
  if (version === undefined) {
    throw new CardError('card/unknown-format', 'The JSON is neither a character card nor a lorebook.');
  }
  if (version !== 1 && !isJsonObject(raw['data']) && raw['name'] !== undefined) {
    // SillyTavern reads such a card by its top-level fields; so do we.
    ctx.warnings.push({ path: 'data', message: `The card says ${String(raw['spec'])} but has no "data"; it was read as a V1 card.` });
    version = 1;
  }
  if (version === 1) {
    const { data, extras } = v1ToCardParts(raw);
    const character: Character = {
      spec: CHARACTER_SPEC,
      spec_version: CHARACTER_SPEC_VERSION,
      data: normalizeCharacterData(data, 'data', ctx),
    };
    for (const [key, value] of safeEntries(extras)) {
      if (!CARD_KEYS.has(key)) {
        character[key] = cloneJson(value);
      } else if (value !== null && key !== 'spec' && key !== 'spec_version') {
        ctx.warnings.push({ path: key, message: `The V1 card's "${key}" is not card data; it was dropped.` });
      }
    }
    return { character, version };
  }

  if (raw['spec'] === undefined) {
    ctx.warnings.push({ path: 'spec', message: 'The card has no "spec"; it was read as a V2 card.' });
  }
  const rawData = raw['data'];
  if (!isJsonObject(rawData)) {
    throw new CardError('card/invalid-field', `This ${raw['spec'] ?? 'card'} has no "data" object.`);
  }
  const data: JsonObject = { ...rawData };
  const mirrorKeys = new Set<string>();
  for (const [topKey, dataPath] of V1_MIRROR_FIELDS) {
    mirrorKeys.add(topKey);
    const topValue = raw[topKey];
    if (topValue === undefined) continue;
    const current = readPath(data, dataPath);
    if (current === undefined || current === null) {
      writePath(data, dataPath, topValue);
    } else if (!jsonEqual(current, topValue) && !(topKey === 'tags' && jsonEqual(topValue, []))) {
      ctx.warnings.push({
        path: topKey,
        message: `The top-level "${topKey}" differs from data.${dataPath.join('.')}; the data value was kept.`,
      });
    }
  }

  let specVersion = CHARACTER_SPEC_VERSION;
  if (version === 3 && typeof raw['spec_version'] === 'string' && raw['spec_version'].startsWith('3')) {
    specVersion = raw['spec_version'];
  }
  const character: Character = {
    spec: CHARACTER_SPEC,
    spec_version: specVersion,
    data: normalizeCharacterData(data, 'data', ctx),
  };
  for (const [key, value] of safeEntries(raw)) {
    if (!CARD_KEYS.has(key) && !mirrorKeys.has(key)) character[key] = cloneJson(value);
  }
  return { character, version };
}

function readPath(object: JsonObject, path: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = object;
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Writes along a path of plain keys (never a dangerous one: they are constants above). */
function writePath(object: JsonObject, path: readonly string[], value: JsonValue): void {
  let current = object;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const next = current[key];
    if (next === undefined || next === null) {
      const created: JsonObject = {};
      current[key] = created;
      current = created;
    } else if (isJsonObject(next)) {
      const copy: JsonObject = { ...next };
      current[key] = copy;
      current = copy;
    } else {
      return;
    }
  }
  current[path[path.length - 1]!] = value;
}

function toDate(value: JsonValue | undefined, path: string, ctx: NormalizeContext): number | undefined {
  if (typeof value === 'string' && value.trim() !== '' && !Number.isFinite(Number(value))) {
    const millis = Date.parse(value);
    if (Number.isFinite(millis)) {
      ctx.warnings.push({ path, message: `${path} was the date text ${JSON.stringify(value)}; it was read as Unix seconds.` });
      return Math.floor(millis / 1000);
    }
  }
  return toNumber(value, path, ctx);
}

function normalizeAssets(value: JsonValue | undefined, path: string, ctx: NormalizeContext): CardAsset[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new CardError('card/invalid-field', `${path} must be a list of assets.`);
  const out: CardAsset[] = [];
  value.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (!isJsonObject(item)) {
      ctx.warnings.push({ path: itemPath, message: `${itemPath} was not an object; it was dropped.` });
      return;
    }
    const asset: CardAsset = {
      type: toText(item['type'], `${itemPath}.type`, ctx) ?? '',
      uri: toText(item['uri'], `${itemPath}.uri`, ctx) ?? '',
      name: toText(item['name'], `${itemPath}.name`, ctx) ?? '',
      ext: toText(item['ext'], `${itemPath}.ext`, ctx) ?? '',
    };
    for (const [key, itemValue] of safeEntries(item)) {
      if (key !== 'type' && key !== 'uri' && key !== 'name' && key !== 'ext') asset[key] = cloneJson(itemValue);
    }
    out.push(asset);
  });
  return out;
}

function normalizeMultilingual(
  value: JsonValue | undefined,
  path: string,
  ctx: NormalizeContext,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw new CardError('card/invalid-field', `${path} must be an object of language -> text.`);
  const out: Record<string, string> = {};
  for (const [language, text] of safeEntries(value)) {
    const normalized = toText(text, `${path}.${language}`, ctx);
    if (normalized !== undefined) out[language] = normalized;
  }
  return out;
}

/**
 * Normalises a card's `data` object. Required V3 fields are filled ('' / [] / {}); optional
 * V3 fields stay absent when absent; unknown keys are kept as they are.
 */
export function normalizeCharacterData(raw: JsonValue | undefined, path: string, ctx: NormalizeContext): CharacterData {
  if (!isJsonObject(raw)) throw new CardError('card/invalid-field', `${path} must be an object.`);
  const text = (key: string): string => toText(raw[key], `${path}.${key}`, ctx) ?? '';
  const name = toText(raw['name'], `${path}.name`, ctx);
  if (name === undefined) {
    throw new CardError('card/invalid-field', `The card has no name (${path}.name is missing).`);
  }
  const book = raw['character_book'];
  const data: CharacterData = dropUndefined({
    name,
    description: text('description'),
    personality: text('personality'),
    scenario: text('scenario'),
    first_mes: text('first_mes'),
    mes_example: text('mes_example'),
    creator_notes: text('creator_notes'),
    system_prompt: text('system_prompt'),
    post_history_instructions: text('post_history_instructions'),
    alternate_greetings: toTextList(raw['alternate_greetings'], `${path}.alternate_greetings`, ctx) ?? [],
    character_book:
      book === undefined || book === null ? undefined : normalizeLorebook(book, `${path}.character_book`, ctx),
    tags: toTextList(raw['tags'], `${path}.tags`, ctx, { splitCommas: true }) ?? [],
    creator: text('creator'),
    character_version: text('character_version'),
    extensions: toObject(raw['extensions'], `${path}.extensions`) ?? {},
    group_only_greetings: toTextList(raw['group_only_greetings'], `${path}.group_only_greetings`, ctx) ?? [],
    assets: normalizeAssets(raw['assets'], `${path}.assets`, ctx),
    nickname: toText(raw['nickname'], `${path}.nickname`, ctx),
    creator_notes_multilingual: normalizeMultilingual(
      raw['creator_notes_multilingual'],
      `${path}.creator_notes_multilingual`,
      ctx,
    ),
    source: toTextList(raw['source'], `${path}.source`, ctx),
    creation_date: toDate(raw['creation_date'], `${path}.creation_date`, ctx),
    modification_date: toDate(raw['modification_date'], `${path}.modification_date`, ctx),
  });
  for (const [key, value] of safeEntries(raw)) {
    if (!DATA_KEYS.has(key)) data[key] = cloneJson(value);
  }
  return data;
}

/**
 * Re-normalises a Character that may have been built or edited outside this library (from a
 * synced document, say) so exporters can trust its shape. Idempotent on normalised input.
 */
export function normalizeCharacter(character: Character, ctx: NormalizeContext): Character {
  const card: JsonObject = { ...character, spec: CHARACTER_SPEC };
  const version = detectCardVersion(card);
  if (version !== 3) throw new CardError('card/invalid-field', 'A Character must have spec "chara_card_v3".');
  return normalizeCharacterCard(card, ctx).character;
}
