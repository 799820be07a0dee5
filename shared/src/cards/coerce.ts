/**
 * Field coercion with one explicit policy, used by every normaliser:
 * - `null` and a missing key mean "absent": the field gets its default, silently.
 * - A scalar of the wrong kind is converted when the meaning is clear (42 -> "42",
 *   "true" -> true, "12" -> 12) and a warning says so.
 * - A scalar that cannot be read as the wanted kind is dropped with a warning.
 * - An object or array where a scalar belongs (or the reverse) is a `card/invalid-field`
 *   error: converting it would silently lose or invent data.
 */
import { CardError, type CardWarning } from './errors.ts';
import type { CardLimits } from './limits.ts';
import type { JsonObject, JsonValue } from './model.ts';
import { cloneJsonObject, isJsonObject } from './safe-json.ts';

/** What normalisers carry along: where warnings go and which limits apply. */
export interface NormalizeContext {
  warnings: CardWarning[];
  limits: CardLimits;
}

/** How a value is described in messages ("a list", "an object", "a number", ...). */
export function kindOf(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function invalid(path: string, wanted: string, value: JsonValue | undefined): CardError {
  return new CardError('card/invalid-field', `${path} must be ${wanted}, but the file has ${kindOf(value)} there.`);
}

/** Text field: strings pass, numbers and booleans become text (with a warning). */
export function toText(value: JsonValue | undefined, path: string, ctx: NormalizeContext): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    ctx.warnings.push({ path, message: `${path} was ${kindOf(value)}; it was turned into text.` });
    return String(value);
  }
  throw invalid(path, 'text', value);
}

/**
 * List of text. A single string becomes a one-item list, or with `splitCommas` a list split
 * at commas (old cards store tags as "a, b"). Null items are dropped.
 */
export function toTextList(
  value: JsonValue | undefined,
  path: string,
  ctx: NormalizeContext,
  options: { splitCommas?: boolean } = {},
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    if (options.splitCommas) {
      ctx.warnings.push({ path, message: `${path} was comma-separated text; it was split into a list.` });
      return value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
    }
    ctx.warnings.push({ path, message: `${path} was a single text; it was turned into a list of one.` });
    return [value];
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    ctx.warnings.push({ path, message: `${path} was ${kindOf(value)}; it was turned into a list of one text.` });
    return [String(value)];
  }
  if (!Array.isArray(value)) throw invalid(path, 'a list of text', value);
  const out: string[] = [];
  value.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (item === null) {
      ctx.warnings.push({ path: itemPath, message: `${itemPath} was null; it was dropped.` });
      return;
    }
    const text = toText(item, itemPath, ctx);
    if (text !== undefined) out.push(text);
  });
  return out;
}

/** Boolean field: "true"/"false" and 0/1 are converted; anything else scalar is dropped. */
export function toBool(value: JsonValue | undefined, path: string, ctx: NormalizeContext): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'object') throw invalid(path, 'true or false', value);
  const text = String(value).trim().toLowerCase();
  if (text === 'true' || text === '1') {
    ctx.warnings.push({ path, message: `${path} was ${JSON.stringify(value)}; it was read as true.` });
    return true;
  }
  if (text === 'false' || text === '0' || text === '') {
    ctx.warnings.push({ path, message: `${path} was ${JSON.stringify(value)}; it was read as false.` });
    return false;
  }
  ctx.warnings.push({ path, message: `${path} was ${JSON.stringify(value)}, not true or false; it was dropped.` });
  return undefined;
}

/** Number field: numeric text is converted; other scalars are dropped. */
export function toNumber(value: JsonValue | undefined, path: string, ctx: NormalizeContext): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'object') throw invalid(path, 'a number', value);
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    if (Number.isFinite(number)) {
      ctx.warnings.push({ path, message: `${path} was the text ${JSON.stringify(value)}; it was read as ${number}.` });
      return number;
    }
  }
  ctx.warnings.push({ path, message: `${path} was ${JSON.stringify(value)}, not a number; it was dropped.` });
  return undefined;
}

/** Object field, deep-copied (so the model never aliases the input). */
export function toObject(value: JsonValue | undefined, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw invalid(path, 'an object', value);
  return cloneJsonObject(value);
}

/**
 * Deletes keys whose value is undefined, so an object literal can list every field in a
 * fixed order and absent fields still stay absent.
 */
export function dropUndefined<T extends object>(target: T): T {
  // Copying (rather than `delete`) keeps the object in the engine's fast property mode.
  const out: Partial<T> = {};
  for (const key of Object.keys(target) as (keyof T)[]) {
    if (target[key] !== undefined) out[key] = target[key];
  }
  return out as T;
}
