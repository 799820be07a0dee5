/**
 * JSON in, plain data out, with no way for a hostile file to reach an object prototype, a
 * deep-recursion crash or an unbounded string.
 */
import { CardError, type CardWarning } from './errors.ts';
import type { CardLimits } from './limits.ts';
import type { JsonObject, JsonValue } from './model.ts';

/**
 * Keys that are never copied from input. `__proto__` is the one that can pollute prototypes
 * through a careless assignment; `constructor` and `prototype` only ever appear in attacks,
 * and dropping them too means no later code has to think about them.
 */
const DANGEROUS_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** True for `__proto__`, `constructor` and `prototype`. */
export function isDangerousKey(key: string): boolean {
  return DANGEROUS_KEYS.has(key);
}

/** True for a non-null, non-array object (what JSON calls an object). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own enumerable entries of a JSON object, skipping dangerous keys and undefined values. */
export function safeEntries(object: JsonObject): [string, JsonValue][] {
  const out: [string, JsonValue][] = [];
  for (const key of Object.keys(object)) {
    if (isDangerousKey(key)) continue;
    const value = object[key];
    if (value !== undefined) out.push([key, value]);
  }
  return out;
}

/**
 * Sets `target[key] = value` unless the key is dangerous. Every assignment of an input key
 * goes through here, so a model built elsewhere (say from a synced document) cannot reach a
 * prototype through this library either.
 */
export function safeSet(target: JsonObject, key: string, value: JsonValue | undefined): void {
  if (isDangerousKey(key) || value === undefined) return;
  target[key] = value;
}

/**
 * Deep copy of JSON data without dangerous keys. Throws `json/too-deep` past `maxDepth`, so
 * it is safe on values that did not come through `parseJson`.
 */
export function cloneJson(value: JsonValue, maxDepth = 256): JsonValue {
  return cloneAt(value, maxDepth);
}

function cloneAt(value: JsonValue, depthLeft: number): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  // Values JSON cannot hold (functions, bigints, ...) may arrive from outside; JSON turns them into null.
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object') return null;
  if (depthLeft <= 0) throw new CardError('json/too-deep', 'The data is nested too deeply to copy.');
  if (Array.isArray(value)) return value.map((item) => cloneAt(item, depthLeft - 1));
  const out: JsonObject = {};
  for (const [key, item] of safeEntries(value)) {
    if (typeof item !== 'function' && typeof item !== 'symbol') out[key] = cloneAt(item, depthLeft - 1);
  }
  return out;
}

/** Deep copy of a JSON object (see cloneJson). */
export function cloneJsonObject(value: JsonObject): JsonObject {
  return cloneAt(value, 256) as JsonObject;
}

/** Structural equality of JSON values; object key order does not matter. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const objA = a as JsonObject;
  const objB = b as JsonObject;
  const keysA = Object.keys(objA).filter((k) => objA[k] !== undefined);
  const keysB = Object.keys(objB).filter((k) => objB[k] !== undefined);
  return keysA.length === keysB.length && keysA.every((k) => Object.hasOwn(objB, k) && jsonEqual(objA[k], objB[k]));
}

/**
 * Measures nesting depth with a single pass over the text, before JSON.parse sees it, so a
 * file of a million `[` never reaches a recursive parser.
 */
function checkDepth(text: string, maxDepth: number, label: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > maxDepth) {
        throw new CardError('json/too-deep', `${label} is nested more than ${maxDepth} levels deep.`);
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
}

export interface ParseJsonOptions {
  limits: Pick<CardLimits, 'maxJsonBytes' | 'maxJsonDepth' | 'maxStringLength'>;
  /** Receives a note for each dropped dangerous key. */
  warnings?: CardWarning[];
  /** Names the text in messages, e.g. "card.json". */
  label?: string;
}

/**
 * Parses JSON text under the limits: depth is checked before parsing, strings while parsing,
 * and `__proto__`/`constructor`/`prototype` keys are dropped (with a warning).
 */
export function parseJson(text: string, options: ParseJsonOptions): JsonValue {
  const label = options.label ?? 'The JSON text';
  const { maxJsonBytes, maxJsonDepth, maxStringLength } = options.limits;
  // UTF-16 length is at most the UTF-8 byte length, so this never rejects text within limits.
  if (text.length > maxJsonBytes) {
    throw new CardError('file/too-large', `${label} is larger than ${maxJsonBytes} bytes.`);
  }
  checkDepth(text, maxJsonDepth, label);
  const warnings = options.warnings;
  let dropped = 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, function reviver(key: string, value: unknown) {
      if (isDangerousKey(key) && !Array.isArray(this)) {
        dropped++;
        return undefined;
      }
      if (typeof value === 'string' && value.length > maxStringLength) {
        throw new CardError('json/string-too-long', `${label} has a text value longer than ${maxStringLength} characters.`);
      }
      return value;
    });
  } catch (error) {
    if (error instanceof CardError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new CardError('json/malformed', `${label} is not valid JSON (${detail}).`, { cause: error });
  }
  if (dropped > 0) {
    warnings?.push({ path: '', message: `Dropped ${dropped} key(s) named __proto__, constructor or prototype.` });
  }
  return parsed as JsonValue;
}
