/** Turns any CCv3 `character_book` / `lorebook_v3` data (or a V2 book) into a Lorebook. */
import { CardError } from './errors.ts';
import {
  dropUndefined,
  toBool,
  toNumber,
  toObject,
  toText,
  toTextList,
  type NormalizeContext,
} from './coerce.ts';
import type { JsonValue, Lorebook, LorebookEntry, LorebookPosition } from './model.ts';
import { cloneJson, isJsonObject, safeEntries } from './safe-json.ts';

const BOOK_KEYS = new Set(['name', 'description', 'scan_depth', 'token_budget', 'recursive_scanning', 'extensions', 'entries']);

const ENTRY_KEYS = new Set([
  'keys',
  'content',
  'extensions',
  'enabled',
  'insertion_order',
  'use_regex',
  'case_sensitive',
  'constant',
  'name',
  'priority',
  'id',
  'comment',
  'selective',
  'secondary_keys',
  'position',
]);

/** SillyTavern's default `order` for an entry, used when a book gives none. */
export const DEFAULT_INSERTION_ORDER = 100;

/**
 * Normalises lorebook data: required fields filled (entries `[]`, extensions `{}`), types
 * checked (see coerce.ts), unknown keys kept as they are. `path` names the book in messages.
 */
export function normalizeLorebook(raw: JsonValue | undefined, path: string, ctx: NormalizeContext): Lorebook {
  if (!isJsonObject(raw)) {
    throw new CardError('card/invalid-field', `${path} must be an object with an "entries" list.`);
  }
  const book: Lorebook = dropUndefined({
    name: toText(raw['name'], `${path}.name`, ctx),
    description: toText(raw['description'], `${path}.description`, ctx),
    scan_depth: toNumber(raw['scan_depth'], `${path}.scan_depth`, ctx),
    token_budget: toNumber(raw['token_budget'], `${path}.token_budget`, ctx),
    recursive_scanning: toBool(raw['recursive_scanning'], `${path}.recursive_scanning`, ctx),
    extensions: toObject(raw['extensions'], `${path}.extensions`) ?? {},
    entries: [],
  });

  let rawEntries = raw['entries'];
  if (isJsonObject(rawEntries)) {
    // Some exporters write entries keyed by id; the values are the entries.
    ctx.warnings.push({ path: `${path}.entries`, message: `${path}.entries was an object; its values were read as the list.` });
    rawEntries = safeEntries(rawEntries).map(([, value]) => value);
  }
  if (rawEntries !== undefined && rawEntries !== null && !Array.isArray(rawEntries)) {
    throw new CardError('card/invalid-field', `${path}.entries must be a list of entries.`);
  }
  const list = rawEntries ?? [];
  if (list.length > ctx.limits.maxLorebookEntries) {
    throw new CardError(
      'lorebook/too-many-entries',
      `The lorebook has ${list.length} entries; at most ${ctx.limits.maxLorebookEntries} are supported.`,
    );
  }
  list.forEach((item, index) => {
    const entry = normalizeLorebookEntry(item, `${path}.entries[${index}]`, ctx);
    if (entry) book.entries.push(entry);
  });

  for (const [key, value] of safeEntries(raw)) {
    if (!BOOK_KEYS.has(key)) book[key] = cloneJson(value);
  }
  return book;
}

function toPosition(value: JsonValue | undefined, path: string, ctx: NormalizeContext): LorebookPosition | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === 'before_char' || value === 'after_char') return value;
  if (value === 0 || value === '0') {
    ctx.warnings.push({ path, message: `${path} was ${JSON.stringify(value)}; it was read as "before_char".` });
    return 'before_char';
  }
  if (value === 1 || value === '1') {
    ctx.warnings.push({ path, message: `${path} was ${JSON.stringify(value)}; it was read as "after_char".` });
    return 'after_char';
  }
  if (typeof value === 'object') throw new CardError('card/invalid-field', `${path} must be "before_char" or "after_char".`);
  ctx.warnings.push({ path, message: `${path} was ${JSON.stringify(value)}, not "before_char" or "after_char"; it was dropped.` });
  return undefined;
}

function toId(value: JsonValue | undefined, path: string, ctx: NormalizeContext): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string') return value;
  ctx.warnings.push({ path, message: `${path} was ${JSON.stringify(value)}, not a number or text; it was dropped.` });
  return undefined;
}

/** Normalises one entry; a non-object entry is dropped with a warning (returns undefined). */
export function normalizeLorebookEntry(raw: JsonValue | undefined, path: string, ctx: NormalizeContext): LorebookEntry | undefined {
  if (!isJsonObject(raw)) {
    ctx.warnings.push({ path, message: `${path} was ${raw === null ? 'null' : 'not an object'}; it was dropped.` });
    return undefined;
  }
  const entry: LorebookEntry = dropUndefined({
    keys: toTextList(raw['keys'], `${path}.keys`, ctx) ?? [],
    content: toText(raw['content'], `${path}.content`, ctx) ?? '',
    extensions: toObject(raw['extensions'], `${path}.extensions`) ?? {},
    enabled: toBool(raw['enabled'], `${path}.enabled`, ctx) ?? true,
    insertion_order: toNumber(raw['insertion_order'], `${path}.insertion_order`, ctx) ?? DEFAULT_INSERTION_ORDER,
    case_sensitive: toBool(raw['case_sensitive'], `${path}.case_sensitive`, ctx),
    use_regex: toBool(raw['use_regex'], `${path}.use_regex`, ctx) ?? false,
    constant: toBool(raw['constant'], `${path}.constant`, ctx),
    name: toText(raw['name'], `${path}.name`, ctx),
    priority: toNumber(raw['priority'], `${path}.priority`, ctx),
    id: toId(raw['id'], `${path}.id`, ctx),
    comment: toText(raw['comment'], `${path}.comment`, ctx),
    selective: toBool(raw['selective'], `${path}.selective`, ctx),
    secondary_keys: toTextList(raw['secondary_keys'], `${path}.secondary_keys`, ctx),
    position: toPosition(raw['position'], `${path}.position`, ctx),
  });
  for (const [key, value] of safeEntries(raw)) {
    if (!ENTRY_KEYS.has(key)) entry[key] = cloneJson(value);
  }
  return entry;
}
