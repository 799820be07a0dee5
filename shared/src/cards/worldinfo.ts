/**
 * SillyTavern World Info files (`{ entries: { "<uid>": { key, keysecondary, ... } } }`) to
 * and from the CCv3 Lorebook model.
 *
 * The mapping is SillyTavern's own (its server's convertWorldInfoToCharacterBook and its
 * client's convertCharacterBook): entry settings CCv3 has no field for go into the entry's
 * `extensions` under snake_case names, and missing settings get SillyTavern's defaults in
 * both directions, so a World Info file read and written again keeps every field it had
 * (and may gain fields at their default values).
 *
 * Where SillyTavern's mapping would lose data, two carriers keep it:
 * - `extensions["troupe/st_fields"]` on a lorebook entry holds World Info fields that CCv3
 *   has no home for (unknown future fields; `addMemo` when it disagrees with the comment).
 * - `extensions["troupe/book_fields"]` on a World Info entry holds lorebook fields that World
 *   Info has no home for (`name`, `priority`, `case_sensitive`, a non-numeric `id`, ...).
 * Carriers only ever hold fields that are not mapped, so a stale carrier cannot override an
 * edit made on the other side. A World Info entry's own `extensions` object (which newer
 * SillyTavern writes) is merged into the lorebook entry's extensions, as SillyTavern does.
 *
 * Entry order: World Info is keyed by uid, so the lorebook list is ordered by SillyTavern's
 * displayIndex (the order its editor shows), and a lorebook written as World Info gets
 * displayIndex from its list order when it has none, so the list order survives both ways.
 *
 * Known loss, by design: snake_case copies inside a World Info entry's `extensions` are
 * rebuilt from the entry's own fields (they are only ever stale duplicates).
 */
import { CardError } from './errors.ts';
import { toBool, toNumber, toText, toTextList, type NormalizeContext } from './coerce.ts';
import type { JsonObject, JsonValue, Lorebook, LorebookEntry, LorebookPosition } from './model.ts';
import { normalizeLorebook } from './normalize-lorebook.ts';
import { cloneJson, cloneJsonObject, isJsonObject, jsonEqual, safeEntries, safeSet } from './safe-json.ts';

/** A World Info entry as SillyTavern writes it; every field is optional in old files. */
export interface WorldInfoEntry {
  uid?: number;
  key?: string[];
  keysecondary?: string[];
  comment?: string;
  content?: string;
  constant?: boolean;
  selective?: boolean;
  order?: number;
  /** 0 before char, 1 after char, 2 AN top, 3 AN bottom, 4 at depth, 5 EM top, 6 EM bottom, 7 outlet. */
  position?: number;
  disable?: boolean;
  addMemo?: boolean;
  extensions?: JsonObject;
  [key: string]: JsonValue | undefined;
}

/** A SillyTavern World Info file. Book-level fields are our addition and optional. */
export interface WorldInfoFile {
  entries: Record<string, WorldInfoEntry>;
  [key: string]: JsonValue | undefined;
}

/** Extension key carrying World Info fields on a lorebook entry (see the top of this file). */
export const ST_FIELDS_CARRIER = 'troupe/st_fields';
/** Extension key carrying lorebook fields on a World Info entry (see the top of this file). */
export const BOOK_FIELDS_CARRIER = 'troupe/book_fields';

/** SillyTavern's default insertion depth for "at depth" entries. */
const DEFAULT_DEPTH = 4;
/** SillyTavern's default inclusion-group weight. */
const DEFAULT_GROUP_WEIGHT = 100;
const DEFAULT_ORDER = 100;

/**
 * World Info field <-> lorebook entry `extensions` key, with SillyTavern's default for a
 * missing value. `position` and `caseSensitive` are handled apart (they also touch CCv3 fields).
 */
const EXTENSION_FIELDS: readonly (readonly [wi: string, ext: string, fallback: JsonValue])[] = [
  ['excludeRecursion', 'exclude_recursion', false],
  ['probability', 'probability', 100],
  ['useProbability', 'useProbability', true],
  ['depth', 'depth', DEFAULT_DEPTH],
  ['selectiveLogic', 'selectiveLogic', 0],
  ['outletName', 'outlet_name', ''],
  ['group', 'group', ''],
  ['groupOverride', 'group_override', false],
  ['groupWeight', 'group_weight', DEFAULT_GROUP_WEIGHT],
  ['preventRecursion', 'prevent_recursion', false],
  ['delayUntilRecursion', 'delay_until_recursion', false],
  ['scanDepth', 'scan_depth', null],
  ['matchWholeWords', 'match_whole_words', null],
  ['useGroupScoring', 'use_group_scoring', null],
  ['automationId', 'automation_id', ''],
  ['role', 'role', 0],
  ['vectorized', 'vectorized', false],
  ['sticky', 'sticky', null],
  ['cooldown', 'cooldown', null],
  ['delay', 'delay', null],
  ['matchPersonaDescription', 'match_persona_description', false],
  ['matchCharacterDescription', 'match_character_description', false],
  ['matchCharacterPersonality', 'match_character_personality', false],
  ['matchCharacterDepthPrompt', 'match_character_depth_prompt', false],
  ['matchScenario', 'match_scenario', false],
  ['matchCreatorNotes', 'match_creator_notes', false],
  ['triggers', 'triggers', []],
  ['ignoreBudget', 'ignore_budget', false],
];

/** Mapped only when present: SillyTavern has the field but no card mapping for it. */
const OPTIONAL_EXTENSION_FIELDS: readonly (readonly [wi: string, ext: string])[] = [['characterFilter', 'character_filter']];

/** World Info fields with a home in the lorebook entry (everything else is carried). */
const MAPPED_WI_FIELDS = new Set<string>([
  'uid',
  'key',
  'keysecondary',
  'comment',
  'content',
  'constant',
  'selective',
  'order',
  'position',
  'disable',
  'extensions',
  'displayIndex',
  'caseSensitive',
  ...EXTENSION_FIELDS.map(([wi]) => wi),
  ...OPTIONAL_EXTENSION_FIELDS.map(([wi]) => wi),
]);

/** Extension keys rebuilt from World Info fields (so never copied into a WI entry's extensions). */
const MAPPED_EXT_KEYS = new Set<string>([
  'position',
  'display_index',
  'case_sensitive',
  ...EXTENSION_FIELDS.map(([, ext]) => ext),
  ...OPTIONAL_EXTENSION_FIELDS.map(([, ext]) => ext),
  ST_FIELDS_CARRIER,
]);

/** Lorebook entry fields that always survive a trip through World Info. */
const ROUND_TRIP_BOOK_FIELDS = new Set<string>([
  'keys',
  'content',
  'extensions',
  'enabled',
  'insertion_order',
  'comment',
  'constant',
  'selective',
  'secondary_keys',
]);

function derivedPosition(wiPosition: JsonValue | undefined): LorebookPosition {
  return Number(wiPosition ?? 0) === 0 ? 'before_char' : 'after_char';
}

function isUid(value: JsonValue | undefined): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

// ---------------------------------------------------------------------------------------
// World Info -> Lorebook
// ---------------------------------------------------------------------------------------

/**
 * Reads a World Info file into a Lorebook. `fallbackName` (usually the file name without
 * `.json`) names the book when the file does not, since SillyTavern names books by file.
 */
export function worldInfoToLorebook(raw: JsonValue, ctx: NormalizeContext, fallbackName?: string): Lorebook {
  if (!isJsonObject(raw)) throw new CardError('card/unknown-format', 'A World Info file must be a JSON object.');
  let entries = raw['entries'];
  if (Array.isArray(entries)) {
    ctx.warnings.push({ path: 'entries', message: 'World Info entries were a list; they were read in order.' });
    entries = Object.fromEntries(entries.map((entry, index) => [String(index), entry]));
  }
  if (!isJsonObject(entries)) throw new CardError('card/invalid-field', 'A World Info file must have an "entries" object.');
  const pairs = safeEntries(entries);
  if (pairs.length > ctx.limits.maxLorebookEntries) {
    throw new CardError(
      'lorebook/too-many-entries',
      `The World Info file has ${pairs.length} entries; at most ${ctx.limits.maxLorebookEntries} are supported.`,
    );
  }

  const book: JsonObject = {};
  for (const [key, value] of safeEntries(raw)) {
    if (key !== 'entries') book[key] = cloneJson(value);
  }
  if (book['name'] === undefined && fallbackName !== undefined) book['name'] = fallbackName;
  const bookEntries: LorebookEntry[] = [];
  pairs.forEach(([key, value], index) => {
    const path = `entries[${JSON.stringify(key)}]`;
    if (!isJsonObject(value)) {
      ctx.warnings.push({ path, message: `${path} was not an object; it was dropped.` });
      return;
    }
    bookEntries.push(worldInfoEntryToLorebookEntry(value, key, index, path, ctx));
  });
  // The list follows SillyTavern's display order (uid order otherwise), which is also the
  // order a lorebook written as World Info had, since its displayIndex came from that order.
  book['entries'] = bookEntries
    .map((entry, position) => ({ entry, position, order: displayOrder(entry) }))
    .sort((a, b) => a.order - b.order || a.position - b.position)
    .map(({ entry }) => entry);
  return normalizeLorebook(book, 'lorebook', ctx);
}

function displayOrder(entry: LorebookEntry): number {
  const value = entry.extensions['display_index'];
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
}

/**
 * One World Info entry as a lorebook entry. `key` is the entry's key in the file, the uid
 * of last resort.
 */
export function worldInfoEntryToLorebookEntry(
  wi: JsonObject,
  key: string,
  index: number,
  path: string,
  ctx: NormalizeContext,
): LorebookEntry {
  let id: number;
  if (isUid(wi['uid'])) {
    id = wi['uid'];
    if (String(id) !== key) ctx.warnings.push({ path, message: `${path} is stored under key ${JSON.stringify(key)} but has uid ${id}; the uid was kept.` });
  } else if (/^\d+$/.test(key) && Number.isSafeInteger(Number(key))) {
    id = Number(key);
    if (wi['uid'] !== undefined) ctx.warnings.push({ path, message: `${path} has an invalid uid; its key ${key} was used.` });
  } else {
    id = index;
    ctx.warnings.push({ path, message: `${path} has no usable uid; it was numbered ${index}.` });
  }

  const wiExtensions = isJsonObject(wi['extensions']) ? wi['extensions'] : {};
  if (wi['extensions'] !== undefined && wi['extensions'] !== null && !isJsonObject(wi['extensions'])) {
    ctx.warnings.push({ path: `${path}.extensions`, message: `${path}.extensions was not an object; it was dropped.` });
  }
  const extensions: JsonObject = {};
  for (const [extKey, value] of safeEntries(wiExtensions)) {
    if (extKey !== BOOK_FIELDS_CARRIER && extKey !== ST_FIELDS_CARRIER) extensions[extKey] = cloneJson(value);
  }
  const position = wi['position'] === undefined ? 0 : wi['position'];
  extensions['position'] = cloneJson(position);
  extensions['display_index'] = wi['displayIndex'] === undefined ? index : cloneJson(wi['displayIndex']);
  for (const [wiKey, extKey, fallback] of EXTENSION_FIELDS) {
    extensions[extKey] = cloneJson(wi[wiKey] === undefined ? fallback : wi[wiKey]);
  }
  extensions['case_sensitive'] = wi['caseSensitive'] === undefined ? null : cloneJson(wi['caseSensitive']);
  for (const [wiKey, extKey] of OPTIONAL_EXTENSION_FIELDS) {
    if (wi[wiKey] !== undefined) extensions[extKey] = cloneJson(wi[wiKey]);
  }

  const comment = toText(wi['comment'], `${path}.comment`, ctx) ?? '';
  const carried: JsonObject = {};
  for (const [wiKey, value] of safeEntries(wi)) {
    if (wiKey === 'addMemo') {
      if (value !== (comment !== '')) carried[wiKey] = cloneJson(value);
    } else if (!MAPPED_WI_FIELDS.has(wiKey)) {
      carried[wiKey] = cloneJson(value);
    }
  }
  if (Object.keys(carried).length > 0) extensions[ST_FIELDS_CARRIER] = carried;

  const entry: LorebookEntry = {
    id,
    keys: toTextList(wi['key'], `${path}.key`, ctx) ?? [],
    secondary_keys: toTextList(wi['keysecondary'], `${path}.keysecondary`, ctx) ?? [],
    comment,
    content: toText(wi['content'], `${path}.content`, ctx) ?? '',
    constant: toBool(wi['constant'], `${path}.constant`, ctx) ?? false,
    selective: toBool(wi['selective'], `${path}.selective`, ctx) ?? false,
    insertion_order: toNumber(wi['order'], `${path}.order`, ctx) ?? DEFAULT_ORDER,
    enabled: !(toBool(wi['disable'], `${path}.disable`, ctx) ?? false),
    position: derivedPosition(position),
    // SillyTavern always marks its keys as regex-capable (a key written /like this/ is a regex).
    use_regex: true,
    extensions,
  };

  const bookFields = wiExtensions[BOOK_FIELDS_CARRIER];
  if (isJsonObject(bookFields)) {
    for (const [field, value] of safeEntries(bookFields)) {
      if (!ROUND_TRIP_BOOK_FIELDS.has(field)) entry[field] = cloneJson(value);
    }
  }
  return entry;
}

// ---------------------------------------------------------------------------------------
// Lorebook -> World Info
// ---------------------------------------------------------------------------------------

/**
 * Writes a Lorebook as a SillyTavern World Info file. Book-level fields (name, description,
 * scan_depth, token_budget, recursive_scanning, non-empty extensions, unknown keys) go at the
 * top level, where SillyTavern ignores and keeps them. Entries without a usable numeric id
 * (or with a duplicate one) get the next free uid; the original id is carried.
 */
export function lorebookToWorldInfo(book: Lorebook): WorldInfoFile {
  const taken = new Set<number>();
  for (const entry of book.entries) if (isUid(entry.id)) taken.add(entry.id);
  const used = new Set<number>();
  let next = 0;
  const uids = book.entries.map((entry) => {
    if (isUid(entry.id) && !used.has(entry.id)) {
      used.add(entry.id);
      return entry.id;
    }
    while (taken.has(next) || used.has(next)) next++;
    used.add(next);
    return next;
  });

  const entries: Record<string, WorldInfoEntry> = {};
  book.entries.forEach((entry, index) => {
    const uid = uids[index]!;
    entries[String(uid)] = lorebookEntryToWorldInfoEntry(entry, uid, index);
  });

  const file: WorldInfoFile = { entries };
  if (book.name !== undefined) file['name'] = book.name;
  if (book.description !== undefined) file['description'] = book.description;
  if (book.scan_depth !== undefined) file['scan_depth'] = book.scan_depth;
  if (book.token_budget !== undefined) file['token_budget'] = book.token_budget;
  if (book.recursive_scanning !== undefined) file['recursive_scanning'] = book.recursive_scanning;
  if (Object.keys(book.extensions).length > 0) file['extensions'] = cloneJsonObject(book.extensions);
  const known = new Set(['name', 'description', 'scan_depth', 'token_budget', 'recursive_scanning', 'extensions', 'entries']);
  for (const [key, value] of safeEntries(book)) {
    if (!known.has(key)) safeSet(file, key, cloneJson(value));
  }
  return file;
}

/** One lorebook entry as a World Info entry with the given uid (`index` fills displayIndex). */
export function lorebookEntryToWorldInfoEntry(entry: LorebookEntry, uid: number, index: number): WorldInfoEntry {
  const ext = entry.extensions;
  const has = (key: string): boolean => Object.hasOwn(ext, key) && ext[key] !== undefined;
  const position = has('position') ? cloneJson(ext['position']!) : entry.position === 'before_char' ? 0 : 1;
  const comment = entry.comment ?? '';

  const wi: WorldInfoEntry = {
    uid,
    key: [...entry.keys],
    keysecondary: [...(entry.secondary_keys ?? [])],
    comment,
    content: entry.content,
    constant: entry.constant ?? false,
    selective: entry.selective ?? false,
    order: entry.insertion_order,
    position: position as number,
    disable: !entry.enabled,
    addMemo: comment !== '',
    displayIndex: has('display_index') ? (cloneJson(ext['display_index']!) as number) : index,
  };
  for (const [wiKey, extKey, fallback] of EXTENSION_FIELDS) {
    wi[wiKey] = cloneJson(has(extKey) ? ext[extKey]! : fallback);
  }
  wi['caseSensitive'] = has('case_sensitive') ? cloneJson(ext['case_sensitive']!) : (entry.case_sensitive ?? null);
  for (const [wiKey, extKey] of OPTIONAL_EXTENSION_FIELDS) {
    if (has(extKey)) wi[wiKey] = cloneJson(ext[extKey]!);
  }

  const carried = ext[ST_FIELDS_CARRIER];
  if (isJsonObject(carried)) {
    for (const [key, value] of safeEntries(carried)) {
      if (!MAPPED_WI_FIELDS.has(key)) safeSet(wi, key, cloneJson(value));
    }
  }

  const extensions: JsonObject = {};
  for (const [key, value] of safeEntries(ext)) {
    if (!MAPPED_EXT_KEYS.has(key) && key !== BOOK_FIELDS_CARRIER) extensions[key] = cloneJson(value);
  }
  const bookFields: JsonObject = {};
  for (const [key, value] of safeEntries(entry)) {
    if (ROUND_TRIP_BOOK_FIELDS.has(key)) continue;
    if (key === 'id' && value === uid) continue;
    if (key === 'position' && value === derivedPosition(position)) continue;
    if (key === 'use_regex' && value === true) continue;
    bookFields[key] = cloneJson(value);
  }
  if (Object.keys(bookFields).length > 0) extensions[BOOK_FIELDS_CARRIER] = bookFields;
  wi.extensions = extensions;
  return wi;
}

/** True when two World Info entries agree on every field `original` has. */
export function keepsEveryField(original: JsonObject, copy: JsonObject): boolean {
  return safeEntries(original).every(([key, value]) => jsonEqual(value, copy[key]));
}
